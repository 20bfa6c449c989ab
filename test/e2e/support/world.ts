import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeCertificate } from './cert';
import { type DemoPage, demoPages, type SavedPage, savedPages } from './pages';
import { SHARED_PAGES } from './paths';

/**
 * The local "internet" of the real-browser tests and the demo: one HTTPS server answering for
 * real marketplace host names (saved pages and demo pages), the signed directory and brand feeds
 * (*.genuine.test) and a report receiver. Browsers are pointed at it by name resolution rules
 * (see browsers.ts); nothing reaches the real network.
 */

/** Host names of the project's own test services. */
export const SERVICE_DOMAIN = 'genuine.test';
export const DIRECTORY_HOST = `directory.${SERVICE_DOMAIN}`;
export const REPORTS_HOST = `reports.${SERVICE_DOMAIN}`;

/** Handles a request itself (reads its own body), e.g. test/support/report-receiver.ts. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface PublishOptions {
  contentType?: string;
  /** Cache-Control max-age in seconds (default 3600). */
  maxAge?: number;
  /** Answer with this status instead (e.g. 503, 410); the body is still the last one published. */
  status?: number;
}

interface Resource {
  body: Buffer;
  contentType: string;
  etag: string;
  maxAge: number;
  status: number;
}

export interface RequestRecord {
  at: number;
  method: string;
  host: string;
  target: string;
  status: number;
  ifNoneMatch: string | null;
}

/** The port the world listens on: 443 when we may bind it (URLs then carry no port), else 8443. */
export function defaultPort(): number {
  const fromEnv = Number(process.env.E2E_PORT);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return typeof process.getuid === 'function' && process.getuid() === 0 ? 443 : 8443;
}

export function originOf(host: string, port: number): string {
  return port === 443 ? `https://${host}` : `https://${host}:${port}`;
}

function hostOnly(hostHeader: string | undefined): string {
  return (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
}

export interface WorldOptions {
  port?: number;
  /** Serve the real saved pages from /work/shared/pages when present (default true). */
  savedPages?: boolean;
  /** Serve demo/pages (default true). */
  demoPages?: boolean;
  /** More host names to answer for (and to put in the certificate). */
  extraHosts?: readonly string[];
  /** Log each request to stderr. */
  verbose?: boolean;
}

export class World {
  readonly port: number;
  readonly saved: SavedPage[] | null;
  readonly demo: DemoPage[];
  readonly requests: RequestRecord[] = [];
  private readonly hostSet: Set<string>;
  private readonly resources = new Map<string, Resource>();
  private readonly handlers = new Map<string, Handler>();
  private readonly files = new Map<string, string>();
  private server: https.Server | null = null;
  private readonly verbose: boolean;

  private constructor(options: WorldOptions) {
    this.port = options.port ?? defaultPort();
    this.verbose = options.verbose ?? false;
    this.saved = options.savedPages === false ? null : savedPages();
    this.demo = options.demoPages === false ? [] : demoPages();
    this.hostSet = new Set([DIRECTORY_HOST, REPORTS_HOST, ...(options.extraHosts ?? [])]);
    for (const p of this.saved ?? []) {
      this.hostSet.add(p.host);
      this.files.set(`${p.host}${p.target}`, path.join(SHARED_PAGES, p.file));
    }
    for (const p of this.demo) {
      this.hostSet.add(p.host);
      this.files.set(`${p.host}${p.path}`, p.file);
    }
  }

  static async start(options: WorldOptions = {}): Promise<World> {
    const world = new World(options);
    await world.listen();
    return world;
  }

  /** Every host name this world answers for (browsers map exactly these to 127.0.0.1). */
  get hosts(): string[] {
    return [...this.hostSet].sort();
  }

  /** Served hosts, plus any name under genuine.test (brand feeds made up by a spec). */
  answersFor(host: string): boolean {
    return this.hostSet.has(host) || host.endsWith(`.${SERVICE_DOMAIN}`);
  }

  origin(host: string): string {
    return originOf(host, this.port);
  }

  /** https://host[:port]/path — the port appears only when it is not 443. */
  url(host: string, target = '/'): string {
    return `${this.origin(host)}${target.startsWith('/') ? target : `/${target}`}`;
  }

  /** The URL under which the browser reaches a real page URL (adds the port when not 443). */
  localUrl(realUrl: string): string {
    const u = new URL(realUrl);
    return this.url(u.hostname, u.pathname + u.search);
  }

  private key(url: string): string {
    const u = new URL(url);
    const host = u.hostname.toLowerCase();
    if (!this.answersFor(host))
      throw new Error(`the e2e world does not answer for ${host}; add it to extraHosts`);
    return `${host}${u.pathname}${u.search}`;
  }

  /**
   * Serves (or replaces) a document at an absolute URL with a strong ETag (SHA-256 of the body),
   * Cache-Control max-age and CORS open to all, as feed-format.md asks of feeds.
   */
  publish(url: string, body: string | Buffer, options: PublishOptions = {}): string {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}"`;
    this.resources.set(this.key(url), {
      body: bytes,
      contentType: options.contentType ?? 'application/json',
      etag,
      maxAge: options.maxAge ?? 3600,
      status: options.status ?? 200,
    });
    return etag;
  }

  /** Makes a published URL answer with a status (503, 404, 410...) until published again. */
  setStatus(url: string, status: number): void {
    const r = this.resources.get(this.key(url));
    if (!r) throw new Error(`nothing published at ${url}`);
    r.status = status;
  }

  /** Serves an HTML page at a URL (for one-off pages written by a spec). */
  page(url: string, html: string): void {
    this.publish(url, html, { contentType: 'text/html; charset=utf-8', maxAge: 0 });
  }

  /** Routes every method on a URL (path only, any query) to a handler, e.g. a report receiver. */
  route(url: string, handler: Handler): void {
    const u = new URL(url);
    this.key(url);
    this.handlers.set(`${u.hostname.toLowerCase()}${u.pathname}`, handler);
  }

  /** Requests seen for a URL (path + query as given, or any query when the URL has none). */
  requestsFor(url: string): RequestRecord[] {
    const u = new URL(url);
    const host = u.hostname.toLowerCase();
    return this.requests.filter(
      (r) =>
        r.host === host &&
        (u.search === '' ? r.target.split('?')[0] === u.pathname : r.target === u.pathname + u.search),
    );
  }

  private listen(): Promise<void> {
    const { key, cert } = makeCertificate([...this.hostSet, `*.${SERVICE_DOMAIN}`]);
    const server = https.createServer({ key, cert }, (req, res) => {
      void this.handle(req, res);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EACCES') {
          reject(new Error(`cannot listen on port ${this.port} (not root?); set E2E_PORT=8443`));
        } else if (error.code === 'EADDRINUSE') {
          reject(
            new Error(`port ${this.port} is in use (another e2e run or the demo?); stop it or set E2E_PORT`),
          );
        } else reject(error);
      });
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  get address(): AddressInfo | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = hostOnly(req.headers.host);
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    const record: RequestRecord = {
      at: Date.now(),
      method: req.method ?? 'GET',
      host,
      target,
      status: 0,
      ifNoneMatch: typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : null,
    };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
      if (this.verbose)
        process.stderr.write(`[world] ${record.method} ${host}${target} -> ${res.statusCode}\n`);
    });
    res.setHeader('Access-Control-Allow-Origin', '*');
    try {
      const handler = this.handlers.get(`${host}${pathname}`);
      if (handler) {
        await handler(req, res);
        return;
      }
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'content-type, if-none-match',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'Content-Type': 'text/plain' }).end('method not allowed');
        return;
      }
      const resource = this.resources.get(`${host}${target}`) ?? this.resources.get(`${host}${pathname}`);
      if (resource) {
        res.setHeader('Cache-Control', `max-age=${resource.maxAge}`);
        res.setHeader('ETag', resource.etag);
        res.setHeader('Access-Control-Expose-Headers', 'ETag');
        if (resource.status !== 200) {
          res.writeHead(resource.status, { 'Content-Type': 'text/plain' }).end(`status ${resource.status}`);
        } else if (record.ifNoneMatch !== null && record.ifNoneMatch === resource.etag) {
          res.writeHead(304).end();
        } else {
          res.writeHead(200, {
            'Content-Type': resource.contentType,
            'Content-Length': resource.body.byteLength,
          });
          res.end(req.method === 'HEAD' ? undefined : resource.body);
        }
        return;
      }
      const file = this.files.get(`${host}${target}`) ?? this.files.get(`${host}${pathname}`);
      if (file) {
        // No charset: saved pages declare their own in a <meta> (some are not UTF-8).
        const body = readFileSync(file);
        res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not served by the Genuine test world');
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
