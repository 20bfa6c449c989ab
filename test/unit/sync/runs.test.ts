import { describe, expect, it, vi } from 'vitest';
import { createSync, type Sync } from '../../../lib/sync';
import { DAY, HOUR, isoAt, makeFeed, metaFor, sign } from '../../fixtures/sync/feeds';
import { type Handler, serve, status } from '../../fixtures/sync/server';
import { DIR_URL, type Harness, harness } from './harness';

/**
 * A run over many feeds (syncAll, syncDue) reads every meta once with listMeta and the clock floor
 * once, instead of once per feed; metas written meanwhile (removeFeed, another sync of the feed)
 * are read again, so nothing removed comes back and nothing newer is overwritten.
 */

const ISSUED = isoAt(-DAY);
const urlOf = (i: number) => `https://brand${i}.example/feed.json`;

/** `n` user feeds pinned to the acme key, each serving a signed feed of its own brand. */
async function userFeeds(h: Harness, n: number): Promise<string[]> {
  const urls = Array.from({ length: n }, (_, i) => urlOf(i));
  for (const [i, url] of urls.entries()) {
    await h.store.putMeta(metaFor(url, `b${i}`, { source: 'user', keys: [h.acmeKey.publicKey] }));
    const feed = makeFeed({ brandId: `b${i}`, issuedAt: ISSUED, brand: { name: `Brand ${i}` } });
    h.server.route(url, serve(await sign(feed, 'feed', h.acmeKey), { etag: `"b${i}-1"` }));
  }
  h.server.route(DIR_URL, status(503));
  return urls;
}

/** A route that waits until `release()` before answering as `handler`. */
function held(handler: Handler) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const started: { resolve: () => void; promise: Promise<void> } = (() => {
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { resolve, promise };
  })();
  const route: Handler = async (request) => {
    started.resolve();
    await released;
    return handler(request);
  };
  return { route, release, started: started.promise };
}

function oneAtATime(h: Harness): Sync {
  return createSync({
    store: h.store,
    fetch: h.server.fetch,
    now: () => h.clock.now,
    random: () => 0,
    directoryUrl: DIR_URL,
    directoryKeys: [h.dirKey.publicKey],
    timeoutMs: 2000,
    concurrency: 1,
  });
}

async function countedRun(n: number) {
  const h = await harness();
  await userFeeds(h, n);
  const spies = {
    listMeta: vi.spyOn(h.store, 'listMeta'),
    getMeta: vi.spyOn(h.store, 'getMeta'),
    getClockFloor: vi.spyOn(h.store, 'getClockFloor'),
    raiseClockFloor: vi.spyOn(h.store, 'raiseClockFloor'),
    importFeed: vi.spyOn(h.store, 'importFeed'),
    putMeta: vi.spyOn(h.store, 'putMeta'),
  };
  const report = await h.sync.syncAll();
  return {
    h,
    report,
    calls: Object.fromEntries(Object.entries(spies).map(([k, spy]) => [k, spy.mock.calls.length])),
  };
}

/**
 * Two user feeds and a run over them, one feed at a time, held while the first feed's answer is
 * on its way: what a test does next happens while the run waits.
 */
async function runHeldAtFirstFeed() {
  const h = await harness();
  const [first, second] = await userFeeds(h, 2);
  if (!first || !second) throw new Error('setup');
  const sync = oneAtATime(h);
  const body = await sign(makeFeed({ brandId: 'b0', issuedAt: ISSUED }), 'feed', h.acmeKey);
  const hold = held(serve(body));
  h.server.route(first, hold.route);
  const run = sync.syncAll();
  await hold.started;
  return { h, first, second, sync, hold, run };
}

describe('a run over many feeds', () => {
  it('reads the metas and the clock floor once per run, not once per feed', async () => {
    const small = await countedRun(2);
    const large = await countedRun(9);
    for (const { report, h } of [small, large]) {
      expect(report.feeds.every((f) => f.status === 'updated')).toBe(true);
      expect(await h.store.getClockFloor()).toBe(ISSUED);
    }
    // Only the imports themselves grow with the number of feeds.
    expect(small.calls.importFeed).toBe(2);
    expect(large.calls.importFeed).toBe(9);
    const { importFeed: _s, ...smallRest } = small.calls;
    const { importFeed: _l, ...largeRest } = large.calls;
    expect(largeRest).toEqual(smallRest);
    expect(large.calls).toMatchObject({ listMeta: 1, getMeta: 0, getClockFloor: 1, putMeta: 0 });
    // Every feed was issued at the same time: the floor is written once.
    expect(large.calls.raiseClockFloor).toBe(1);
  });

  it('failures found in a run do not read each meta again either', async () => {
    const h = await harness();
    const urls = await userFeeds(h, 5);
    for (const url of urls) h.server.route(url, status(500));
    const getMeta = vi.spyOn(h.store, 'getMeta');
    const report = await h.sync.syncAll();
    expect(report.feeds.map((f) => f.error?.code)).toEqual(urls.map(() => 'http-500'));
    expect(getMeta).not.toHaveBeenCalled();
    for (const meta of await h.store.listMeta()) expect(meta.failures).toBe(1);
  });

  it('a feed removed while the run waits is not brought back', async () => {
    const { h, first, second, sync, hold, run } = await runHeldAtFirstFeed();
    // Queued behind the first feed's sync, ahead of the second's.
    const removed = sync.removeFeed(second);
    hold.release();
    expect(await removed).toEqual({ ok: true });
    const report = await run;
    expect(report.feeds.map((f) => [f.url, f.status, f.error?.code ?? null])).toEqual([
      [first, 'updated', null],
      [second, 'failed', 'unknown-feed'],
    ]);
    expect((await h.store.listMeta()).map((m) => m.url)).toEqual([first]);
    expect(await h.store.getBrand('b1')).toBeNull();
    expect(h.server.count(second)).toBe(0);
  });

  it('a feed synced on its own while the run waits is not overwritten with the listed meta', async () => {
    const { h, first, second, sync, hold, run } = await runHeldAtFirstFeed();
    expect((await sync.syncFeed(second)).status).toBe('updated');
    const importFeed = vi.spyOn(h.store, 'importFeed');
    hold.release();
    const report = await run;
    // The run asks with the ETag the single sync stored, not as for a feed never fetched.
    expect(report.feeds.map((f) => [f.url, f.status])).toEqual([
      [first, 'updated'],
      [second, 'not-modified'],
    ]);
    expect(importFeed.mock.calls.map(([meta]) => meta.url)).toEqual([first]);
    expect(
      h.server.requests.filter((r) => r.url === second).map((r) => r.headers.get('If-None-Match')),
    ).toEqual([null, '"b1-1"']);
  });

  it('judges expiry by a floor raised earlier in the same run', async () => {
    const h = await harness();
    const [first, second] = await userFeeds(h, 2);
    if (!first || !second) throw new Error('setup');
    const sync = oneAtATime(h);
    // The first feed, issued 20 h ahead of the clock (within the skew allowed), raises the floor
    // past the second one's expiry, which the clock alone has not reached.
    const clock = h.clock.now;
    const ahead = isoAt(20 * HOUR, clock);
    const fresh = makeFeed({ brandId: 'b0', issuedAt: ahead, expiresAt: isoAt(30 * DAY, clock) });
    h.server.route(first, serve(await sign(fresh, 'feed', h.acmeKey)));
    const stale = makeFeed({
      brandId: 'b1',
      issuedAt: isoAt(-10 * DAY, clock),
      expiresAt: isoAt(10 * HOUR, clock),
    });
    h.server.route(second, serve(await sign(stale, 'feed', h.acmeKey)));
    const report = await sync.syncAll();
    expect(report.feeds.map((f) => f.error?.code ?? f.status)).toEqual(['updated', 'expired']);
    expect(await h.store.getClockFloor()).toBe(ahead);
  });
});
