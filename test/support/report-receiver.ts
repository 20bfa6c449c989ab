import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Report } from '../../lib/feed/schema';

/**
 * A local report receiver, as a brand (or a relay) would run one: the demo and the e2e suite point
 * a feed's `report.endpoint` at it, and unit tests check the queue against it.
 *
 * - OPTIONS (CORS preflight): 204 with Access-Control-Allow-Origin *, -Methods POST,
 *   -Headers content-type. Every other answer carries Access-Control-Allow-Origin * too.
 * - POST: the body must be JSON (at most 64 KiB) that the zod Report schema accepts, else 400 with
 *   the zod issues (413 when too large, 415 when not application/json).
 * - A reportId seen before is answered 200 `{ ok: true, duplicate: true }` and kept once; a new one
 *   201 `{ ok: true, reportId }`.
 * - `failFirst: n` answers the first n POSTs 503 (whatever they hold) and keeps nothing from them.
 * - `status: s` answers every later valid POST with s instead; a non-2xx s keeps nothing.
 * - Any other method: 405.
 *
 * Works as the handler of node:http and node:https servers alike.
 */

export interface ReportReceiverOptions {
  /** Answer the first N POST requests with 503. */
  failFirst?: number;
  /** Answer valid POSTs with this status (default: 201 new, 200 duplicate). */
  status?: number;
  /** Largest accepted body in bytes (default 64 KiB). */
  maxBytes?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The status the receiver answered. */
  status: number;
}

export interface ReportReceiver {
  handler(req: IncomingMessage, res: ServerResponse): void;
  /** Accepted reports, one per reportId, in arrival order. */
  readonly reports: Report[];
  /** POST requests received (including refused and failed ones). */
  readonly attempts: number;
  /** Every request (preflights included), e.g. to check that no Cookie header was sent. */
  readonly requests: ReceivedRequest[];
  /** Forgets reports, requests and attempts; failFirst counts again from zero. */
  reset(): void;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST',
  'Access-Control-Allow-Headers': 'content-type',
  'Access-Control-Max-Age': '86400',
};

export function createReportReceiver(options: ReportReceiverOptions = {}): ReportReceiver {
  const failFirst = options.failFirst ?? 0;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const reports: Report[] = [];
  const requests: ReceivedRequest[] = [];
  const seen = new Set<string>();
  let attempts = 0;

  function answer(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, status });
    if (res.headersSent || res.writableEnded) return;
    if (body === null) {
      res.writeHead(status, { 'Access-Control-Allow-Origin': '*' }).end();
      return;
    }
    res
      .writeHead(status, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' })
      .end(JSON.stringify(body));
  }

  function onPost(req: IncomingMessage, res: ServerResponse): void {
    attempts += 1;
    const n = attempts;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => {
      if (!res.writableEnded) res.destroy();
    });
    req.on('end', () => {
      if (n <= failFirst) return answer(req, res, 503, { ok: false, error: 'unavailable, try again' });
      if (tooLarge) return answer(req, res, 413, { ok: false, error: `body larger than ${maxBytes} bytes` });
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') {
        return answer(req, res, 415, { ok: false, error: 'expected Content-Type: application/json' });
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(req, res, 400, { ok: false, error: 'body is not JSON' });
      }
      const parsed = Report.safeParse(json);
      if (!parsed.success) {
        return answer(req, res, 400, { ok: false, error: 'invalid report', issues: parsed.error.issues });
      }
      const report = parsed.data;
      const duplicate = seen.has(report.reportId);
      const status = options.status ?? (duplicate ? 200 : 201);
      if (status >= 200 && status < 300 && !duplicate) {
        seen.add(report.reportId);
        reports.push(report);
      }
      const ok = status >= 200 && status < 300;
      return answer(
        req,
        res,
        status,
        ok ? { ok, reportId: report.reportId, duplicate } : { ok, error: 'refused' },
      );
    });
  }

  function handler(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'OPTIONS') {
      requests.push({ method: 'OPTIONS', path: req.url ?? '', headers: req.headers, status: 204 });
      res.writeHead(204, CORS).end();
      req.resume();
      return;
    }
    if (req.method === 'POST') {
      onPost(req, res);
      return;
    }
    req.resume();
    res.setHeader('Allow', 'POST, OPTIONS');
    answer(req, res, 405, { ok: false, error: 'method not allowed' });
  }

  return {
    handler,
    reports,
    get attempts() {
      return attempts;
    },
    requests,
    reset() {
      reports.length = 0;
      requests.length = 0;
      seen.clear();
      attempts = 0;
    },
  };
}

export interface RunningReportReceiver {
  receiver: ReportReceiver;
  /** http://127.0.0.1:<port>/reports */
  url: string;
  close(): Promise<void>;
}

/** Starts a receiver on an HTTP server (default 127.0.0.1 on an ephemeral port). */
export async function startReportReceiver(
  options: ReportReceiverOptions & { host?: string; port?: number } = {},
): Promise<RunningReportReceiver> {
  const receiver = createReportReceiver(options);
  const server = createServer((req, res) => receiver.handler(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    receiver,
    url: `http://${host}:${port}/reports`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
