import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { BrandInfo, Verdict } from '../check/types';
import type { ReportReason } from '../feed/schema';
import type { ProductSnapshot } from '../sites/snapshot';
import { buildReport, type ClientInfo, defaultReason, listingKey, ReportBuildError } from './build';
import { ReportRecord, type SubmitResult } from './types';

/**
 * The durable report queue: one click writes the report to IndexedDB before anything goes on the
 * network, then the service tries to send it right away and keeps retrying (exponential backoff
 * with jitter) until the brand's endpoint accepts it, refuses it for good, or a week has passed.
 *
 * Nothing is lost when the MV3 worker is killed mid-send: a record is claimed for a lease (its
 * `nextAttemptAt` moves to the end of the lease inside the same readwrite transaction that reads
 * it), so a concurrent processQueue skips it, and if the worker dies the lease simply runs out and
 * the next processQueue sends it again with the same reportId (receivers are idempotent on it).
 *
 * No browser.* here: fetch, the clock and randomness are injected; the background wires
 * processQueue to an alarm at nextWakeup().
 */

export const REPORTS_DB = 'genuine-reports';
const DB_VERSION = 1;
const STORE = 'reports';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Requests processQueue keeps in flight at once. */
const PARALLEL_SENDS = 4;

export interface ReportLimits {
  /** Reports about one listing (marketplace + site + product id) in any 24 hours. */
  perListingPerDay: number;
  /** Reports in total in any 24 hours. */
  dailyCap: number;
}

export interface RetryPolicy {
  /** Delay after the first failed attempt; doubles with every further failure. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
  /** Attempts after which a report is given up ("gave-up"). */
  maxAttempts: number;
  /** Age after which a report that still fails is given up ("gave-up"). */
  maxAgeMs: number;
  /** How long a claimed record stays claimed; must outlast the request timeout. */
  leaseMs: number;
}

export const DEFAULT_LIMITS: ReportLimits = { perListingPerDay: 1, dailyCap: 20 };
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: MINUTE,
  maxDelayMs: 6 * HOUR,
  maxAttempts: 50,
  maxAgeMs: 7 * DAY,
  leaseMs: 60_000,
};

/** The part of fetch the service uses. */
export type ReportFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface ReportServiceOptions {
  fetch: ReportFetch;
  now: () => Date;
  /** In [0, 1): jitter on retry delays. */
  random: () => number;
  /** uuid v4 generator; defaults to crypto.randomUUID. */
  uuid?: () => string;
  /** IndexedDB database name; defaults to "genuine-reports" (never the store's "genuine"). */
  dbName?: string;
  limits?: Partial<ReportLimits>;
  /** Per-request timeout; defaults to 15 s (an MV3 worker may be stopped after 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface SubmitInput {
  snapshot: ProductSnapshot;
  verdict: Verdict;
  /** The brand to report to; defaults to verdict.brand. */
  brand?: BrandInfo | null;
  /** Defaults to defaultReason(verdict). */
  reason?: ReportReason;
  comment?: string;
  client: ClientInfo;
}

export interface ProcessSummary {
  /** Records this call tried to send. */
  attempted: number;
  sent: number;
  /** Failed for now, scheduled again. */
  retrying: number;
  /** Failed for good in this call (refused by the receiver, or gave up). */
  failed: number;
}

export interface ReportService {
  submit(input: SubmitInput): Promise<SubmitResult>;
  /** Sends every record that is due (nextAttemptAt <= now), a few at a time; never rejects on HTTP errors. */
  processQueue(): Promise<ProcessSummary>;
  /** All stored reports, newest first (the history the popup/options page shows). */
  list(): Promise<ReportRecord[]>;
  get(reportId: string): Promise<ReportRecord | null>;
  /** Removes a report from the history; a queued report is then never sent. */
  delete(reportId: string): Promise<void>;
  /** When processQueue next has something to do (for the background's alarm); null when nothing waits. */
  nextWakeup(): Promise<Date | null>;
  clearAll(): Promise<void>;
  /** Closes the database connection (tests, and a worker shutting down). */
  close(): Promise<void>;
}

interface ReportsDb extends DBSchema {
  reports: {
    key: string;
    // Read back through zod (ReportRecord): storage is a trust boundary.
    value: unknown;
    indexes: { nextAttemptAt: string; createdAt: string };
  };
}

type Outcome =
  | { kind: 'sent'; status: number }
  | { kind: 'final'; error: string }
  | { kind: 'retry'; error: string; retryAfterMs: number | null };

/** A record read from IndexedDB, or null (with a warning) when it is not a valid ReportRecord. */
function parseRecord(raw: unknown): ReportRecord | null {
  if (raw === undefined) return null;
  const parsed = ReportRecord.safeParse(raw);
  if (!parsed.success || parsed.data.reportId !== parsed.data.payload.reportId) {
    console.warn('[genuine] report queue: ignoring an invalid stored record');
    return null;
  }
  return parsed.data;
}

/** Only https endpoints (http on localhost for development and tests). */
function usableEndpoint(endpoint: string | null): string | null {
  if (endpoint === null) return null;
  try {
    const u = new URL(endpoint);
    if (u.protocol === 'https:') return u.href;
    if (u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1')) return u.href;
  } catch {
    // not a URL
  }
  return null;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null. */
function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function classify(status: number, retryAfter: number | null): Outcome {
  // 409: the receiver already has this reportId (feed-format.md section 6 asks for 2xx, some say 409).
  if ((status >= 200 && status < 300) || status === 409) return { kind: 'sent', status };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', error: `http-${status}`, retryAfterMs: retryAfter };
  }
  if (status >= 400) return { kind: 'final', error: `http-${status}` };
  return { kind: 'retry', error: `http-${status}`, retryAfterMs: null };
}

export function createReportService(options: ReportServiceOptions): ReportService {
  const limits: ReportLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The lease must outlast a request, or a slow send could be claimed twice.
  const leaseMs = Math.max(retry.leaseMs, timeoutMs * 2);
  const dbName = options.dbName ?? REPORTS_DB;
  const uuid = options.uuid ?? (() => crypto.randomUUID());
  // Called unbound: window.fetch throws "Illegal invocation" when called as a method of another object.
  const doFetch = options.fetch;

  let dbPromise: Promise<IDBPDatabase<ReportsDb>> | null = null;
  function db(): Promise<IDBPDatabase<ReportsDb>> {
    if (!dbPromise) {
      const opening = openDB<ReportsDb>(dbName, DB_VERSION, {
        upgrade(database) {
          const store = database.createObjectStore(STORE, { keyPath: 'reportId' });
          // Records whose nextAttemptAt is null (sent, failed) are simply absent from this index.
          store.createIndex('nextAttemptAt', 'nextAttemptAt');
          store.createIndex('createdAt', 'createdAt');
        },
        blocking(_current, _blocked, event) {
          // A newer version wants to open: step aside, the next call reopens.
          (event.target as IDBDatabase | null)?.close();
          dbPromise = null;
        },
        terminated() {
          dbPromise = null;
        },
      });
      dbPromise = opening;
      opening.catch(() => {
        if (dbPromise === opening) dbPromise = null;
      });
    }
    return dbPromise;
  }

  function nowMs(): number {
    const t = options.now().getTime();
    if (Number.isNaN(t)) throw new Error('report queue: the clock gave an invalid date');
    return t;
  }

  /** Claims a due record for one attempt, atomically; null when it is not due or someone holds it. */
  async function claim(reportId: string, at: number): Promise<ReportRecord | null> {
    const tx = (await db()).transaction(STORE, 'readwrite');
    const record = parseRecord(await tx.store.get(reportId));
    const atIso = new Date(at).toISOString();
    if (
      !record ||
      (record.status !== 'queued' && record.status !== 'retrying') ||
      record.nextAttemptAt === null ||
      record.nextAttemptAt > atIso
    ) {
      await tx.done;
      return null;
    }
    const claimed: ReportRecord = {
      ...record,
      attempts: record.attempts + 1,
      lastAttemptAt: atIso,
      nextAttemptAt: new Date(at + leaseMs).toISOString(),
    };
    await tx.store.put(claimed);
    await tx.done;
    return claimed;
  }

  /** One POST, never throws. */
  async function post(endpoint: string, record: ReportRecord): Promise<Outcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const response = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(record.payload),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        // The report goes to the endpoint the brand signed, nowhere else.
        redirect: 'error',
        signal: controller.signal,
      });
      const outcome = classify(response.status, retryAfterMs(response.headers.get('Retry-After'), nowMs()));
      try {
        await response.body?.cancel();
      } catch {
        // the body is not needed
      }
      return outcome;
    } catch {
      // TypeError when offline, DNS fails, CORS refuses or a redirect is refused; AbortError on timeout.
      return { kind: 'retry', error: timedOut ? 'timeout' : 'network', retryAfterMs: null };
    } finally {
      clearTimeout(timer);
    }
  }

  function retryDelay(attempts: number, serverHint: number | null): number {
    const exponential = retry.baseDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30);
    const jitter = 0.75 + 0.5 * Math.min(Math.max(options.random(), 0), 1);
    const delay = Math.max(Math.min(exponential, retry.maxDelayMs) * jitter, serverHint ?? 0);
    return Math.round(Math.min(delay, retry.maxDelayMs));
  }

  /** Writes an attempt's outcome, unless someone else has taken the record over meanwhile. */
  async function settle(claimed: ReportRecord, outcome: Outcome): Promise<ReportRecord | null> {
    const at = nowMs();
    const atIso = new Date(at).toISOString();
    const tx = (await db()).transaction(STORE, 'readwrite');
    const current = parseRecord(await tx.store.get(claimed.reportId));
    let next: ReportRecord | null = null;
    if (current) {
      if (outcome.kind === 'sent') {
        // Accepted is the truth whoever else tried meanwhile.
        if (current.status !== 'sent') {
          next = { ...current, status: 'sent', nextAttemptAt: null, sentAt: atIso, lastError: null };
        }
      } else if (
        current.status !== 'sent' &&
        current.status !== 'failed' &&
        current.attempts === claimed.attempts
      ) {
        if (outcome.kind === 'final') {
          next = { ...current, status: 'failed', nextAttemptAt: null, lastError: outcome.error };
        } else {
          const delay = retryDelay(current.attempts, outcome.retryAfterMs);
          const createdAt = Date.parse(current.createdAt);
          const tooOld = Number.isNaN(createdAt) || at + delay - createdAt > retry.maxAgeMs;
          next =
            current.attempts >= retry.maxAttempts || tooOld
              ? { ...current, status: 'failed', nextAttemptAt: null, lastError: 'gave-up' }
              : {
                  ...current,
                  status: 'retrying',
                  nextAttemptAt: new Date(at + delay).toISOString(),
                  lastError: outcome.error,
                };
        }
      }
    }
    if (next) await tx.store.put(next);
    await tx.done;
    return next ?? current;
  }

  /** Claim, send, settle. Null when the record was not due or is held by another sender. */
  async function attempt(reportId: string): Promise<ReportRecord | null> {
    const claimed = await claim(reportId, nowMs());
    if (!claimed) return null;
    const endpoint = usableEndpoint(claimed.endpoint);
    const outcome: Outcome = endpoint
      ? await post(endpoint, claimed)
      : { kind: 'final', error: 'no-endpoint' };
    return settle(claimed, outcome);
  }

  async function submit(input: SubmitInput): Promise<SubmitResult> {
    const brand = input.brand === undefined ? input.verdict.brand : input.brand;
    if (!brand) return { status: 'not-reportable', message: 'No brand is known for this product.' };
    const endpoint = usableEndpoint(brand.reportEndpoint);
    // Nothing pretends: without an endpoint the shopper is shown how to reach the brand instead.
    if (!endpoint) return { status: 'no-endpoint', contact: brand.contact, website: brand.website };

    const at = nowMs();
    let payload: ReturnType<typeof buildReport>;
    try {
      payload = buildReport({
        snapshot: input.snapshot,
        verdict: input.verdict,
        brand,
        reason: input.reason ?? defaultReason(input.verdict),
        comment: input.comment,
        now: new Date(at),
        uuid,
        client: input.client,
      });
    } catch (error) {
      if (error instanceof ReportBuildError) return { status: 'not-reportable', message: error.message };
      throw error;
    }

    const atIso = new Date(at).toISOString();
    const record: ReportRecord = {
      reportId: payload.reportId,
      payload,
      endpoint,
      listingKey: listingKey(payload.listing),
      status: 'queued',
      attempts: 0,
      createdAt: atIso,
      lastAttemptAt: null,
      nextAttemptAt: atIso,
      lastError: null,
      sentAt: null,
    };

    // Limits and the write in one transaction, so two quick clicks cannot both pass the check.
    const tx = (await db()).transaction(STORE, 'readwrite');
    const since = new Date(at - DAY).toISOString();
    const recent = (await tx.store.index('createdAt').getAll(IDBKeyRange.lowerBound(since, true)))
      .map(parseRecord)
      .filter((r): r is ReportRecord => r !== null);
    let limited: 'listing-daily' | 'daily-cap' | null = null;
    if (recent.filter((r) => r.listingKey === record.listingKey).length >= limits.perListingPerDay) {
      limited = 'listing-daily';
    } else if (recent.length >= limits.dailyCap) {
      limited = 'daily-cap';
    } else {
      await tx.store.add(record);
    }
    await tx.done;
    if (limited) return { status: 'limited', limit: limited };

    // The record is durable now; one attempt right away.
    const after = await attempt(record.reportId);
    if (after?.status === 'sent') return { status: 'sent', reportId: record.reportId, endpoint };
    if (after?.status === 'failed') {
      return {
        status: 'not-reportable',
        message: `The brand's server refused the report (${after.lastError ?? 'error'}).`,
      };
    }
    return { status: 'queued', reportId: record.reportId, endpoint };
  }

  async function processQueue(): Promise<ProcessSummary> {
    const summary: ProcessSummary = { attempted: 0, sent: 0, retrying: 0, failed: 0 };
    const at = nowMs();
    const due = await (await db()).getAllKeysFromIndex(
      STORE,
      'nextAttemptAt',
      IDBKeyRange.upperBound(new Date(at).toISOString()),
    );
    // A few at a time: a backlog after a day offline goes out quickly, without a burst.
    const queue = [...due];
    const worker = async () => {
      for (let reportId = queue.shift(); reportId !== undefined; reportId = queue.shift()) {
        const result = await attempt(reportId);
        if (!result) continue;
        summary.attempted += 1;
        if (result.status === 'sent') summary.sent += 1;
        else if (result.status === 'failed') summary.failed += 1;
        else summary.retrying += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, queue.length) }, worker));
    return summary;
  }

  async function list(): Promise<ReportRecord[]> {
    const all = (await (await db()).getAll(STORE))
      .map(parseRecord)
      .filter((r): r is ReportRecord => r !== null);
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  async function get(reportId: string): Promise<ReportRecord | null> {
    return parseRecord(await (await db()).get(STORE, reportId));
  }

  async function remove(reportId: string): Promise<void> {
    await (await db()).delete(STORE, reportId);
  }

  async function nextWakeup(): Promise<Date | null> {
    const tx = (await db()).transaction(STORE, 'readonly');
    let cursor = await tx.store.index('nextAttemptAt').openCursor();
    let next: Date | null = null;
    while (cursor) {
      const record = parseRecord(cursor.value);
      if (record?.nextAttemptAt && (record.status === 'queued' || record.status === 'retrying')) {
        next = new Date(record.nextAttemptAt);
        break;
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return next;
  }

  async function clearAll(): Promise<void> {
    await (await db()).clear(STORE);
  }

  async function close(): Promise<void> {
    const pending = dbPromise;
    dbPromise = null;
    if (pending) (await pending).close();
  }

  return { submit, processQueue, list, get, delete: remove, nextWakeup, clearAll, close };
}
