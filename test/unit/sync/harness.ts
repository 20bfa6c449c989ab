import type { Directory } from '../../../lib/feed';
import { type GenuineStore, openStore } from '../../../lib/store';
import { createSync, type Sync } from '../../../lib/sync';
import { acmeFeed, makeDirectory, NOW, newKey, sign, type TestKey } from '../../fixtures/sync/feeds';
import { createServer, type FakeServer, serve } from '../../fixtures/sync/server';

export const DIR_URL = 'https://directory.genuine.example/directory.json';
export const FEED_URL = 'https://acme.example/.well-known/genuine-feed.json';

export interface Harness {
  store: GenuineStore;
  server: FakeServer;
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
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const store = await openStore(`sync-${Math.random()}`);
  const server = createServer();
  const clock = { now: NOW };
  const rnd = { value: 0 };
  const logs: string[] = [];
  const [dirKey, acmeKey] = await Promise.all([newKey('genuine-dir'), newKey('acme-2026a')]);
  const sync = createSync({
    store,
    fetch: server.fetch,
    now: () => clock.now,
    random: () => rnd.value,
    directoryUrl: DIR_URL,
    directoryKeys: [dirKey.publicKey],
    timeoutMs: options.timeoutMs ?? 2000,
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const h: Harness = {
    store,
    server,
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
