// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from '../../../lib/report/build';
import { type RunningReportReceiver, startReportReceiver } from '../../support/report-receiver';
import { brand, CLIENT, snapshot, T0, uuidCounter, verdict } from './helpers';

function report(uuid = uuidCounter()) {
  return buildReport({
    snapshot: snapshot(),
    verdict: verdict('danger', ['seller-blocked']),
    brand: brand(),
    reason: 'seller-not-authorized',
    now: T0,
    uuid,
    client: CLIENT,
  });
}

let running: RunningReportReceiver | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function start(options: Parameters<typeof startReportReceiver>[0] = {}) {
  running = await startReportReceiver(options);
  return running;
}

function post(url: string, body: unknown, contentType = 'application/json') {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('report receiver', () => {
  it('listens on 127.0.0.1 on an ephemeral port', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reports$/);
    expect(url).not.toContain(':0/');
  });

  it('answers the CORS preflight', async () => {
    const { url, receiver } = await start();
    const res = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        Origin: 'chrome-extension://abcdefghijklmnop',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(receiver.attempts).toBe(0);
    expect(receiver.requests.map((r) => r.method)).toEqual(['OPTIONS']);
  });

  it('accepts a valid report with 201 and keeps it', async () => {
    const { url, receiver } = await start();
    const r = report();
    const res = await post(url, r);
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ ok: true, reportId: r.reportId, duplicate: false });
    expect(receiver.reports).toEqual([r]);
    expect(receiver.attempts).toBe(1);
  });

  it('answers 2xx to a duplicate reportId and keeps one copy', async () => {
    const { url, receiver } = await start();
    const r = report();
    expect((await post(url, r)).status).toBe(201);
    const again = await post(url, r);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true });
    expect(receiver.reports).toHaveLength(1);
    expect(receiver.attempts).toBe(2);

    const uuid = uuidCounter();
    uuid();
    const other = report(uuid);
    expect((await post(url, other)).status).toBe(201);
    expect(receiver.reports.map((x) => x.reportId)).toEqual([r.reportId, other.reportId]);
  });

  it('refuses an invalid report with 400 and the zod issues', async () => {
    const { url, receiver } = await start();
    const bad = { ...report(), cookie: 'session=1' };
    const res = await post(url, bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: boolean; issues: { code: string }[] };
    expect(body.ok).toBe(false);
    expect(body.issues.length).toBeGreaterThan(0);
    expect(body.issues[0]?.code).toBe('unrecognized_keys');

    const noId = await post(url, { ...report(), reportId: 'nope' });
    expect(noId.status).toBe(400);
    expect((await post(url, '{not json')).status).toBe(400);
    expect((await post(url, report(), 'text/plain')).status).toBe(415);
    expect(receiver.reports).toEqual([]);
    expect(receiver.attempts).toBe(4);
  });

  it('refuses a body over the size limit with 413', async () => {
    const { url, receiver } = await start({ maxBytes: 1000 });
    const res = await post(url, { ...report(), comment: 'x'.repeat(2000) });
    expect(res.status).toBe(413);
    expect(receiver.reports).toEqual([]);
  });

  it('fails the first N requests with 503, then accepts', async () => {
    const { url, receiver } = await start({ failFirst: 2 });
    const r = report();
    expect((await post(url, r)).status).toBe(503);
    expect((await post(url, r)).status).toBe(503);
    expect(receiver.reports).toEqual([]);
    expect((await post(url, r)).status).toBe(201);
    expect(receiver.reports).toEqual([r]);
    expect(receiver.attempts).toBe(3);
  });

  it('answers with a fixed status when asked, keeping nothing when it is not 2xx', async () => {
    const refusing = await start({ status: 422 });
    expect((await post(refusing.url, report())).status).toBe(422);
    expect(refusing.receiver.reports).toEqual([]);
    await refusing.close();
    running = null;

    const accepting = await start({ status: 202 });
    expect((await post(accepting.url, report())).status).toBe(202);
    expect(accepting.receiver.reports).toHaveLength(1);
  });

  it('405 for other methods; reset forgets everything and counts failFirst again', async () => {
    const { url, receiver } = await start({ failFirst: 1 });
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await post(url, report())).status).toBe(503);
    expect((await post(url, report())).status).toBe(201);
    receiver.reset();
    expect(receiver.reports).toEqual([]);
    expect(receiver.attempts).toBe(0);
    expect(receiver.requests).toEqual([]);
    expect((await post(url, report())).status).toBe(503);
  });
});
