import { describe, expect, it, vi } from 'vitest';
import { keyFingerprint, toBase64 } from '../../../lib/feed';
import type { GenuineStore } from '../../../lib/store';
import { CHECKS_CHUNK, createSync, DEFAULT_CONCURRENCY } from '../../../lib/sync';
import {
  acmeFeed,
  DAY,
  HOUR,
  isoAt,
  makeDirectory,
  makeFeed,
  metaFor,
  NOW,
  newKey,
  sign,
} from '../../fixtures/sync/feeds';
import { endless, hangingBody, hangingHeaders, serve, status } from '../../fixtures/sync/server';
import { DIR_URL, FEED_URL, harness, syncedAcme } from './harness';

const MIN = 60_000;
const OFFICIAL = { id: 'A1B2C3D4E5F6G7', name: null };

async function acmeVersion(store: GenuineStore): Promise<number | null> {
  return (await store.getBrand('acme'))?.feedVersion ?? null;
}

describe('directory and feed sync', () => {
  it('subscribes to the directory brands and imports their feeds', async () => {
    const h = await syncedAcme();
    const meta = await h.store.getMeta(FEED_URL);
    expect(meta).toMatchObject({
      brandId: 'acme',
      source: 'directory',
      keys: [h.acmeKey.publicKey],
      version: 1,
      etag: '"acme-1"',
      failures: 0,
      lastError: null,
      lastSuccess: NOW.toISOString(),
    });
    expect(await acmeVersion(h.store)).toBe(1);
    expect(await h.store.findSeller('acme', 'amazon', 'amazon.com', OFFICIAL)).not.toBeNull();
    const directory = await h.store.getDirectory();
    expect(directory).toMatchObject({
      version: 1,
      etag: '"dir-1"',
      brands: [{ brandId: 'acme', status: 'active' }],
    });
    expect(await h.store.getClockFloor()).toBe(acmeFeed(1).issuedAt);
  });

  it('304: no writes but one recorded check (when nothing else changed)', async () => {
    const h = await syncedAcme();
    const before = await h.store.stats();
    const importFeed = vi.spyOn(h.store, 'importFeed');
    const dropFeed = vi.spyOn(h.store, 'dropFeed');
    const putMeta = vi.spyOn(h.store, 'putMeta');
    const recordChecks = vi.spyOn(h.store, 'recordChecks');
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const result = await h.sync.syncFeed(FEED_URL);
    expect(result).toEqual({ url: FEED_URL, status: 'not-modified', version: 1, error: null });
    const request = h.server.requests.at(-1);
    expect(request?.headers.get('If-None-Match')).toBe('"acme-1"');
    expect(request?.init.cache).toBe('no-store');
    expect(importFeed).not.toHaveBeenCalled();
    expect(dropFeed).not.toHaveBeenCalled();
    expect(putMeta).not.toHaveBeenCalled();
    const nextSync = new Date(h.clock.now.getTime() + 24 * HOUR).toISOString();
    expect(recordChecks).toHaveBeenCalledTimes(1);
    expect(recordChecks).toHaveBeenCalledWith([
      {
        url: FEED_URL,
        lastAttempt: h.clock.now.toISOString(),
        lastSuccess: h.clock.now.toISOString(),
        nextSync,
      },
    ]);
    expect(await h.store.stats()).toEqual(before);
    const meta = await h.store.getMeta(FEED_URL);
    expect(meta?.lastSuccess).toBe(h.clock.now.toISOString());
    expect(meta?.nextSync).toBe(nextSync);
    expect(meta).toMatchObject({ etag: '"acme-1"', version: 1, failures: 0, lastError: null });
  });

  it('a 304 after failures still writes the meta, to clear them', async () => {
    const h = await syncedAcme();
    h.server.route(FEED_URL, status(503));
    await h.sync.syncFeed(FEED_URL);
    await h.serveAcme(1, { etag: '"acme-1"' });
    const putMeta = vi.spyOn(h.store, 'putMeta');
    const recordChecks = vi.spyOn(h.store, 'recordChecks');
    h.clock.now = new Date(NOW.getTime() + HOUR);
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('not-modified');
    expect(putMeta).toHaveBeenCalledTimes(1);
    expect(recordChecks).not.toHaveBeenCalled();
    expect(await h.store.getMeta(FEED_URL)).toMatchObject({
      failures: 0,
      lastError: null,
      lastSuccess: h.clock.now.toISOString(),
    });
  });

  it("an unchanged syncAll records every feed's check in one recordChecks call and writes no meta", async () => {
    const h = await harness();
    const SHARD = 'https://acme.example/genuine-products-2.json';
    await h.serveDirectory(makeDirectory([h.acmeBrand([FEED_URL, SHARD])]), { etag: '"dir-1"' });
    await h.serveAcme(1, { etag: '"acme-1"' });
    // A server without ETags: the same bytes come back as a 200 ("unchanged").
    h.server.route(SHARD, serve(await sign(makeFeed({ version: 4 }), 'feed', h.acmeKey)));
    expect((await h.sync.syncAll()).feeds.map((f) => f.status)).toEqual(['updated', 'updated']);

    const putMeta = vi.spyOn(h.store, 'putMeta');
    const importFeed = vi.spyOn(h.store, 'importFeed');
    const recordChecks = vi.spyOn(h.store, 'recordChecks');
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const report = await h.sync.syncAll();
    expect(report.directory?.status).toBe('not-modified');
    expect(report.feeds.map((f) => [f.url, f.status]).sort()).toEqual([
      [FEED_URL, 'not-modified'],
      [SHARD, 'unchanged'],
    ]);
    expect(putMeta).not.toHaveBeenCalled();
    expect(importFeed).not.toHaveBeenCalled();
    expect(recordChecks).toHaveBeenCalledTimes(1);
    expect(recordChecks.mock.calls[0]?.[0].map((c) => c.url).sort()).toEqual([FEED_URL, SHARD]);
    for (const meta of await h.store.listMeta()) {
      expect(meta.lastAttempt).toBe(h.clock.now.toISOString());
      expect(meta.nextSync).toBe(new Date(h.clock.now.getTime() + 24 * HOUR).toISOString());
    }
    // Nothing is due any more: the recorded checks moved the schedule on.
    expect(await h.sync.syncDue()).toEqual({ directory: null, feeds: [] });
  });

  it('a long unchanged run records its checks in chunks, so a stopped worker loses at most one chunk', async () => {
    const h = await harness();
    const urls = Array.from({ length: 2 * CHECKS_CHUNK }, (_, i) => `https://brand${i}.example/feed.json`);
    for (const url of urls) {
      await h.store.putMeta(
        metaFor(url, `b${urls.indexOf(url)}`, {
          source: 'user',
          version: 1,
          etag: '"e"',
          lastAttempt: isoAt(-DAY),
        }),
      );
      h.server.route(url, status(304));
    }
    h.server.route(DIR_URL, status(503));
    const putMeta = vi.spyOn(h.store, 'putMeta');
    const recordChecks = vi.spyOn(h.store, 'recordChecks');
    const report = await h.sync.syncAll();
    expect(report.feeds.filter((f) => f.status === 'not-modified')).toHaveLength(urls.length);
    expect(putMeta).not.toHaveBeenCalled();
    // A chunk is written once CHECKS_CHUNK checks wait; the other feeds in flight may add theirs first.
    const sizes = recordChecks.mock.calls.map(([checks]) => checks.length);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThanOrEqual(CHECKS_CHUNK);
      expect(size).toBeLessThan(CHECKS_CHUNK + DEFAULT_CONCURRENCY);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(urls.length);
    expect((await h.store.listMeta()).every((m) => m.lastSuccess === NOW.toISOString())).toBe(true);
  });

  it('asks again without If-None-Match when a host refuses the conditional request (CORS preflight)', async () => {
    const h = await syncedAcme();
    // A feed host that allows the origin but not the If-None-Match header: the browser's preflight
    // fails and fetch rejects as a network error, before any answer.
    const plain = serve(await sign(acmeFeed(2), 'feed', h.acmeKey), { etag: '"acme-2"' });
    h.server.route(FEED_URL, (request) => {
      if (request.headers.get('If-None-Match') !== null) throw new TypeError('Failed to fetch');
      return plain(request);
    });
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const result = await h.sync.syncFeed(FEED_URL);
    expect(result).toMatchObject({ status: 'updated', version: 2, error: null });
    const last = h.server.requests.slice(-2).map((r) => r.headers.get('If-None-Match'));
    expect(last).toEqual(['"acme-1"', null]);
    expect(await acmeVersion(h.store)).toBe(2);
  });

  it('the same bytes again (a server without ETags) are not imported again', async () => {
    const h = await harness();
    await h.serveDirectory(makeDirectory([h.acmeBrand()]));
    await h.serveAcme(1);
    await h.sync.syncAll();
    const importFeed = vi.spyOn(h.store, 'importFeed');
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('unchanged');
    expect(importFeed).not.toHaveBeenCalled();
    expect((await h.sync.syncDirectory()).status).toBe('unchanged');
  });

  it('schedules by Cache-Control max-age with a 1 h floor and a 24 h default, plus jitter', async () => {
    const h = await harness();
    await h.serveDirectory(makeDirectory([h.acmeBrand()]), { cacheControl: 'max-age=60' });
    await h.serveAcme(1, { cacheControl: 'public, max-age=7200' });
    await h.sync.syncAll();
    expect((await h.store.getDirectory())?.nextSync).toBe(isoAt(HOUR));
    expect((await h.store.getMeta(FEED_URL))?.nextSync).toBe(isoAt(2 * HOUR));

    await h.serveAcme(2);
    h.rnd.value = 0.999;
    await h.sync.syncFeed(FEED_URL);
    const next = Date.parse((await h.store.getMeta(FEED_URL))?.nextSync ?? '') - NOW.getTime();
    expect(next).toBeGreaterThan(24 * HOUR);
    expect(next).toBeLessThanOrEqual(24 * HOUR * 1.1);
    expect(next).toBe(Math.round(24 * HOUR * (1 + 0.1 * 0.999)));
  });

  it('backs off 15 min, doubling, capped at 24 h, and keeps the last good copy', async () => {
    const h = await syncedAcme();
    h.server.route(FEED_URL, status(500));
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const result = await h.sync.syncFeed(FEED_URL);
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('http-500');
      const meta = await h.store.getMeta(FEED_URL);
      const next = Date.parse(meta?.nextSync ?? '');
      delays.push((next - h.clock.now.getTime()) / MIN);
      h.clock.now = new Date(next);
    }
    expect(delays).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
    const meta = await h.store.getMeta(FEED_URL);
    expect(meta?.failures).toBe(9);
    expect(meta?.lastError).toMatchObject({ code: 'http-500' });
    expect(await acmeVersion(h.store)).toBe(1);
    expect(await h.store.findSeller('acme', 'amazon', 'amazon.com', OFFICIAL)).not.toBeNull();

    // Jitter applies to backoff too; success resets the count.
    h.rnd.value = 0.5;
    await h.sync.syncFeed(FEED_URL);
    const jittered = Date.parse((await h.store.getMeta(FEED_URL))?.nextSync ?? '') - h.clock.now.getTime();
    expect(jittered).toBe(24 * HOUR * 1.05);
    await h.serveAcme(2);
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('updated');
    expect(await h.store.getMeta(FEED_URL)).toMatchObject({ failures: 0, lastError: null, version: 2 });
  });

  it.each([
    [404, 'http-404'],
    [500, 'http-500'],
    [503, 'http-503'],
  ])('HTTP %i keeps the last good copy', async (code, expected) => {
    const h = await syncedAcme();
    h.server.route(FEED_URL, status(code));
    const result = await h.sync.syncFeed(FEED_URL);
    expect(result).toMatchObject({ status: 'failed', version: 1, error: { code: expected } });
    expect(await acmeVersion(h.store)).toBe(1);
    expect((await h.store.getMeta(FEED_URL))?.lastError?.code).toBe(expected);
  });

  it('a redirect loop (fetch rejects) keeps the last good copy', async () => {
    const h = await syncedAcme();
    const redirecting = createSync({
      store: h.store,
      fetch: () => Promise.reject(new TypeError('fetch failed: redirect count exceeded')),
      now: () => h.clock.now,
      random: () => 0,
      directoryUrl: DIR_URL,
      directoryKeys: [h.dirKey.publicKey],
    });
    const result = await redirecting.syncFeed(FEED_URL);
    expect(result).toMatchObject({ status: 'failed', error: { code: 'network' } });
    expect(await acmeVersion(h.store)).toBe(1);
    expect((await redirecting.syncDirectory()).error?.code).toBe('network');
    expect((await h.store.getDirectory())?.version).toBe(1);
  });

  it('a 6 MB stream is cut off: too-large, last good kept', async () => {
    const h = await syncedAcme();
    const big = endless({ total: 6 * 1024 * 1024 });
    h.server.route(FEED_URL, big.handler);
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('too-large');
    expect(big.state.cancelled).toBe(true);
    expect(big.state.pulled).toBeLessThan(6 * 1024 * 1024);
    expect(await acmeVersion(h.store)).toBe(1);
  });

  it('the directory is capped at 1 MB', async () => {
    const h = await harness();
    const big = endless({ total: 2 * 1024 * 1024 });
    h.server.route(DIR_URL, big.handler);
    expect((await h.sync.syncDirectory()).error?.code).toBe('too-large');
    expect(big.state.pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it('a body that never ends and headers that never come time out', async () => {
    const h = await syncedAcme({ timeoutMs: 100 });
    h.server.route(FEED_URL, hangingBody());
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('timeout');
    h.server.route(FEED_URL, hangingHeaders());
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('timeout');
    expect(await acmeVersion(h.store)).toBe(1);
    expect((await h.store.getMeta(FEED_URL))?.failures).toBe(2);
  });

  it('410 drops the feed and the brand; it stays dropped until a newer directory', async () => {
    const h = await syncedAcme();
    h.server.route(FEED_URL, status(410));
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('dropped');
    expect(await h.store.getBrand('acme')).toBeNull();
    expect(await h.store.getMeta(FEED_URL)).toBeNull();
    expect(await h.store.stats()).toMatchObject({ sellers: 0, products: 0, brands: 0 });
    // The same directory again does not bring it back...
    h.server.route(DIR_URL, serve(await sign(makeDirectory([h.acmeBrand()]), 'directory', h.dirKey)));
    await h.sync.syncDirectory();
    expect(await h.store.getMeta(FEED_URL)).toBeNull();
    // ...a newer one gives it another try.
    await h.serveDirectory(makeDirectory([h.acmeBrand()], 2));
    await h.sync.syncDirectory();
    expect((await h.store.getMeta(FEED_URL))?.brandId).toBe('acme');
  });

  it('status "revoked" in the directory drops the brand', async () => {
    const h = await syncedAcme();
    await h.serveDirectory(makeDirectory([h.acmeBrand([FEED_URL], 'revoked')], 2));
    expect((await h.sync.syncDirectory()).status).toBe('updated');
    expect(await h.store.getBrand('acme')).toBeNull();
    expect(await h.store.getMeta(FEED_URL)).toBeNull();
    expect((await h.store.getDirectory())?.brands).toEqual([
      { brandId: 'acme', status: 'revoked', feeds: [FEED_URL] },
    ]);
  });

  it('a brand missing from a newer directory is dropped', async () => {
    const h = await syncedAcme();
    await h.serveDirectory(makeDirectory([], 2));
    await h.sync.syncDirectory();
    expect(await h.store.getBrand('acme')).toBeNull();
    expect(await h.store.listMeta()).toEqual([]);
  });

  it('an older directory is refused (rollback) and changes nothing', async () => {
    const h = await syncedAcme();
    await h.serveDirectory(makeDirectory([h.acmeBrand()], 5));
    await h.sync.syncDirectory();
    await h.serveDirectory(makeDirectory([], 4));
    expect((await h.sync.syncDirectory()).error?.code).toBe('rollback');
    expect(await acmeVersion(h.store)).toBe(1);
    expect((await h.store.getDirectory())?.version).toBe(5);
  });

  it('a directory with a bad signature is refused', async () => {
    const h = await syncedAcme();
    const mallory = await newKey('mallory');
    h.server.route(DIR_URL, serve(await sign(makeDirectory([], 9), 'directory', mallory)));
    expect((await h.sync.syncDirectory()).error?.code).toBe('bad-signature');
    expect(await acmeVersion(h.store)).toBe(1);
  });

  it('refuses a rolled-back feed and the same version with other bytes', async () => {
    const h = await syncedAcme();
    await h.serveAcme(3);
    await h.sync.syncFeed(FEED_URL);
    await h.serveAcme(2);
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('rollback');
    const other = makeFeed({ version: 3, brand: { name: 'ACME', aliases: ['sneaky'] } });
    h.server.route(FEED_URL, serve(await sign(other, 'feed', h.acmeKey)));
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('rollback');
    expect(await acmeVersion(h.store)).toBe(3);
    expect(await h.store.findBrandsByName('sneaky')).toEqual([]);
  });

  it('refuses a feed signed by a key the directory does not pin, and one claiming another brand', async () => {
    const h = await syncedAcme();
    const mallory = await newKey('mallory');
    h.server.route(FEED_URL, serve(await sign(acmeFeed(2), 'feed', mallory)));
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('bad-signature');
    h.server.route(FEED_URL, serve(await sign(makeFeed({ brandId: 'evil', version: 2 }), 'feed', h.acmeKey)));
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('schema');
    expect(await acmeVersion(h.store)).toBe(1);
    expect(await h.store.getBrand('evil')).toBeNull();
  });

  it('does not import an expired feed', async () => {
    const h = await harness();
    await h.serveDirectory(makeDirectory([h.acmeBrand()]));
    const stale = makeFeed({ issuedAt: isoAt(-40 * DAY), expiresAt: isoAt(-DAY) });
    h.server.route(FEED_URL, serve(await sign(stale, 'feed', h.acmeKey)));
    const report = await h.sync.syncAll();
    expect(report.feeds[0]?.error?.code).toBe('expired');
    expect(await h.store.getBrand('acme')).toBeNull();
    expect(await h.store.stats()).toMatchObject({ brands: 0, sellers: 0 });
  });

  it('judges expiry by the newest issuedAt ever accepted when the clock goes back', async () => {
    const h = await syncedAcme();
    // A directory issued "now"; then the clock is wound back 60 days.
    await h.serveDirectory(makeDirectory([h.acmeBrand()], 2, { issuedAt: isoAt(0) }));
    await h.sync.syncDirectory();
    h.clock.now = new Date(NOW.getTime() - 60 * DAY);
    // Valid by the wound-back clock, expired by the newest issuedAt seen.
    const old = makeFeed({ version: 2, issuedAt: isoAt(-70 * DAY), expiresAt: isoAt(-30 * DAY) });
    h.server.route(FEED_URL, serve(await sign(old, 'feed', h.acmeKey)));
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('expired');
  });

  it('follows a brand with several feed URLs, each with its own meta', async () => {
    const h = await harness();
    const SHARD = 'https://acme.example/genuine-products-2.json';
    await h.serveDirectory(makeDirectory([h.acmeBrand([FEED_URL, SHARD])]));
    await h.serveAcme(1);
    const shard = makeFeed({ version: 4, products: [{ ids: { asin: 'B0SHARD2X1' }, name: 'Shard' }] });
    h.server.route(SHARD, serve(await sign(shard, 'feed', h.acmeKey)));
    const report = await h.sync.syncAll();
    expect(report.feeds.map((f) => [f.url, f.status, f.version]).sort()).toEqual([
      [FEED_URL, 'updated', 1],
      [SHARD, 'updated', 4],
    ]);
    expect((await h.store.findProduct('acme', { gtin: null, productId: 'B0SHARD2X1' }))?.name).toBe('Shard');
    expect(await h.store.findSeller('acme', 'amazon', 'amazon.com', OFFICIAL)).not.toBeNull();
    // The directory stops listing the shard: only the shard goes.
    await h.serveDirectory(makeDirectory([h.acmeBrand([FEED_URL])], 2));
    await h.sync.syncDirectory();
    expect(await h.store.findProduct('acme', { gtin: null, productId: 'B0SHARD2X1' })).toBeNull();
    expect(await acmeVersion(h.store)).toBe(1);
  });

  it('new pinned keys in the directory force a full fetch verified with them', async () => {
    const h = await syncedAcme();
    const rotated = await newKey('acme-2027a');
    const brand = { ...h.acmeBrand(), keys: [{ keyid: rotated.keyid, publicKey: rotated.publicKey }] };
    await h.serveDirectory(makeDirectory([brand], 2));
    await h.sync.syncDirectory();
    const meta = await h.store.getMeta(FEED_URL);
    expect(meta).toMatchObject({ keys: [rotated.publicKey], etag: null });
    expect(meta?.nextSync).toBe(NOW.toISOString());
    // The feed is still signed by the old key: refused now, the old copy stays.
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('bad-signature');
    expect(h.server.requests.at(-1)?.headers.get('If-None-Match')).toBeNull();
    h.server.route(FEED_URL, serve(await sign(acmeFeed(2), 'feed', rotated)));
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('updated');
  });

  it('syncDue fetches only what is due; nextWakeup is the earliest nextSync', async () => {
    const h = await syncedAcme();
    expect(await h.sync.nextWakeup()).toEqual(new Date(NOW.getTime() + 24 * HOUR));
    const requests = h.server.requests.length;
    const report = await h.sync.syncDue();
    expect(report).toEqual({ directory: null, feeds: [] });
    expect(h.server.requests.length).toBe(requests);
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const due = await h.sync.syncDue();
    expect(due.directory?.status).toBe('not-modified');
    expect(due.feeds.map((f) => f.status)).toEqual(['not-modified']);
    expect(await h.sync.nextWakeup()).toEqual(new Date(h.clock.now.getTime() + 24 * HOUR));
  });

  it('syncAll leaves feeds in backoff alone unless forced', async () => {
    const h = await syncedAcme();
    h.server.route(FEED_URL, status(500));
    await h.sync.syncFeed(FEED_URL);
    const count = h.server.count(FEED_URL);
    expect((await h.sync.syncAll()).feeds).toEqual([]);
    expect(h.server.count(FEED_URL)).toBe(count);
    expect((await h.sync.syncAll({ force: true })).feeds.map((f) => f.error?.code)).toEqual(['http-500']);
    expect(h.server.count(FEED_URL)).toBe(count + 1);
  });

  it('a user feed claiming a directory brand is dropped when the directory names it', async () => {
    const h = await harness();
    await h.serveDirectory(makeDirectory([]));
    await h.sync.syncDirectory();
    const USER_URL = 'https://acme-fan.example/feed.json';
    h.server.route(USER_URL, serve(await sign(acmeFeed(1), 'feed', await newKey('fan'))));
    expect((await h.sync.addUserFeed(USER_URL)).ok).toBe(true);
    await h.serveDirectory(makeDirectory([h.acmeBrand()], 2));
    await h.serveAcme(1);
    await h.sync.syncAll();
    expect(await h.store.getMeta(USER_URL)).toBeNull();
    expect((await h.store.getBrand('acme'))?.feedUrl).toBe(FEED_URL);
  });

  it('never throws: a failing store ends up as a failed result', async () => {
    const h = await syncedAcme();
    const broken = {
      ...h.store,
      getMeta: () => Promise.reject(new Error('disk on fire')),
      getDirectory: () => Promise.reject(new Error('disk on fire')),
      listMeta: () => Promise.reject(new Error('disk on fire')),
    } satisfies GenuineStore;
    const sync = createSync({
      store: broken,
      fetch: h.server.fetch,
      now: () => NOW,
      random: () => 0,
      directoryUrl: DIR_URL,
      directoryKeys: [],
    });
    expect((await sync.syncFeed(FEED_URL)).error?.code).toBe('internal');
    expect((await sync.syncDirectory()).error?.code).toBe('internal');
    expect((await sync.syncDue()).directory?.status).toBe('failed');
    expect((await sync.syncAll({ force: true })).directory?.status).toBe('failed');
    expect(await sync.nextWakeup()).toBeNull();
    expect(await sync.addUserFeed('https://x.example/feed.json')).toMatchObject({
      ok: false,
      code: 'internal',
    });
    expect(await sync.removeFeed(FEED_URL)).toMatchObject({ ok: false, code: 'internal' });
  });
});

describe('user feeds (trust on first use)', () => {
  const USER_URL = 'https://indie.example/.well-known/genuine-feed.json';
  const indieFeed = (version: number) =>
    makeFeed({
      brandId: 'indie',
      version,
      brand: { name: 'Indie Co', aliases: ['インディー'] },
      channels: [{ marketplace: 'etsy', complete: true, sellers: [{ id: 'IndieShop', relation: 'brand' }] }],
    });

  it('adds a feed, pins the key that signed it, and shows its fingerprint', async () => {
    const h = await harness();
    const key = await newKey('indie-1');
    h.server.route(USER_URL, serve(await sign(indieFeed(1), 'feed', key), { etag: '"i1"' }));
    const result = await h.sync.addUserFeed(USER_URL);
    expect(result).toMatchObject({
      ok: true,
      brandId: 'indie',
      fingerprint: await keyFingerprint(key.publicKey),
    });
    if (result.ok) {
      expect(result.meta).toMatchObject({ source: 'user', keys: [key.publicKey], version: 1, etag: '"i1"' });
      expect(result.meta.generation).not.toBeNull();
    }
    expect((await h.store.findBrandsByName('インディー')).map((b) => b.brandId)).toEqual(['indie']);
    expect(
      await h.store.findSeller('indie', 'etsy', 'etsy.com', { id: 'indieshop', name: null }),
    ).not.toBeNull();
    expect((await h.sync.syncFeed(USER_URL)).status).toBe('not-modified');
  });

  it('refuses a changed key loudly, showing both fingerprints, and keeps the trusted copy', async () => {
    const h = await harness();
    const key = await newKey('indie-1');
    h.server.route(USER_URL, serve(await sign(indieFeed(1), 'feed', key)));
    await h.sync.addUserFeed(USER_URL);
    const other = await newKey('indie-2');
    h.server.route(USER_URL, serve(await sign(indieFeed(2), 'feed', other)));
    const result = await h.sync.syncFeed(USER_URL);
    expect(result.error?.code).toBe('key-changed');
    expect(result.error?.message).toContain(await keyFingerprint(key.publicKey));
    expect(result.error?.message).toContain(await keyFingerprint(other.publicKey));
    expect((await h.store.getMeta(USER_URL))?.keys).toEqual([key.publicKey]);
    expect((await h.store.getBrand('indie'))?.feedVersion).toBe(1);
    expect(h.logs.some((l) => l.startsWith('warn') && l.includes('key-changed'))).toBe(true);
  });

  it('a bad signature under an unchanged key is bad-signature, not key-changed', async () => {
    const h = await harness();
    const key = await newKey('indie-1');
    h.server.route(USER_URL, serve(await sign(indieFeed(1), 'feed', key)));
    await h.sync.addUserFeed(USER_URL);
    const forged = JSON.parse(await sign(indieFeed(2), 'feed', key));
    forged.payload = toBase64(new TextEncoder().encode(JSON.stringify({ ...indieFeed(2), version: 3 })));
    h.server.route(USER_URL, serve(JSON.stringify(forged)));
    expect((await h.sync.syncFeed(USER_URL)).error?.code).toBe('bad-signature');
  });

  it('refuses a URL already subscribed, a brand in the directory, a brand already subscribed', async () => {
    const h = await syncedAcme();
    const key = await newKey('indie-1');
    h.server.route(USER_URL, serve(await sign(indieFeed(1), 'feed', key)));
    expect((await h.sync.addUserFeed(USER_URL)).ok).toBe(true);
    expect(await h.sync.addUserFeed(USER_URL)).toMatchObject({ ok: false, code: 'already-subscribed' });
    expect(await h.sync.addUserFeed(FEED_URL)).toMatchObject({ ok: false, code: 'already-subscribed' });
    const COPY = 'https://mirror.example/acme.json';
    h.server.route(COPY, serve(await sign(acmeFeed(9), 'feed', key)));
    expect(await h.sync.addUserFeed(COPY)).toMatchObject({ ok: false, code: 'brand-in-directory' });
    const SECOND = 'https://mirror.example/indie.json';
    h.server.route(SECOND, serve(await sign(indieFeed(2), 'feed', await newKey('x'))));
    expect(await h.sync.addUserFeed(SECOND)).toMatchObject({ ok: false, code: 'brand-exists' });
    expect(await h.store.getMeta(COPY)).toBeNull();
    expect(await h.store.getMeta(SECOND)).toBeNull();
  });

  it('refuses bad URLs, unsigned-by-whom feeds, and failed fetches with a code', async () => {
    const h = await harness();
    expect(await h.sync.addUserFeed('http://indie.example/feed.json')).toMatchObject({
      ok: false,
      code: 'bad-url',
    });
    expect(await h.sync.addUserFeed('not a url')).toMatchObject({ ok: false, code: 'bad-url' });
    const envelope = JSON.parse(await sign(indieFeed(1), 'feed', await newKey('k')));
    for (const s of envelope.signatures) delete s.publicKey;
    h.server.route(USER_URL, serve(JSON.stringify(envelope)));
    expect(await h.sync.addUserFeed(USER_URL)).toMatchObject({ ok: false, code: 'no-public-key' });
    h.server.route(USER_URL, status(404));
    expect(await h.sync.addUserFeed(USER_URL)).toMatchObject({ ok: false, code: 'http-404' });
    h.server.route(USER_URL, serve('not json'));
    expect(await h.sync.addUserFeed(USER_URL)).toMatchObject({ ok: false, code: 'malformed' });
    expect(await h.store.listMeta()).toEqual([]);
  });

  it('removes user feeds, not directory ones', async () => {
    const h = await syncedAcme();
    h.server.route(USER_URL, serve(await sign(indieFeed(1), 'feed', await newKey('k'))));
    await h.sync.addUserFeed(USER_URL);
    expect(await h.sync.removeFeed(USER_URL)).toEqual({ ok: true });
    expect(await h.store.getBrand('indie')).toBeNull();
    expect(await h.sync.removeFeed(USER_URL)).toMatchObject({ ok: false, code: 'not-subscribed' });
    expect(await h.sync.removeFeed(FEED_URL)).toMatchObject({ ok: false, code: 'directory-feed' });
    expect(await acmeVersion(h.store)).toBe(1);
  });
});
