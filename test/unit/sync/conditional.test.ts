import { describe, expect, it, vi } from 'vitest';
import { acmeFeed, HOUR, makeDirectory, NOW, sign } from '../../fixtures/sync/feeds';
import { serve } from '../../fixtures/sync/server';
import { DIR_URL, FEED_URL, type Harness, harness } from './harness';

/**
 * `conditional: 'http-cache'` (the extension): lib/sync sends no validator of its own and asks
 * with `cache: "no-cache"`, so the browser's HTTP cache (createHttpCache here) revalidates with
 * its own If-None-Match, which needs no CORS preflight, and hands back its stored 200 on a 304.
 */

async function cached(): Promise<Harness> {
  const h = await harness({ conditional: 'http-cache' });
  await h.serveDirectory(makeDirectory([h.acmeBrand()]), { etag: '"dir-1"' });
  await h.serveAcme(1, { etag: '"acme-1"' });
  const report = await h.sync.syncAll();
  if (report.feeds[0]?.status !== 'updated') throw new Error(`setup failed: ${JSON.stringify(report)}`);
  return h;
}

describe("conditional requests left to the browser's HTTP cache", () => {
  it('sends no If-None-Match of its own, with cache "no-cache"; the cache revalidates', async () => {
    const h = await cached();
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    await h.sync.syncAll();
    // What lib/sync asked for: never a validator, always no-cache, never cookies.
    expect(h.cache.asked.length).toBeGreaterThanOrEqual(4);
    for (const request of h.cache.asked) {
      expect(request.headers.get('If-None-Match')).toBeNull();
      expect(request.init).toMatchObject({ cache: 'no-cache', credentials: 'omit', method: 'GET' });
    }
    // What the server saw on the re-sync: one conditional GET each, answered 304.
    const resync = h.server.requests.slice(-2);
    expect(resync.map((r) => [r.url, r.headers.get('If-None-Match')]).sort()).toEqual([
      [FEED_URL, '"acme-1"'],
      [DIR_URL, '"dir-1"'],
    ]);
  });

  it('a 304 seen as the same bytes: unchanged, nothing imported, no meta written, one recorded check', async () => {
    const h = await cached();
    const before = await h.store.stats();
    const importFeed = vi.spyOn(h.store, 'importFeed');
    const putMeta = vi.spyOn(h.store, 'putMeta');
    const recordChecks = vi.spyOn(h.store, 'recordChecks');
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const report = await h.sync.syncAll();
    expect(report.directory?.status).toBe('unchanged');
    expect(report.feeds).toEqual([{ url: FEED_URL, status: 'unchanged', version: 1, error: null }]);
    expect(importFeed).not.toHaveBeenCalled();
    expect(putMeta).not.toHaveBeenCalled();
    expect(recordChecks).toHaveBeenCalledTimes(1);
    expect(recordChecks.mock.calls[0]?.[0].map((c) => c.url)).toEqual([FEED_URL]);
    expect(await h.store.stats()).toEqual(before);
    expect(await h.store.getMeta(FEED_URL)).toMatchObject({
      version: 1,
      etag: '"acme-1"',
      lastSuccess: h.clock.now.toISOString(),
      nextSync: new Date(h.clock.now.getTime() + 24 * HOUR).toISOString(),
    });
  });

  it('a new version comes back as a 200 with new bytes and is imported', async () => {
    const h = await cached();
    await h.serveAcme(2, { etag: '"acme-2"' });
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    expect(await h.sync.syncFeed(FEED_URL)).toMatchObject({ status: 'updated', version: 2 });
    expect(h.server.requests.at(-1)?.headers.get('If-None-Match')).toBe('"acme-1"');
    expect(await h.store.getMeta(FEED_URL)).toMatchObject({ version: 2, etag: '"acme-2"' });
    expect((await h.store.getBrand('acme'))?.feedVersion).toBe(2);
  });

  it('an evicted cache costs one full download, and still nothing is imported or written per feed', async () => {
    const h = await cached();
    h.cache.clear();
    const importFeed = vi.spyOn(h.store, 'importFeed');
    const putMeta = vi.spyOn(h.store, 'putMeta');
    const requests = h.server.count(FEED_URL);
    expect((await h.sync.syncFeed(FEED_URL)).status).toBe('unchanged');
    expect(h.server.count(FEED_URL)).toBe(requests + 1);
    expect(h.server.requests.at(-1)?.headers.get('If-None-Match')).toBeNull();
    expect(importFeed).not.toHaveBeenCalled();
    expect(putMeta).not.toHaveBeenCalled();
  });

  it('a failed request is not asked again without a validator (there was none to drop)', async () => {
    const h = await cached();
    h.server.route(FEED_URL, () => {
      throw new TypeError('Failed to fetch');
    });
    const requests = h.server.count(FEED_URL);
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('network');
    expect(h.server.count(FEED_URL)).toBe(requests + 1);
  });

  it('new pins in the directory: the cached bytes are verified again with them', async () => {
    const h = await cached();
    const other = { ...h.acmeBrand(), keys: [{ keyid: 'acme-2027a', publicKey: h.dirKey.publicKey }] };
    await h.serveDirectory(makeDirectory([other], 2), { etag: '"dir-2"' });
    await h.sync.syncDirectory();
    // Same feed bytes (a 304 to the cache), but no longer signed by a pinned key: refused.
    expect((await h.sync.syncFeed(FEED_URL)).error?.code).toBe('bad-signature');
    expect((await h.store.getMeta(FEED_URL))?.failures).toBe(1);
  });

  it('header mode is unchanged: If-None-Match set by lib/sync, cache "no-store"', async () => {
    const h = await harness();
    await h.serveDirectory(makeDirectory([h.acmeBrand()]), { etag: '"dir-1"' });
    h.server.route(FEED_URL, serve(await sign(acmeFeed(1), 'feed', h.acmeKey), { etag: '"acme-1"' }));
    await h.sync.syncAll();
    h.clock.now = new Date(NOW.getTime() + 25 * HOUR);
    const report = await h.sync.syncAll();
    expect(report.feeds.map((f) => f.status)).toEqual(['not-modified']);
    const last = h.server.requests.at(-1);
    expect(last?.headers.get('If-None-Match')).toBe('"acme-1"');
    expect(last?.init.cache).toBe('no-store');
    expect(h.cache.asked).toEqual([]);
  });
});
