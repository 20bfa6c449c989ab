// @vitest-environment node
// idb checks instanceof IDBRequest, IDBTransaction...: the setup file only sets indexedDB and IDBKeyRange.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { Report } from '../../../lib/feed/schema';
import {
  createReportService,
  DEFAULT_RETRY,
  REPORTS_DB,
  type ReportFetch,
  type ReportService,
  type ReportServiceOptions,
} from '../../../lib/report/queue';
import type { ReportRecord } from '../../../lib/report/types';
import { type RunningReportReceiver, startReportReceiver } from '../../support/report-receiver';
import { brand, CLIENT, manualClock, snapshot, T0, uuidCounter, verdict } from './helpers';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ID1 = '00000000-0000-4000-8000-000000000001';
const ID2 = '00000000-0000-4000-8000-000000000002';

interface Call {
  url: string;
  init: RequestInit;
  body: unknown;
}

/** A fetch that answers from a script of statuses (or errors) and records every call. */
function scriptedFetch(
  script: (number | Error | ((call: Call) => Promise<Response>))[],
  fallback: number = 200,
) {
  const calls: Call[] = [];
  const fetch: ReportFetch = async (url, init) => {
    const call = { url, init, body: JSON.parse(String(init.body)) };
    calls.push(call);
    const step = script.length > 0 ? script.shift() : fallback;
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(call);
    return new Response(step === 204 ? null : '{}', { status: step ?? fallback });
  };
  return { fetch, calls };
}

const services: ReportService[] = [];
const receivers: RunningReportReceiver[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const r of receivers.splice(0)) await r.close();
});

function service(fetch: ReportFetch, clock = manualClock(), extra: Partial<ReportServiceOptions> = {}) {
  const s = createReportService({ fetch, now: clock.now, random: () => 0.5, uuid: uuidCounter(), ...extra });
  services.push(s);
  return s;
}

const submitInput = (overrides: Partial<Parameters<ReportService['submit']>[0]> = {}) => ({
  snapshot: snapshot(),
  verdict: verdict('danger', ['seller-blocked']),
  reason: 'seller-not-authorized' as const,
  comment: 'bought one, it is fake',
  client: CLIENT,
  ...overrides,
});

async function only(s: ReportService): Promise<ReportRecord> {
  const all = await s.list();
  expect(all).toHaveLength(1);
  return all[0] as ReportRecord;
}

describe('submit and the first attempt', () => {
  it('2xx: sent, POSTed as JSON without credentials, with the stored payload', async () => {
    const { fetch, calls } = scriptedFetch([201]);
    const s = service(fetch);
    const result = await s.submit(submitInput());
    expect(result).toEqual({
      status: 'sent',
      reportId: ID1,
      endpoint: 'https://acme.com/api/genuine-reports',
    });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('https://acme.com/api/genuine-reports');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.credentials).toBe('omit');
    expect(call?.init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
    expect(Report.parse(call?.body)).toEqual(call?.body);
    const record = await only(s);
    expect(record).toMatchObject({
      reportId: ID1,
      status: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      sentAt: T0.toISOString(),
      listingKey: 'amazon|amazon.com|B0EXAMPLE1',
    });
    expect(record.payload).toEqual(call?.body);
    expect(await s.nextWakeup()).toBeNull();
  });

  it('calls fetch unbound (window.fetch refuses another `this`) and sends a backlog in one run', async () => {
    const clock = manualClock();
    let online = false;
    const sent: string[] = [];
    const fetchLike = function (this: unknown, _url: string, init: RequestInit): Promise<Response> {
      if (this !== undefined && this !== globalThis)
        return Promise.reject(new TypeError('Illegal invocation'));
      if (!online) return Promise.reject(new TypeError('Failed to fetch'));
      sent.push(Report.parse(JSON.parse(String(init.body))).reportId);
      return Promise.resolve(new Response(null, { status: 202 }));
    };
    const s = service(fetchLike, clock);
    for (let n = 0; n < 9; n += 1) {
      const result = await s.submit(submitInput({ snapshot: snapshot({ productId: `B0BACKLOG${n}` }) }));
      expect(result.status).toBe('queued');
    }
    online = true;
    clock.advance(MIN);
    expect(await s.processQueue()).toEqual({ attempted: 9, sent: 9, retrying: 0, failed: 0 });
    expect(new Set(sent).size).toBe(9);
    expect(sent).toHaveLength(9);
  });

  it('writes the record before the first attempt', async () => {
    let seen: ReportRecord | null = null;
    let s: ReportService | null = null;
    const { fetch } = scriptedFetch([
      async () => {
        seen = (await s?.get(ID1)) ?? null;
        return new Response(null, { status: 204 });
      },
    ]);
    s = service(fetch);
    expect((await s.submit(submitInput())).status).toBe('sent');
    expect(seen).toMatchObject({ reportId: ID1, status: 'queued', attempts: 1 });
  });

  it('409 duplicate counts as sent', async () => {
    const s = service(scriptedFetch([409]).fetch);
    expect((await s.submit(submitInput())).status).toBe('sent');
    expect((await only(s)).status).toBe('sent');
  });

  it.each([400, 404, 410, 422])('%s: failed for good, never resent', async (status) => {
    const clock = manualClock();
    const { fetch, calls } = scriptedFetch([status]);
    const s = service(fetch, clock);
    const result = await s.submit(submitInput());
    expect(result.status).toBe('not-reportable');
    expect(result.status === 'not-reportable' && result.message).toContain(`http-${status}`);
    expect(await only(s)).toMatchObject({
      status: 'failed',
      lastError: `http-${status}`,
      nextAttemptAt: null,
    });
    clock.advance(3 * DAY);
    expect(await s.processQueue()).toEqual({ attempted: 0, sent: 0, retrying: 0, failed: 0 });
    expect(calls).toHaveLength(1);
    expect(await s.nextWakeup()).toBeNull();
  });

  it.each([
    [500, 'http-500'],
    [502, 'http-502'],
    [503, 'http-503'],
    [408, 'http-408'],
    [429, 'http-429'],
  ])('%s: queued for a retry in a minute', async (status, error) => {
    const s = service(scriptedFetch([status]).fetch);
    const result = await s.submit(submitInput());
    expect(result).toEqual({
      status: 'queued',
      reportId: ID1,
      endpoint: 'https://acme.com/api/genuine-reports',
    });
    const record = await only(s);
    expect(record).toMatchObject({ status: 'retrying', attempts: 1, lastError: error, sentAt: null });
    expect(record.nextAttemptAt).toBe(new Date(T0.getTime() + MIN).toISOString());
    expect(await s.nextWakeup()).toEqual(new Date(T0.getTime() + MIN));
  });

  it('offline (fetch throws TypeError): queued, lastError network', async () => {
    const s = service(scriptedFetch([new TypeError('Failed to fetch')]).fetch);
    expect((await s.submit(submitInput())).status).toBe('queued');
    expect(await only(s)).toMatchObject({ status: 'retrying', lastError: 'network' });
  });

  it('timeout: the request is aborted and retried later', async () => {
    let aborted = false;
    const hang: ReportFetch = (_url, init) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        });
      });
    const s = service(hang, manualClock(), { timeoutMs: 5 });
    expect((await s.submit(submitInput())).status).toBe('queued');
    expect(aborted).toBe(true);
    expect(await only(s)).toMatchObject({ status: 'retrying', lastError: 'timeout', attempts: 1 });
  });

  it('honours Retry-After on 429 and 503', async () => {
    const s = service(
      scriptedFetch([async () => new Response(null, { status: 429, headers: { 'Retry-After': '600' } })])
        .fetch,
    );
    await s.submit(submitInput());
    expect((await only(s)).nextAttemptAt).toBe(new Date(T0.getTime() + 600_000).toISOString());
  });
});

describe('no endpoint, no brand', () => {
  it('no endpoint: shows how to reach the brand and stores nothing', async () => {
    const { fetch, calls } = scriptedFetch([]);
    const s = service(fetch);
    const b = brand({ reportEndpoint: null });
    expect(await s.submit(submitInput({ verdict: verdict('danger', ['seller-blocked'], b) }))).toEqual({
      status: 'no-endpoint',
      contact: 'brand-protection@acme.com',
      website: 'https://acme.com',
    });
    expect(calls).toHaveLength(0);
    expect(await s.list()).toEqual([]);
    expect(await s.nextWakeup()).toBeNull();
  });

  it('an endpoint that is not https counts as none', async () => {
    const { fetch, calls } = scriptedFetch([]);
    const s = service(fetch);
    const b = brand({ reportEndpoint: 'http://acme.com/reports', contact: null });
    const result = await s.submit(submitInput({ brand: b }));
    expect(result).toEqual({ status: 'no-endpoint', contact: null, website: 'https://acme.com' });
    expect(calls).toHaveLength(0);
  });

  it('no brand: not reportable', async () => {
    const s = service(scriptedFetch([]).fetch);
    const result = await s.submit(submitInput({ verdict: verdict('unknown', ['no-brand'], null) }));
    expect(result.status).toBe('not-reportable');
    expect(await s.list()).toEqual([]);
  });

  it('a listing that cannot make a valid report: not reportable, nothing stored', async () => {
    const s = service(scriptedFetch([]).fetch);
    const result = await s.submit(submitInput({ snapshot: snapshot({ url: 'ftp://example.com/x' }) }));
    expect(result.status).toBe('not-reportable');
    expect(await s.list()).toEqual([]);
  });

  it('reason defaults to the verdict’s', async () => {
    const { fetch, calls } = scriptedFetch([200]);
    const s = service(fetch);
    await s.submit({
      snapshot: snapshot(),
      verdict: verdict('caution', ['price-below-floor']),
      client: CLIENT,
    });
    expect(Report.parse(calls[0]?.body).reason).toBe('price-too-low');
  });
});

describe('retries and backoff', () => {
  it('processQueue sends nothing before the record is due, and resends with the same reportId', async () => {
    const clock = manualClock();
    const { fetch, calls } = scriptedFetch([503, 200]);
    const s = service(fetch, clock);
    await s.submit(submitInput());
    clock.advance(MIN - 1);
    expect(await s.processQueue()).toEqual({ attempted: 0, sent: 0, retrying: 0, failed: 0 });
    expect(calls).toHaveLength(1);
    clock.advance(1);
    expect(await s.processQueue()).toEqual({ attempted: 1, sent: 1, retrying: 0, failed: 0 });
    expect(calls.map((c) => (c.body as Report).reportId)).toEqual([ID1, ID1]);
    expect(calls[0]?.init.body).toBe(calls[1]?.init.body);
    expect(await only(s)).toMatchObject({ status: 'sent', attempts: 2, sentAt: clock.now().toISOString() });
  });

  it('503 twice then 200 against a real receiver: exactly one report stored', async () => {
    const running = await startReportReceiver({ failFirst: 2 });
    receivers.push(running);
    const clock = manualClock();
    const s = service((url, init) => fetch(url, init), clock);
    const result = await s.submit(submitInput({ brand: brand({ reportEndpoint: running.url }) }));
    expect(result.status).toBe('queued');
    for (let i = 0; i < 5; i += 1) {
      const wake = await s.nextWakeup();
      if (!wake) break;
      clock.set(wake);
      await s.processQueue();
    }
    expect(running.receiver.attempts).toBe(3);
    expect(running.receiver.reports).toHaveLength(1);
    expect(running.receiver.reports[0]?.reportId).toBe(ID1);
    expect(running.receiver.requests.every((r) => r.headers.cookie === undefined)).toBe(true);
    expect(await only(s)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await s.nextWakeup()).toBeNull();
  });

  it('backs off exponentially from one minute, capped at six hours', async () => {
    const clock = manualClock();
    const { fetch } = scriptedFetch([], 503);
    const s = service(fetch, clock);
    await s.submit(submitInput());
    const delays: number[] = [];
    let last = clock.ms;
    for (let i = 0; i < 12; i += 1) {
      const wake = await s.nextWakeup();
      if (!wake) break;
      delays.push((wake.getTime() - last) / MIN);
      clock.set(wake);
      last = wake.getTime();
      await s.processQueue();
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
    expect((await only(s)).attempts).toBe(13);
  });

  it('jitters each delay within ±25 %, never beyond the cap', async () => {
    const cases = [
      [0, {}, 45_000],
      [0.25, {}, 52_500],
      [0.999_999, {}, 75_000],
      [0.999_999, { baseDelayMs: 6 * HOUR }, 6 * HOUR],
      [0, { baseDelayMs: 6 * HOUR }, 4.5 * HOUR],
    ] as const;
    for (const [random, retry, expected] of cases) {
      globalThis.indexedDB = new IDBFactory();
      const s = service(scriptedFetch([503]).fetch, manualClock(), { random: () => random, retry });
      await s.submit(submitInput());
      expect((await s.nextWakeup())?.getTime()).toBe(T0.getTime() + expected);
      await s.close();
    }
  });

  it('gives up after at most seven days', async () => {
    const clock = manualClock();
    const { fetch, calls } = scriptedFetch([], 500);
    const s = service(fetch, clock);
    await s.submit(submitInput());
    for (let i = 0; i < 100; i += 1) {
      const wake = await s.nextWakeup();
      if (!wake) break;
      clock.set(wake);
      await s.processQueue();
    }
    const record = await only(s);
    expect(record).toMatchObject({ status: 'failed', lastError: 'gave-up', nextAttemptAt: null });
    expect(clock.ms - T0.getTime()).toBeLessThanOrEqual(7 * DAY);
    expect(clock.ms - T0.getTime()).toBeGreaterThan(6 * DAY);
    expect(calls.length).toBe(record.attempts);
    expect(record.attempts).toBeLessThanOrEqual(DEFAULT_RETRY.maxAttempts);
  });

  it('gives up after the maximum number of attempts', async () => {
    const clock = manualClock();
    const s = service(scriptedFetch([], 503).fetch, clock, { retry: { maxAttempts: 3 } });
    await s.submit(submitInput());
    for (let i = 0; i < 10; i += 1) {
      const wake = await s.nextWakeup();
      if (!wake) break;
      clock.set(wake);
      await s.processQueue();
    }
    expect(await only(s)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gave-up' });
  });

  it('two concurrent processQueue calls never send one record twice', async () => {
    const clock = manualClock();
    let release: (r: Response) => void = () => {};
    const { fetch, calls } = scriptedFetch([
      503,
      () =>
        new Promise<Response>((resolve) => {
          release = resolve;
        }),
    ]);
    const a = service(fetch, clock);
    const b = service(fetch, clock);
    await a.submit(submitInput());
    clock.advance(MIN);
    // Two runs in one worker and one in another, all at once.
    let settled = 0;
    const runs = [a.processQueue(), a.processQueue(), b.processQueue()];
    for (const run of runs) void run.then(() => (settled += 1));
    // Two of them must finish while the third still holds the record in flight.
    while (settled < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(calls).toHaveLength(2);
    release(new Response(null, { status: 200 }));
    const results = await Promise.all(runs);
    expect(results.reduce((n, r) => n + r.attempted, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(calls).toHaveLength(2);
    expect(await only(a)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a worker killed mid-send loses nothing: the lease runs out and another sends it', async () => {
    const clock = manualClock();
    let fetching: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      fetching = resolve;
    });
    let lateAnswer: (r: Response) => void = () => {};
    // The "killed" worker: its request never comes back (until the test says so).
    const dying = service(() => {
      fetching();
      return new Promise<Response>((resolve) => {
        lateAnswer = resolve;
      });
    }, clock);
    const pending = dying.submit(submitInput());
    await started;

    const { fetch, calls } = scriptedFetch([200]);
    const next = service(fetch, clock);
    expect(await next.processQueue()).toMatchObject({ attempted: 0 });
    const lease = await next.nextWakeup();
    expect(lease).not.toBeNull();
    expect(lease?.getTime()).toBeGreaterThan(clock.ms);
    clock.set(lease as Date);
    expect(await next.processQueue()).toEqual({ attempted: 1, sent: 1, retrying: 0, failed: 0 });
    expect(calls.map((c) => (c.body as Report).reportId)).toEqual([ID1]);

    // The dead worker's answer arriving late changes nothing.
    lateAnswer(new Response(null, { status: 503 }));
    await pending;
    expect(await only(next)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a late answer to a lost claim does not overwrite the newer attempt', async () => {
    const clock = manualClock();
    let fetching: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      fetching = resolve;
    });
    let lateAnswer: (r: Response) => void = () => {};
    const stalled = service(() => {
      fetching();
      return new Promise<Response>((resolve) => {
        lateAnswer = resolve;
      });
    }, clock);
    const pending = stalled.submit(submitInput());
    await started;

    const other = service(scriptedFetch([503]).fetch, clock);
    clock.set((await other.nextWakeup()) as Date);
    expect(await other.processQueue()).toMatchObject({ attempted: 1, retrying: 1 });
    const afterRetry = await only(other);
    expect(afterRetry).toMatchObject({ status: 'retrying', attempts: 2, lastError: 'http-503' });

    clock.advance(10_000);
    lateAnswer(new Response(null, { status: 400 }));
    expect((await pending).status).toBe('queued');
    expect(await only(other)).toEqual(afterRetry);
  });

  it('survives a restart: a new service over the same database sends what was pending', async () => {
    const running = await startReportReceiver();
    receivers.push(running);
    const endpoint = brand({ reportEndpoint: running.url });
    const clock = manualClock();
    const offline = service(scriptedFetch([new TypeError('offline'), new TypeError('offline')]).fetch, clock);
    expect((await offline.submit(submitInput({ brand: endpoint }))).status).toBe('queued');
    const second = submitInput({ brand: endpoint, snapshot: snapshot({ productId: 'B0EXAMPLE2' }) });
    expect((await offline.submit(second)).status).toBe('queued');
    await offline.close();

    // A new worker: a fresh service, nothing in memory, the same database.
    const after = createReportService({
      fetch: (url, init) => fetch(url, init),
      now: clock.now,
      random: () => 0.5,
    });
    services.push(after);
    const wake = await after.nextWakeup();
    expect(wake).toEqual(new Date(T0.getTime() + MIN));
    clock.set(wake as Date);
    expect(await after.processQueue()).toEqual({ attempted: 2, sent: 2, retrying: 0, failed: 0 });
    expect(running.receiver.reports.map((r) => r.reportId).sort()).toEqual([ID1, ID2]);
    expect((await after.list()).every((r) => r.status === 'sent')).toBe(true);
  });
});

describe('limits', () => {
  it('one report per listing per day, resets after 24 hours', async () => {
    const clock = manualClock();
    const s = service(scriptedFetch([], 200).fetch, clock);
    expect((await s.submit(submitInput())).status).toBe('sent');
    expect(await s.submit(submitInput())).toEqual({ status: 'limited', limit: 'listing-daily' });
    // Another listing is fine.
    expect((await s.submit(submitInput({ snapshot: snapshot({ productId: 'B0OTHER001' }) }))).status).toBe(
      'sent',
    );
    clock.advance(DAY - 1);
    expect(await s.submit(submitInput())).toEqual({ status: 'limited', limit: 'listing-daily' });
    clock.advance(1);
    expect((await s.submit(submitInput())).status).toBe('sent');
    expect(await s.list()).toHaveLength(3);
  });

  it('the same listing on another site is another listing', async () => {
    const s = service(scriptedFetch([], 200).fetch);
    await s.submit(submitInput());
    const uk = snapshot({ site: 'amazon.co.uk', url: 'https://www.amazon.co.uk/dp/B0EXAMPLE1' });
    expect((await s.submit(submitInput({ snapshot: uk }))).status).toBe('sent');
  });

  it('a daily cap over all listings, reset the next day', async () => {
    const clock = manualClock();
    const s = service(scriptedFetch([], 200).fetch, clock, { limits: { dailyCap: 3 } });
    const listing = (n: number) => submitInput({ snapshot: snapshot({ productId: `B0LISTING${n}` }) });
    for (let n = 0; n < 3; n += 1) expect((await s.submit(listing(n))).status).toBe('sent');
    expect(await s.submit(listing(3))).toEqual({ status: 'limited', limit: 'daily-cap' });
    clock.advance(12 * HOUR);
    expect(await s.submit(listing(4))).toEqual({ status: 'limited', limit: 'daily-cap' });
    clock.advance(12 * HOUR);
    expect((await s.submit(listing(5))).status).toBe('sent');
  });

  it('the default cap is 20 a day', async () => {
    const s = service(scriptedFetch([], 200).fetch);
    for (let n = 0; n < 20; n += 1) {
      expect((await s.submit(submitInput({ snapshot: snapshot({ productId: `P${n}` }) }))).status).toBe(
        'sent',
      );
    }
    expect(await s.submit(submitInput({ snapshot: snapshot({ productId: 'P20' }) }))).toEqual({
      status: 'limited',
      limit: 'daily-cap',
    });
  });

  it('two quick clicks on one listing make one report', async () => {
    const { fetch, calls } = scriptedFetch([], 200);
    const s = service(fetch);
    const results = await Promise.all([s.submit(submitInput()), s.submit(submitInput())]);
    expect(results.map((r) => r.status).sort()).toEqual(['limited', 'sent']);
    expect(calls).toHaveLength(1);
  });
});

describe('history and storage', () => {
  it('delete: a queued report is never sent; list is newest first; clearAll empties', async () => {
    const clock = manualClock();
    const { fetch, calls } = scriptedFetch([503, 503], 200);
    const s = service(fetch, clock);
    await s.submit(submitInput());
    clock.advance(1000);
    await s.submit(submitInput({ snapshot: snapshot({ productId: 'B0EXAMPLE2' }) }));
    expect((await s.list()).map((r) => r.reportId)).toEqual([ID2, ID1]);
    await s.delete(ID1);
    expect(await s.get(ID1)).toBeNull();
    clock.advance(HOUR);
    expect(await s.processQueue()).toEqual({ attempted: 1, sent: 1, retrying: 0, failed: 0 });
    expect(calls.map((c) => (c.body as Report).reportId)).toEqual([ID1, ID2, ID2]);
    expect((await s.list()).map((r) => r.reportId)).toEqual([ID2]);
    await s.delete('no-such-report');
    await s.clearAll();
    expect(await s.list()).toEqual([]);
    expect(await s.nextWakeup()).toBeNull();
  });

  it('uses its own database, never the store’s "genuine"', async () => {
    const s = service(scriptedFetch([200]).fetch);
    await s.submit(submitInput());
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toContain(REPORTS_DB);
    expect(names).not.toContain('genuine');
  });

  it('validates what it reads: a corrupt record is ignored, not sent, not fatal', async () => {
    const clock = manualClock();
    const { fetch, calls } = scriptedFetch([503], 200);
    const s = service(fetch, clock);
    await s.submit(submitInput());
    const raw = await openDB(REPORTS_DB, 1);
    const good = (await raw.get('reports', ID1)) as ReportRecord;
    await raw.put('reports', { reportId: 'evil', status: 'queued', nextAttemptAt: T0.toISOString() });
    await raw.put('reports', {
      ...good,
      reportId: '00000000-0000-4000-8000-0000000000ff',
      payload: { ...good.payload, reportId: '00000000-0000-4000-8000-0000000000ff', extra: 'smuggled' },
    });
    await raw.put('reports', { ...good, reportId: 'mismatch' });
    raw.close();
    expect((await s.list()).map((r) => r.reportId)).toEqual([ID1]);
    expect(await s.nextWakeup()).toEqual(new Date(T0.getTime() + MIN));
    clock.advance(HOUR);
    expect(await s.processQueue()).toEqual({ attempted: 1, sent: 1, retrying: 0, failed: 0 });
    expect(calls.map((c) => (c.body as Report).reportId)).toEqual([ID1, ID1]);
  });
});
