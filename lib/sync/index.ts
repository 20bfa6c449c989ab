import {
  type Directory,
  decodePublicKey,
  type Feed,
  keyFingerprint,
  MAX_BYTES,
  parseEnvelope,
  type VerifyResult,
  verifyDocument,
} from '../feed';
import type { DirectoryState, GenuineStore } from '../store';
import type { FeedCheck, FeedMeta, SyncError } from '../store/types';
import { Budget, Gate } from './gate';
import { type FetchLike, fetchBounded, type HttpResult } from './http';
import { backoffInterval, successInterval, withJitter } from './schedule';

export type { FetchLike } from './http';
export * from './schedule';

/**
 * lib/sync: keeps the store in step with the signed directory and the brands' feeds, exactly as
 * feed-format.md section 4 says. It knows nothing of browser.*: fetch, the clock and the random
 * source are injected, and it never schedules anything itself (the background turns
 * `nextWakeup()` into an alarm). Its one timer is the 20 s request timeout (lib/sync/http.ts).
 *
 * No public function throws or rejects: every failure ends up in the feed's (or the directory's)
 * `lastError` and in the returned result.
 *
 * A feed found unchanged (304, or the same bytes again) with nothing else to record (same ETag,
 * no failure to clear) is not written on its own: its check (when it was tried, when to try next)
 * is kept in memory and handed to `store.recordChecks` once per run, so an unchanged re-sync of
 * thousands of feeds writes one row, not one meta per feed. Everything material (a new version
 * or ETag, a failure, a success after failures) still goes through `putMeta`/`importFeed` at once.
 */

export type SyncLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  details?: Record<string, unknown>,
) => void;

export interface SyncOptions {
  store: GenuineStore;
  fetch: FetchLike;
  now: () => Date;
  /** [0, 1), like Math.random; used for jitter only. */
  random: () => number;
  directoryUrl: string;
  /** base64 Ed25519 public keys trusted for the directory. */
  directoryKeys: string[];
  log?: SyncLog;
  /** Request timeout covering headers and body; 20 000 ms unless a test shortens it. */
  timeoutMs?: number;
  /** Feed syncs run at once by syncDue/syncAll (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
}

export type SyncStatus =
  /** A new version was verified and imported. */
  | 'updated'
  /** HTTP 304: nothing written but the schedule. */
  | 'not-modified'
  /** HTTP 200 with the bytes already stored. */
  | 'unchanged'
  /** HTTP 410 or the directory dropped it: the feed's data is gone. */
  | 'dropped'
  /** Failed; the last good copy stays in use. */
  | 'failed';

export interface SyncResult {
  url: string;
  status: SyncStatus;
  /** The version in use after the sync (null when there is none). */
  version: number | null;
  error: SyncError | null;
}

export interface SyncReport {
  /** null when syncDue found the directory not due. */
  directory: SyncResult | null;
  feeds: SyncResult[];
}

export type AddFeedResult =
  | { ok: true; brandId: string; fingerprint: string; meta: FeedMeta }
  | { ok: false; code: string; message: string };

export type RemoveFeedResult = { ok: true } | { ok: false; code: string; message: string };

export interface Sync {
  syncDirectory(): Promise<SyncResult>;
  syncFeed(url: string): Promise<SyncResult>;
  /** The directory if due, then every feed whose nextSync has passed (or was never set). */
  syncDue(): Promise<SyncReport>;
  /**
   * The directory and every feed. Without force, feeds waiting out a failure backoff are left
   * alone; with force (the "Sync now" button) they are fetched too. Requests stay conditional.
   */
  syncAll(options?: { force?: boolean }): Promise<SyncReport>;
  /** The earliest nextSync over the directory and all feeds (now when one is due), for the alarm. */
  nextWakeup(): Promise<Date | null>;
  /** Subscribes to a brand feed by URL, trusting on first use the key its signature carries. */
  addUserFeed(url: string): Promise<AddFeedResult>;
  /** Unsubscribes a user feed and deletes its data. Directory feeds cannot be removed. */
  removeFeed(url: string): Promise<RemoveFeedResult>;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/**
 * Feeds synced at once by a run. A first sync of a large directory waits mostly on the network
 * and on IndexedDB, not on the worker's thread: with many feeds in flight, those fetched while an
 * import transaction runs go into the next one together (lib/store), which is what makes
 * importing thousands of feeds fast. The import budget bounds the memory they hold meanwhile; a
 * browser opens at most 6 connections to one HTTP/1.1 host, so one host's feeds queue there.
 */
export const DEFAULT_CONCURRENCY = 16;
/**
 * Bytes of fetched feeds held until they are imported: three feeds at the 5 MB limit, or several
 * hundred typical ones (a 200-seller feed is about 27 kB).
 */
export const IMPORT_BUDGET_BYTES = 16 * 1024 * 1024;
/**
 * Unchanged checks are recorded at the end of a run, and every this many feeds during a long one:
 * should the worker be stopped mid-run, only the checks since the last write are lost, and those
 * feeds are simply asked again (conditionally) at the next wake-up.
 */
export const CHECKS_CHUNK = 500;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isFeed(document: Feed | Directory): document is Feed {
  return 'channels' in document;
}

function isDirectory(document: Feed | Directory): document is Directory {
  return 'brands' in document && !('channels' in document);
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

function userFeedUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  const local =
    parsed.protocol === 'http:' && (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1');
  if (parsed.protocol !== 'https:' && !local) return 'feeds are only fetched over https://';
  if (parsed.username || parsed.password) return 'a feed URL cannot carry a user name or password';
  return null;
}

function emptyDirectoryState(url: string): DirectoryState {
  return {
    url,
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
    brands: [],
    gone: [],
  };
}

function newFeedMeta(
  url: string,
  brandId: string,
  source: FeedMeta['source'],
  keys: string[],
  nextSync: string,
): FeedMeta {
  return {
    url,
    brandId,
    source,
    keys,
    version: null,
    sha256: null,
    etag: null,
    issuedAt: null,
    expiresAt: null,
    lastAttempt: null,
    lastSuccess: null,
    lastError: null,
    nextSync,
    failures: 0,
    generation: null,
  };
}

/** What a run over many feeds read once at its start (see syncFeedNow). */
interface RunSnapshot {
  /** The write sequence number before the metas were listed. */
  seq: number;
  metas: Map<string, FeedMeta>;
  /** Whether the clock floor was read at the start (else each feed reads it). */
  floorRead: boolean;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function createSync(options: SyncOptions): Sync {
  const { store, directoryUrl } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const gate = new Gate();
  const importBudget = new Budget(IMPORT_BUDGET_BYTES);
  /** Unchanged checks not yet written, by feed URL (see the note at the top). */
  const pendingChecks = new Map<string, FeedCheck>();
  const inFlight = new Map<string, Promise<SyncResult>>();
  /**
   * Meta writes by this instance, for reusing a run's listMeta: every putMeta/importFeed/dropFeed
   * stamps its URL with a new sequence number when it starts and again when it ends, so a listed
   * meta is used only when nothing was written to its URL since the list was asked for (lib/sync
   * is the only writer of metas, and the gate keeps addUserFeed, removeFeed and the directory out
   * while a feed syncs); otherwise the feed's meta is read again, as on its own.
   */
  let writeSeq = 0;
  const lastWrite = new Map<string, number>();
  /** The highest clock floor read or written (ms); the stored one is never lower. */
  let floorMs = Number.NEGATIVE_INFINITY;
  let floorWrites: Promise<void> = Promise.resolve();
  const log: SyncLog = (level, message, details) => {
    try {
      options.log?.(level, message, details);
    } catch {
      // A broken logger must not break sync.
    }
  };

  /** The injected clock, or the epoch when it misbehaves. */
  const clock = (): Date => {
    try {
      const t = options.now();
      if (t instanceof Date && Number.isFinite(t.getTime())) return t;
    } catch {
      // fall through
    }
    return new Date(0);
  };
  const iso = (t: Date) => t.toISOString();
  const after = (t: Date, ms: number) => new Date(t.getTime() + ms).toISOString();
  const random = () => {
    try {
      return options.random();
    } catch {
      return 0;
    }
  };

  async function readClockFloor(): Promise<void> {
    const floor = await store.getClockFloor();
    const at = floor === null ? Number.NaN : Date.parse(floor);
    if (Number.isFinite(at)) floorMs = Math.max(floorMs, at);
  }

  /**
   * Section 4: "now" is the later of the local clock and the newest issuedAt ever accepted. A run
   * over many feeds reads the floor once at its start (`fresh` false for its feeds): the floor only
   * rises, and every rise this instance makes is kept in `floorMs` too.
   */
  async function verificationNow(t: Date, fresh = true): Promise<Date> {
    if (fresh) await readClockFloor();
    return floorMs > t.getTime() ? new Date(floorMs) : t;
  }

  /**
   * Persists a newly accepted issuedAt as the floor, when it is above the one already known. The
   * writes queue one after another, so feeds accepted at once with the same issuedAt write it once.
   */
  function raiseClockFloor(issuedAt: string): Promise<void> {
    const at = Date.parse(issuedAt);
    if (!Number.isFinite(at) || at <= floorMs) return Promise.resolve();
    const write = floorWrites.then(async () => {
      if (at <= floorMs) return;
      await store.raiseClockFloor(issuedAt);
      floorMs = Math.max(floorMs, at);
    });
    floorWrites = write.catch(() => undefined);
    return write;
  }

  async function fetchWith(url: string, etag: string | null, limit: number): Promise<HttpResult> {
    const first = await fetchBounded(options.fetch, url, { etag, limit, timeoutMs });
    // If-None-Match is not a CORS-safelisted header, so in a browser the request is preflighted.
    // A host that sends Access-Control-Allow-Origin but does not allow that header in its
    // preflight makes the request fail as a network error; ask again without it rather than
    // never updating.
    if (etag !== null && first.kind === 'error' && first.code === 'network') {
      log('warn', `conditional request to ${url} failed (${first.message}); retrying without If-None-Match`, {
        url,
      });
      return fetchBounded(options.fetch, url, { etag: null, limit, timeoutMs });
    }
    return first;
  }

  // ---- store writes --------------------------------------------------------------------------

  // Every meta write for a feed supersedes a check of it not yet recorded: drop that check, or it
  // could land after the write and, being newer, hide what the write said (a "fetch now").
  // Each one stamps the URL before and after the write (see `lastWrite`).
  async function writing(url: string, write: () => Promise<void>): Promise<void> {
    pendingChecks.delete(url);
    lastWrite.set(url, ++writeSeq);
    try {
      await write();
    } finally {
      lastWrite.set(url, ++writeSeq);
    }
  }

  function putMeta(meta: FeedMeta): Promise<void> {
    return writing(meta.url, () => store.putMeta(meta));
  }

  function importFeed(meta: FeedMeta, feed: Feed): Promise<void> {
    return writing(meta.url, () => store.importFeed(meta, feed));
  }

  function dropFeed(url: string): Promise<void> {
    return writing(url, () => store.dropFeed(url));
  }

  /** Whether nothing was written to `url` by this instance since sequence number `seq`. */
  function untouchedSince(url: string, seq: number): boolean {
    return (lastWrite.get(url) ?? 0) <= seq;
  }

  /** Writes every pending check in one `recordChecks`; never rejects (a lost check only means an early retry). */
  async function flushChecks(): Promise<void> {
    if (pendingChecks.size === 0) return;
    const checks = [...pendingChecks.values()];
    pendingChecks.clear();
    try {
      await store.recordChecks(checks);
    } catch (error) {
      log('error', `could not record ${checks.length} unchanged feed checks: ${errorText(error)}`, {
        count: checks.length,
      });
    }
  }

  /**
   * A successful check that moves only the schedule on: kept for `recordChecks` when the meta has
   * nothing else to record (same ETag and copy, no failure to clear), else written with putMeta.
   */
  async function recordUnchanged(meta: FeedMeta, next: FeedMeta): Promise<void> {
    const { lastAttempt, lastSuccess, nextSync } = next;
    const onlySchedule =
      meta.failures === 0 &&
      meta.lastError === null &&
      next.etag === meta.etag &&
      next.version === meta.version &&
      next.sha256 === meta.sha256 &&
      next.issuedAt === meta.issuedAt &&
      next.expiresAt === meta.expiresAt;
    if (!onlySchedule || lastAttempt === null || lastSuccess === null || nextSync === null) {
      await putMeta(next);
      return;
    }
    pendingChecks.set(meta.url, { url: meta.url, lastAttempt, lastSuccess, nextSync });
  }

  // ---- feeds ---------------------------------------------------------------------------------

  /**
   * `since`: a sequence number at which the meta was known to be stored (read under the gate);
   * when nothing was written to it since, it still is, and need not be read again.
   */
  async function recordFeedFailure(
    meta: FeedMeta,
    t: Date,
    code: string,
    message: string,
    since?: number,
  ): Promise<SyncResult> {
    const failures = meta.failures + 1;
    const error: SyncError = { code, message, at: iso(t) };
    const updated: FeedMeta = {
      ...meta,
      lastAttempt: iso(t),
      lastError: error,
      failures,
      nextSync: after(t, withJitter(backoffInterval(failures), random)),
    };
    log('warn', `sync of ${meta.url} failed: ${code}: ${message}`, { url: meta.url, code, failures });
    try {
      // The feed may have been removed meanwhile; do not bring its meta back.
      const stored =
        (since !== undefined && untouchedSince(meta.url, since)) || (await store.getMeta(meta.url)) !== null;
      if (stored) await putMeta(updated);
    } catch (storeError) {
      log('error', `could not record the failure of ${meta.url}: ${errorText(storeError)}`);
    }
    return { url: meta.url, status: 'failed', version: meta.version, error };
  }

  function succeeded(meta: FeedMeta, t: Date, cacheControl: string | null): FeedMeta {
    return {
      ...meta,
      lastAttempt: iso(t),
      lastSuccess: iso(t),
      lastError: null,
      failures: 0,
      nextSync: after(t, withJitter(successInterval(cacheControl), random)),
    };
  }

  /** Why a TOFU feed failed its pinned key: a key change when the envelope's own key verifies. */
  async function keyChange(meta: FeedMeta, body: Uint8Array, now: Date): Promise<string | null> {
    const parsed = parseEnvelope(body);
    if (!parsed.ok) return null;
    const offered = [
      ...new Set(parsed.envelope.signatures.map((s) => s.publicKey).filter((k): k is string => k !== null)),
    ].filter((k) => decodePublicKey(k) !== null && !meta.keys.includes(k));
    if (offered.length === 0) return null;
    const check = await verifyDocument(body, {
      kind: 'feed',
      keys: offered,
      now,
      expectBrandId: meta.brandId,
      ...(meta.version !== null && meta.sha256 !== null
        ? { stored: { version: meta.version, sha256: meta.sha256 } }
        : {}),
    });
    if (!check.ok) return null;
    const pinned = await Promise.all(meta.keys.map((k) => keyFingerprint(k).catch(() => k)));
    const presented = await keyFingerprint(check.publicKey).catch(() => check.publicKey);
    return (
      `the signing key of the "${meta.brandId}" feed changed: you trusted ${pinned.join(', ')}, ` +
      `the feed is now signed by ${presented}. The new list was refused and the one you trusted stays in use; ` +
      'remove the feed and add it again only if the brand confirms the new key.'
    );
  }

  /**
   * `run`: the metas a run over many feeds listed at its start, with the sequence number before
   * the list was asked for, and the clock floor read then; a listed meta is used when this
   * instance wrote nothing to its URL since (else it is read again, as for a single feed).
   */
  async function syncFeedNow(url: string, run?: RunSnapshot): Promise<SyncResult> {
    const listed = run?.metas.get(url);
    let since: number;
    let meta: FeedMeta | null;
    if (run !== undefined && listed !== undefined && untouchedSince(url, run.seq)) {
      since = run.seq;
      meta = listed;
    } else {
      since = writeSeq;
      meta = await store.getMeta(url);
    }
    if (meta === null) {
      const at = iso(clock());
      return {
        url,
        status: 'failed',
        version: null,
        error: { code: 'unknown-feed', message: `not subscribed to ${url}`, at },
      };
    }
    const t = clock();
    // A fetched body holds its size of the import budget until the feed is imported or refused:
    // many small feeds can wait together for the store's shared import transactions, a few big
    // ones cannot fill the worker's memory.
    const http = await fetchWith(url, meta.version !== null ? meta.etag : null, MAX_BYTES.feed);
    const held = http.kind === 'ok' ? await importBudget.acquire(http.body.byteLength) : 0;
    try {
      return await fetchedFeed(url, meta, http, t, since, run);
    } finally {
      if (held > 0) importBudget.release(held);
    }
  }

  /** What a feed's answer means: recorded, refused, or verified and imported. */
  async function fetchedFeed(
    url: string,
    meta: FeedMeta,
    http: HttpResult,
    t: Date,
    since: number,
    run: RunSnapshot | undefined,
  ): Promise<SyncResult> {
    switch (http.kind) {
      case 'gone': {
        log('warn', `${url} answered 410 Gone: dropping it`, { url, brandId: meta.brandId });
        await dropFeed(url);
        if (meta.source === 'directory') {
          const state = await store.getDirectory();
          if (state && !state.gone.includes(url))
            await store.putDirectory({ ...state, gone: [...state.gone, url] });
        }
        return {
          url,
          status: 'dropped',
          version: null,
          error: { code: 'http-410', message: 'the feed is gone (HTTP 410)', at: iso(t) },
        };
      }
      case 'error':
        return recordFeedFailure(meta, t, http.code, http.message, since);
      case 'not-modified': {
        if (meta.version === null) {
          return recordFeedFailure(
            meta,
            t,
            'http-304',
            'HTTP 304 Not Modified, but no copy is stored',
            since,
          );
        }
        await recordUnchanged(meta, succeeded(meta, t, http.cacheControl));
        return { url, status: 'not-modified', version: meta.version, error: null };
      }
      case 'ok':
        break;
    }

    const now = await verificationNow(t, run?.floorRead !== true);
    const result: VerifyResult = await verifyDocument(http.body, {
      kind: 'feed',
      keys: meta.keys,
      now,
      expectBrandId: meta.brandId,
      ...(meta.version !== null && meta.sha256 !== null
        ? { stored: { version: meta.version, sha256: meta.sha256 } }
        : {}),
    });
    if (!result.ok) {
      if (result.code === 'bad-signature' && meta.source === 'user') {
        const changed = await keyChange(meta, http.body, now);
        if (changed !== null) return recordFeedFailure(meta, t, 'key-changed', changed, since);
      }
      return recordFeedFailure(meta, t, result.code, result.message, since);
    }
    const feed = result.document;
    if (!isFeed(feed)) return recordFeedFailure(meta, t, 'wrong-type', 'expected a brand feed', since);

    const accepted: FeedMeta = {
      ...succeeded(meta, t, http.cacheControl),
      etag: http.etag,
      version: result.version,
      sha256: result.sha256,
      issuedAt: feed.issuedAt,
      expiresAt: feed.expiresAt,
    };
    // The same bytes as the copy in use (a server without ETags, or one that ignored ours).
    if (meta.sha256 === result.sha256 && meta.generation !== null) {
      await recordUnchanged(meta, accepted);
      return { url, status: 'unchanged', version: result.version, error: null };
    }
    try {
      await importFeed(accepted, feed);
    } catch (error) {
      return recordFeedFailure(meta, t, 'store', `could not store the feed: ${errorText(error)}`, since);
    }
    await raiseClockFloor(feed.issuedAt);
    log('info', `${url}: imported version ${result.version} of ${feed.brandId}`, {
      url,
      version: result.version,
    });
    return { url, status: 'updated', version: result.version, error: null };
  }

  /** Runs a feed sync under the shared gate, once per URL at a time; never rejects. */
  function runFeed(url: string, run?: RunSnapshot): Promise<SyncResult> {
    const running = inFlight.get(url);
    if (running) return running;
    const task = gate
      .run(false, () => syncFeedNow(url, run))
      .catch(async (error: unknown): Promise<SyncResult> => {
        const t = clock();
        log('error', `sync of ${url} failed unexpectedly: ${errorText(error)}`, { url });
        const meta = await store.getMeta(url).catch(() => null);
        if (meta)
          return recordFeedFailure(meta, t, 'internal', errorText(error)).catch(() =>
            failedResult(url, t, error),
          );
        return failedResult(url, t, error);
      })
      .finally(() => inFlight.delete(url));
    inFlight.set(url, task);
    return task;
  }

  function failedResult(url: string, t: Date, error: unknown): SyncResult {
    return {
      url,
      status: 'failed',
      version: null,
      error: { code: 'internal', message: errorText(error), at: iso(t) },
    };
  }

  // ---- directory -----------------------------------------------------------------------------

  async function loadDirectoryState(): Promise<DirectoryState> {
    const state = await store.getDirectory();
    // Another directory (a build override): start afresh rather than compare versions across them.
    return state && state.url === directoryUrl ? state : emptyDirectoryState(directoryUrl);
  }

  async function recordDirectoryFailure(
    state: DirectoryState,
    t: Date,
    code: string,
    message: string,
  ): Promise<SyncResult> {
    const failures = state.failures + 1;
    const error: SyncError = { code, message, at: iso(t) };
    log('warn', `directory sync failed: ${code}: ${message}`, { url: directoryUrl, code, failures });
    await store.putDirectory({
      ...state,
      lastAttempt: iso(t),
      lastError: error,
      failures,
      nextSync: after(t, withJitter(backoffInterval(failures), random)),
    });
    return { url: directoryUrl, status: 'failed', version: state.version, error };
  }

  /** Makes the feed subscriptions match an accepted directory. */
  async function applyDirectory(directory: Directory, gone: string[], t: Date): Promise<void> {
    const metas = await store.listMeta();
    const byUrl = new Map(metas.map((m) => [m.url, m]));
    const named = new Set(directory.brands.map((b) => b.brandId));
    const listed = new Set<string>();
    for (const brand of directory.brands) {
      if (brand.status !== 'active') continue;
      const keys = brand.keys.map((k) => k.publicKey);
      for (const url of brand.feeds) {
        if (gone.includes(url) || listed.has(url)) continue;
        listed.add(url);
        const existing = byUrl.get(url);
        if (existing && existing.brandId !== brand.brandId) {
          log('info', `${url} now belongs to ${brand.brandId}, not ${existing.brandId}`, { url });
          await dropFeed(url);
        }
        if (!existing || existing.brandId !== brand.brandId) {
          await putMeta(newFeedMeta(url, brand.brandId, 'directory', keys, iso(t)));
        } else if (existing.source !== 'directory' || !sameKeys(existing.keys, keys)) {
          // New pins (or a user feed the directory now vouches for): fetch in full and verify again.
          await putMeta({ ...existing, source: 'directory', keys, etag: null, nextSync: iso(t) });
        }
      }
    }
    for (const meta of metas) {
      if (listed.has(meta.url)) continue;
      // Missing from the directory, revoked, or a user feed claiming a brand the directory names.
      if (meta.source === 'directory' || named.has(meta.brandId)) {
        const why = named.has(meta.brandId) ? 'revoked or no longer listed' : 'no longer in the directory';
        log('info', `dropping ${meta.url} (${meta.brandId}): ${why}`, {
          url: meta.url,
          brandId: meta.brandId,
        });
        await dropFeed(meta.url);
      }
    }
  }

  async function syncDirectoryNow(): Promise<SyncResult> {
    const state = await loadDirectoryState();
    const t = clock();
    const http = await fetchWith(
      directoryUrl,
      state.version !== null ? state.etag : null,
      MAX_BYTES.directory,
    );
    switch (http.kind) {
      case 'gone':
        return recordDirectoryFailure(state, t, 'http-410', 'the directory answered HTTP 410 Gone');
      case 'error':
        return recordDirectoryFailure(state, t, http.code, http.message);
      case 'not-modified': {
        if (state.version === null) {
          return recordDirectoryFailure(state, t, 'http-304', 'HTTP 304 Not Modified, but no copy is stored');
        }
        await store.putDirectory({
          ...state,
          lastAttempt: iso(t),
          lastSuccess: iso(t),
          lastError: null,
          failures: 0,
          nextSync: after(t, withJitter(successInterval(http.cacheControl), random)),
        });
        return { url: directoryUrl, status: 'not-modified', version: state.version, error: null };
      }
      case 'ok':
        break;
    }
    const result = await verifyDocument(http.body, {
      kind: 'directory',
      keys: options.directoryKeys,
      now: await verificationNow(t),
      ...(state.version !== null && state.sha256 !== null
        ? { stored: { version: state.version, sha256: state.sha256 } }
        : {}),
    });
    if (!result.ok) return recordDirectoryFailure(state, t, result.code, result.message);
    const directory = result.document;
    if (!isDirectory(directory))
      return recordDirectoryFailure(state, t, 'wrong-type', 'expected the directory');

    const unchanged = state.sha256 === result.sha256;
    // A 410 is believed until the directory changes; a newer directory gets one more try.
    const gone = state.version !== null && result.version > state.version ? [] : state.gone;
    // The same bytes as the directory already applied (a server that ignored If-None-Match): the
    // subscriptions already match it, as after a 304, so every feed's meta need not be read again.
    // (The state is written only once applyDirectory finished, so a stored sha256 was applied.)
    if (!unchanged) await applyDirectory(directory, gone, t);
    await store.putDirectory({
      url: directoryUrl,
      version: result.version,
      sha256: result.sha256,
      etag: http.etag,
      issuedAt: directory.issuedAt,
      expiresAt: directory.expiresAt,
      lastAttempt: iso(t),
      lastSuccess: iso(t),
      lastError: null,
      failures: 0,
      nextSync: after(t, withJitter(successInterval(http.cacheControl), random)),
      brands: directory.brands.map((b) => ({ brandId: b.brandId, status: b.status, feeds: b.feeds })),
      gone,
    });
    if (!unchanged) {
      await raiseClockFloor(directory.issuedAt);
      log('info', `directory version ${result.version}: ${directory.brands.length} brands`);
    }
    return {
      url: directoryUrl,
      status: unchanged ? 'unchanged' : 'updated',
      version: result.version,
      error: null,
    };
  }

  function syncDirectory(): Promise<SyncResult> {
    return gate.run(true, syncDirectoryNow).catch(async (error: unknown): Promise<SyncResult> => {
      const t = clock();
      log('error', `directory sync failed unexpectedly: ${errorText(error)}`);
      try {
        return await recordDirectoryFailure(await loadDirectoryState(), t, 'internal', errorText(error));
      } catch {
        return failedResult(directoryUrl, t, error);
      }
    });
  }

  // ---- schedules -----------------------------------------------------------------------------

  const dueAt = (nextSync: string | null) =>
    nextSync === null ? Number.NEGATIVE_INFINITY : Date.parse(nextSync);

  /** The picked feeds, `concurrency` at a time; their unchanged checks written at the end (and per chunk). */
  async function syncFeeds(pick: (meta: FeedMeta, t: number) => boolean): Promise<SyncResult[]> {
    const t = clock().getTime();
    const seq = writeSeq;
    const listed = await store.listMeta();
    // Should the floor not be readable now, each feed asks for it itself, as on its own.
    const floorRead = await readClockFloor().then(
      () => true,
      (error: unknown) => {
        log('warn', `could not read the clock floor: ${errorText(error)}`);
        return false;
      },
    );
    const run: RunSnapshot = { seq, metas: new Map(listed.map((m) => [m.url, m])), floorRead };
    const metas = listed.filter((m) => pick(m, t));
    try {
      return await mapLimit(metas, concurrency, async (m) => {
        const result = await runFeed(m.url, run);
        if (pendingChecks.size >= CHECKS_CHUNK) await flushChecks();
        return result;
      });
    } finally {
      await flushChecks();
    }
  }

  async function guarded(task: () => Promise<SyncReport>): Promise<SyncReport> {
    try {
      return await task();
    } catch (error) {
      log('error', `sync failed unexpectedly: ${errorText(error)}`);
      return { directory: failedResult(directoryUrl, clock(), error), feeds: [] };
    }
  }

  return {
    syncDirectory,
    async syncFeed(url) {
      const result = await runFeed(url);
      await flushChecks();
      return result;
    },

    syncDue() {
      return guarded(async () => {
        const state = await store.getDirectory();
        const directoryDue =
          !state || state.url !== directoryUrl || dueAt(state.nextSync) <= clock().getTime();
        const directory = directoryDue ? await syncDirectory() : null;
        const feeds = await syncFeeds((m, t) => dueAt(m.nextSync) <= t);
        return { directory, feeds };
      });
    },

    syncAll({ force = false } = {}) {
      return guarded(async () => {
        const directory = await syncDirectory();
        const feeds = await syncFeeds((m, t) => force || m.failures === 0 || dueAt(m.nextSync) <= t);
        return { directory, feeds };
      });
    },

    async nextWakeup() {
      try {
        const state = await store.getDirectory();
        const times = [
          state && state.url === directoryUrl ? dueAt(state.nextSync) : Number.NEGATIVE_INFINITY,
          ...(await store.listMeta()).map((m) => dueAt(m.nextSync)),
        ].filter((x) => !Number.isNaN(x));
        if (times.length === 0) return null;
        const earliest = Math.min(...times);
        const now = clock().getTime();
        return new Date(Math.max(earliest, now));
      } catch (error) {
        log('error', `could not compute the next sync: ${errorText(error)}`);
        return null;
      }
    },

    addUserFeed(url) {
      return gate
        .run(true, () => addUserFeedNow(url.trim()))
        .catch(
          (error: unknown): AddFeedResult => ({ ok: false, code: 'internal', message: errorText(error) }),
        );
    },

    removeFeed(url) {
      return gate
        .run(true, async (): Promise<RemoveFeedResult> => {
          const meta = await store.getMeta(url);
          if (meta === null)
            return { ok: false, code: 'not-subscribed', message: `not subscribed to ${url}` };
          if (meta.source === 'directory') {
            return {
              ok: false,
              code: 'directory-feed',
              message: `${url} comes from the Genuine directory (brand "${meta.brandId}") and cannot be removed`,
            };
          }
          await dropFeed(url);
          log('info', `removed ${url} (${meta.brandId})`, { url });
          return { ok: true };
        })
        .catch(
          (error: unknown): RemoveFeedResult => ({ ok: false, code: 'internal', message: errorText(error) }),
        );
    },
  };

  async function addUserFeedNow(url: string): Promise<AddFeedResult> {
    const problem = userFeedUrlProblem(url);
    if (problem !== null) return { ok: false, code: 'bad-url', message: `${url}: ${problem}` };
    if (await store.getMeta(url))
      return { ok: false, code: 'already-subscribed', message: `already subscribed to ${url}` };
    const t = clock();
    const http = await fetchWith(url, null, MAX_BYTES.feed);
    if (http.kind === 'gone') return { ok: false, code: 'http-410', message: 'the feed is gone (HTTP 410)' };
    if (http.kind === 'not-modified') return { ok: false, code: 'http-304', message: 'unexpected HTTP 304' };
    if (http.kind === 'error') return { ok: false, code: http.code, message: http.message };

    const parsed = parseEnvelope(http.body);
    if (!parsed.ok) return { ok: false, code: 'malformed', message: parsed.message };
    const offered = [
      ...new Set(parsed.envelope.signatures.map((s) => s.publicKey).filter((k): k is string => k !== null)),
    ].filter((k) => decodePublicKey(k) !== null);
    if (offered.length === 0) {
      return {
        ok: false,
        code: 'no-public-key',
        message:
          'the feed does not say which key signed it (no "publicKey" in its signatures), so it cannot be trusted on first use',
      };
    }
    const result = await verifyDocument(http.body, {
      kind: 'feed',
      keys: offered,
      now: await verificationNow(t),
    });
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    const feed = result.document;
    if (!isFeed(feed)) return { ok: false, code: 'wrong-type', message: 'expected a brand feed' };

    const directory = await store.getDirectory();
    if (directory?.brands.some((b) => b.brandId === feed.brandId)) {
      return {
        ok: false,
        code: 'brand-in-directory',
        message: `"${feed.brandId}" is in the Genuine directory already; its list is synced from there`,
      };
    }
    const taken = (await store.listMeta()).find((m) => m.brandId === feed.brandId);
    if (taken) {
      return {
        ok: false,
        code: 'brand-exists',
        message: `"${feed.brandId}" is already subscribed from ${taken.url}`,
      };
    }
    const meta: FeedMeta = {
      ...succeeded(newFeedMeta(url, feed.brandId, 'user', [result.publicKey], iso(t)), t, http.cacheControl),
      etag: http.etag,
      version: result.version,
      sha256: result.sha256,
      issuedAt: feed.issuedAt,
      expiresAt: feed.expiresAt,
    };
    await importFeed(meta, feed);
    await raiseClockFloor(feed.issuedAt);
    const fingerprint = await keyFingerprint(result.publicKey);
    log('info', `subscribed to ${url} (${feed.brandId}), key ${fingerprint}`, { url });
    return { ok: true, brandId: feed.brandId, fingerprint, meta: (await store.getMeta(url)) ?? meta };
  }
}
