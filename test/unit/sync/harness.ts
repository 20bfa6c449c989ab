import type { Directory } from '../../../lib/feed';
import { type GenuineStore, openStore } from '../../../lib/store';
import { type ConditionalMode, createSync, type FetchLike, type Sync } from '../../../lib/sync';
import { acmeFeed, makeDirectory, NOW, newKey, sign, type TestKey } from '../../fixtures/sync/feeds';
import { createServer, type FakeServer, serve } from '../../fixtures/sync/server';

export const DIR_URL = 'https://directory.genuine.example/directory.json';
export const FEED_URL = 'https://acme.example/.well-known/genuine-feed.json';

/**
 * A browser's HTTP cache in front of the fake server, as the Fetch standard describes it for the
 * two cache modes lib/sync uses: "no-store" passes through and stores nothing; "no-cache" stores
 * a 200 that carries an ETag (unless it says no-store), revalidates a stored copy with the
 * cache's OWN If-None-Match, and turns a 304 into the stored 200 with the same bytes.
 * `asked` keeps what script passed to fetch (the server's log keeps what went on the wire).
 */
export function createHttpCache(inner: FetchLike) {
  const stored = new Map<string, { body: Uint8Array; headers: Headers; etag: string }>();
  const asked: { url: string; init: RequestInit; headers: Headers }[] = [];
  const fetch: FetchLike = async (url, init) => {
    asked.push({ url, init, headers: new Headers(init.headers) });
    if (init.cache !== 'no-cache') return inner(url, init);
    const entry = stored.get(url);
    const headers = new Headers(init.headers);
    if (entry) headers.set('If-None-Match', entry.etag);
    const response = await inner(url, { ...init, headers });
    if (entry && response.status === 304) {
      return new Response(entry.body.slice(), { status: 200, headers: entry.headers });
    }
    const etag = response.headers.get('etag');
    const noStore = /no-store/i.test(response.headers.get('cache-control') ?? '');
    if (response.status !== 200 || etag === null || noStore) {
      if (noStore) stored.delete(url);
      return response;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    stored.set(url, { body, headers: response.headers, etag });
    return new Response(body.slice(), { status: 200, headers: response.headers });
  };
  return {
    fetch,
    asked,
    /** Forgets everything, as an eviction or "clear browsing data" would. */
    clear: () => stored.clear(),
  };
}

export interface Harness {
  store: GenuineStore;
  server: FakeServer;
  /** The fake HTTP cache between lib/sync and the server (used in `http-cache` mode only). */
  cache: ReturnType<typeof createHttpCache>;
  sync: Sync;
  dirKey: TestKey;
  acmeKey: TestKey;
  /** The injected clock. */
  clock: { now: Date };
  /** The injected random source's next value(s). */
  rnd: { value: number };
  logs: string[];
  acmeBrand(feeds?: string[], status?: 'active' | 'revoked'): Directory['brands'][number];
  /** Serves a signed directory at DIR_URL. */
  serveDirectory(directory: Directory, options?: { etag?: string; cacheControl?: string }): Promise<string>;
  /** Serves acmeFeed(version) signed with the acme key at FEED_URL. */
  serveAcme(version?: number, options?: { etag?: string; cacheControl?: string }): Promise<string>;
}

export interface HarnessOptions {
  timeoutMs?: number;
  /** `header` unless given; `http-cache` puts createHttpCache between lib/sync and the server. */
  conditional?: ConditionalMode;
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const store = await openStore(`sync-${Math.random()}`);
  const server = createServer();
  const cache = createHttpCache(server.fetch);
  const clock = { now: NOW };
  const rnd = { value: 0 };
  const logs: string[] = [];
  const [dirKey, acmeKey] = await Promise.all([newKey('genuine-dir'), newKey('acme-2026a')]);
  const sync = createSync({
    store,
    fetch: options.conditional === 'http-cache' ? cache.fetch : server.fetch,
    now: () => clock.now,
    random: () => rnd.value,
    directoryUrl: DIR_URL,
    directoryKeys: [dirKey.publicKey],
    timeoutMs: options.timeoutMs ?? 2000,
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...(options.conditional ? { conditional: options.conditional } : {}),
  });
  const h: Harness = {
    store,
    server,
    cache,
    sync,
    dirKey,
    acmeKey,
    clock,
    rnd,
    logs,
    acmeBrand(feeds = [FEED_URL], status = 'active') {
      return {
        brandId: 'acme',
        name: 'ACME',
        keys: [{ keyid: acmeKey.keyid, publicKey: acmeKey.publicKey }],
        feeds,
        status,
      };
    },
    async serveDirectory(directory, opts = {}) {
      const body = await sign(directory, 'directory', dirKey);
      server.route(DIR_URL, serve(body, opts));
      return body;
    },
    async serveAcme(version = 1, opts = {}) {
      const body = await sign(acmeFeed(version), 'feed', acmeKey);
      server.route(FEED_URL, serve(body, opts));
      return body;
    },
  };
  return h;
}

/** Directory listing acme, acme's feed served, both synced. */
export async function syncedAcme(options: HarnessOptions = {}): Promise<Harness> {
  const h = await harness(options);
  await h.serveDirectory(makeDirectory([h.acmeBrand()]), { etag: '"dir-1"' });
  await h.serveAcme(1, { etag: '"acme-1"' });
  const report = await h.sync.syncAll();
  if (report.feeds[0]?.status !== 'updated') throw new Error(`setup failed: ${JSON.stringify(report)}`);
  return h;
}
