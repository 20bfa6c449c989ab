import { verifyDocument } from '../../lib/feed';
import { openStore } from '../../lib/store';
import type { FeedMeta } from '../../lib/store/types';
import { createSync, type FetchLike, type SyncResult } from '../../lib/sync';
import { countWrites, type WriteCounter, type WriteCounts } from './idb-count';

/**
 * The sync benchmark, the same code in Node (fake-indexeddb, an in-memory server) and inside the
 * extension's service worker in Chromium (its IndexedDB, its fetch, the local HTTPS server):
 *
 * 1. subscribe the store to every feed (one FeedMeta each, as lib/sync keeps them), then run
 *    lib/sync's `syncAll()` over an empty store: each feed is fetched, verified and imported in its
 *    own transaction, `concurrency` at a time. Timed from start to end, worker heap sampled.
 * 2. run `syncAll()` again with nothing changed on the server: every feed must cost one
 *    conditional request (If-None-Match, answered 304) and no data written. Requests are counted
 *    here at the client (the Chromium run also counts them at the server) and every IndexedDB
 *    write is counted per object store by wrapping IDBObjectStore.prototype.
 *
 * 3. (runStoreOnlyBench, run after) the store's part alone: the same feeds fetched and verified again,
 *    STORE_ONLY_CHUNK at a time, then handed to a fresh store's importFeed all at once; only the
 *    importFeed calls are timed (summed over chunks), the figure to set beside the bulk-put floor.
 *
 * Feeds are subscribed as "user" feeds (trusted keys pinned in their meta) so that the directory
 * sync which `syncAll()` also runs (the bench directory lists no brand) leaves them in place.
 */

/** Object stores holding list data; a re-sync with nothing changed must write none of them. */
export const DATA_STORES = ['buckets', 'blocked', 'brands', 'names', 'gens'] as const;
/** Object stores holding the per-feed schedule and sync state (written on every sync by design). */
export const SCHEDULE_STORES = ['meta', 'state'] as const;

export interface FeedRef {
  url: string;
  brandId: string;
  keys: string[];
}

export interface SyncBenchInput {
  feeds: readonly FeedRef[];
  directoryUrl: string;
  directoryKeys: string[];
  dbName: string;
  idbFactory?: IDBFactory;
  fetch: FetchLike;
  /** Monotonic milliseconds (performance.now). */
  now: () => number;
  concurrency?: number;
  /** Heap in use, sampled every `sampleMs` while the import runs (bytes). */
  memory?: () => number;
  sampleMs?: number;
  /** Bytes the origin stores (navigator.storage.estimate().usage). */
  estimate?: () => Promise<number>;
  /** Progress for long runs. */
  onProgress?: (done: number, total: number) => void;
}

/** Feeds verified, then imported together, per step of the store-only phase. */
export const STORE_ONLY_CHUNK = 250;

export interface RequestCounts {
  total: number;
  conditional: number;
  byStatus: Record<string, number>;
}

export interface SyncBenchResult {
  feeds: number;
  importMs: number;
  /** Sum of the time spent inside store.importFeed over all feeds (they overlap when concurrent). */
  importFeedMsSum: number;
  statuses: Record<string, number>;
  failures: { url: string; code: string; message: string }[];
  stats: { sellers: number; products: number; blocked: number; brands: number; names: number; feeds: number };
  heapPeak: number | null;
  heapBefore: number | null;
  bytesBefore: number | null;
  bytesAfter: number | null;
  importRequests: RequestCounts;
  /** Wall clock (Date.now) when the import started and when the re-sync started, to split server logs. */
  importStartedAt: number;
  resync: {
    startedAt: number;
    ms: number;
    statuses: Record<string, number>;
    requests: RequestCounts;
    writes: WriteCounts;
    dataWrites: number;
    scheduleWrites: number;
    /** Store contents identical before and after (row counts and every feed's generation). */
    unchanged: boolean;
  };
}

function newMeta(feed: FeedRef): FeedMeta {
  return {
    url: feed.url,
    brandId: feed.brandId,
    source: 'user',
    keys: feed.keys,
    version: null,
    sha256: null,
    etag: null,
    issuedAt: null,
    expiresAt: null,
    lastAttempt: null,
    lastSuccess: null,
    lastError: null,
    nextSync: null,
    failures: 0,
    generation: null,
  };
}

function tally(results: readonly SyncResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

function countingFetch(inner: FetchLike, feedUrls: ReadonlySet<string>) {
  let counts: RequestCounts = { total: 0, conditional: 0, byStatus: {} };
  let done = 0;
  const fetch: FetchLike = async (input, init) => {
    const isFeed = feedUrls.has(input);
    const headers = new Headers(init.headers);
    if (isFeed) {
      counts.total += 1;
      if (headers.has('If-None-Match')) counts.conditional += 1;
    }
    const response = await inner(input, init);
    if (isFeed) {
      const key = String(response.status);
      counts.byStatus[key] = (counts.byStatus[key] ?? 0) + 1;
      done += 1;
    }
    return response;
  };
  return {
    fetch,
    counts: () => ({ ...counts, byStatus: { ...counts.byStatus } }),
    done: () => done,
    reset() {
      counts = { total: 0, conditional: 0, byStatus: {} };
      done = 0;
    },
  };
}

export async function runSyncBench(input: SyncBenchInput): Promise<SyncBenchResult> {
  const { now } = input;
  const store = await openStore(input.dbName, input.idbFactory);
  // Writes are counted for the re-sync only: the wrapper would otherwise cost the import's own figure.
  let writes: WriteCounter | null = null;
  let sampler: ReturnType<typeof setInterval> | null = null;
  try {
    for (const feed of input.feeds) await store.putMeta(newMeta(feed));

    // Time spent in importFeed, summed (the store is shared with sync, so wrap it).
    let importFeedMsSum = 0;
    const timedStore = Object.create(store) as typeof store;
    timedStore.importFeed = async (...args: Parameters<typeof store.importFeed>) => {
      const t = now();
      try {
        return await store.importFeed(...args);
      } finally {
        importFeedMsSum += now() - t;
      }
    };

    const client = countingFetch(input.fetch, new Set(input.feeds.map((f) => f.url)));
    const sync = createSync({
      store: timedStore,
      fetch: client.fetch,
      now: () => new Date(),
      random: () => 0.5,
      directoryUrl: input.directoryUrl,
      directoryKeys: input.directoryKeys,
      ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
      timeoutMs: 120_000,
    });

    const bytesBefore = input.estimate ? await input.estimate() : null;
    const heapBefore = input.memory ? input.memory() : null;
    let heapPeak = heapBefore;
    if (input.memory) {
      const memory = input.memory;
      sampler = setInterval(() => {
        const m = memory();
        if (heapPeak === null || m > heapPeak) heapPeak = m;
        input.onProgress?.(client.done(), input.feeds.length);
      }, input.sampleMs ?? 100);
    }
    const importStartedAt = Date.now();
    const t0 = now();
    const first = await sync.syncAll();
    const importMs = now() - t0;
    if (sampler) clearInterval(sampler);
    sampler = null;
    if (input.memory) {
      const m = input.memory();
      if (heapPeak === null || m > heapPeak) heapPeak = m;
    }
    const importRequests = client.counts();
    const statsAfter = await store.stats();
    const bytesAfter = input.estimate ? await input.estimate() : null;
    const failures = first.feeds
      .filter((r) => r.status === 'failed')
      .slice(0, 10)
      .map((r) => ({ url: r.url, code: r.error?.code ?? '?', message: r.error?.message ?? '' }));

    // Re-sync with nothing changed.
    const generations = new Map((await store.listMeta()).map((m) => [m.url, m.generation]));
    client.reset();
    writes = countWrites();
    const resyncStartedAt = Date.now();
    const t1 = now();
    const second = await sync.syncAll();
    const resyncMs = now() - t1;
    const resyncWrites = writes.counts();
    const statsAgain = await store.stats();
    const metasAgain = await store.listMeta();
    const unchanged =
      JSON.stringify(statsAgain) === JSON.stringify(statsAfter) &&
      metasAgain.every((m) => generations.get(m.url) === m.generation);

    const resyncData = writes.total(DATA_STORES);
    const resyncSchedule = writes.total(SCHEDULE_STORES);
    const resyncRequests = client.counts();

    return {
      feeds: input.feeds.length,
      importMs,
      importFeedMsSum,
      statuses: tally(first.feeds),
      failures,
      stats: {
        sellers: statsAfter.sellers,
        products: statsAfter.products,
        blocked: statsAfter.blocked,
        brands: statsAfter.brands,
        names: statsAfter.names,
        feeds: statsAfter.feeds,
      },
      heapPeak,
      heapBefore,
      bytesBefore,
      bytesAfter,
      importRequests,
      importStartedAt,
      resync: {
        startedAt: resyncStartedAt,
        ms: resyncMs,
        statuses: tally(second.feeds),
        requests: resyncRequests,
        writes: resyncWrites,
        dataWrites: resyncData,
        scheduleWrites: resyncSchedule,
        unchanged,
      },
    };
  } finally {
    if (sampler) clearInterval(sampler);
    writes?.restore();
    store.close();
  }
}

export interface StoreOnlyResult {
  feeds: number;
  chunk: number;
  /** importFeed alone, summed over chunks. */
  importMs: number;
  /** Fetching and verifying the feeds, summed over chunks (not part of importMs). */
  fetchVerifyMs: number;
}

/** Phase 3, its own job: the same feeds fetched and verified again, then importFeed alone timed. */
export async function runStoreOnlyBench(
  input: Pick<SyncBenchInput, 'feeds' | 'idbFactory' | 'fetch' | 'now'>,
  dbName: string,
): Promise<StoreOnlyResult> {
  const factory = input.idbFactory ?? globalThis.indexedDB;
  const store = await openStore(dbName, factory);
  let importMs = 0;
  let fetchVerifyMs = 0;
  try {
    for (let i = 0; i < input.feeds.length; i += STORE_ONLY_CHUNK) {
      const t0 = input.now();
      const verified = await Promise.all(
        input.feeds.slice(i, i + STORE_ONLY_CHUNK).map(async (ref) => {
          const response = await input.fetch(ref.url, { cache: 'no-store', credentials: 'omit' });
          const body = new Uint8Array(await response.arrayBuffer());
          const result = await verifyDocument(body, {
            kind: 'feed',
            keys: ref.keys,
            now: new Date(),
            expectBrandId: ref.brandId,
          });
          if (!result.ok) throw new Error(`${ref.url}: ${result.code}: ${result.message}`);
          const feed = result.document;
          if (!('channels' in feed)) throw new Error(`${ref.url}: not a brand feed`);
          const meta: FeedMeta = {
            ...newMeta(ref),
            version: result.version,
            sha256: result.sha256,
            issuedAt: feed.issuedAt,
            expiresAt: feed.expiresAt,
          };
          return { meta, feed };
        }),
      );
      const t1 = input.now();
      await Promise.all(verified.map(({ meta, feed }) => store.importFeed(meta, feed)));
      importMs += input.now() - t1;
      fetchVerifyMs += t1 - t0;
    }
  } finally {
    store.close();
    await new Promise<void>((resolve) => {
      const request = factory.deleteDatabase(dbName);
      const done = () => resolve();
      request.onsuccess = done;
      request.onerror = done;
      request.onblocked = done;
    });
  }
  return { feeds: input.feeds.length, chunk: STORE_ONLY_CHUNK, importMs, fetchVerifyMs };
}
