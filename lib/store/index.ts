import { type DBSchema, type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import { normalizeName } from '../feed/names';
import type { Feed } from '../feed/schema';
import { Product } from '../feed/schema';
import type { Marketplace } from '../sites/snapshot';
import { normalizeProductId, normalizeSellerId, normalizeSellerName, normalizeSite } from './keys';
import {
  type BlockedKey,
  BlockedKeyList,
  BlockedValue,
  type BucketKey,
  type FeedRecords,
  lineAt,
  lookupKey,
  lookupSlot,
  type PreparedFeed,
  placeFeed,
  preparedSize,
  prepareFeed,
  SellerEntryRecord,
  sectionOf,
  seqsIn,
} from './layout';
import {
  type BrandPart,
  BrandRow,
  type ChannelRow,
  DirectoryState,
  FeedChecks,
  FeedMetaRecord,
  GenerationRow,
  type StoreStats,
} from './records';
import type {
  BlockedMatch,
  BrandRecord,
  ChannelRecord,
  FeedMeta,
  SellerMatch,
  StoreReader,
  StoreWriter,
} from './types';

export { normalizeProductId, normalizeSellerId, normalizeSellerName, normalizeSite } from './keys';
export {
  type BlockedKey,
  type BucketKey,
  type FeedRecords,
  feedRecords,
  fnv1a,
  KEYS_PER_BUCKET,
  lookupKey,
  PRODUCTS_PER_CHUNK,
  SELLERS_PER_CHUNK,
  type StoreRecord,
} from './layout';
export type { DirectoryState, StoreStats } from './records';
export type * from './types';

/**
 * The IndexedDB store behind every check (issue 4.2), through idb.
 *
 * Layout (database version 2). Chromium's IndexedDB costs about a fixed amount per row written
 * (about 0.1 ms, measured) plus an amount per byte, and each index entry costs like a row: the bulk
 * data is few rows of text, with no secondary index, and every lookup is a get by primary key.
 * - `meta` (key url): FeedMeta, one per feed URL.
 * - `state` (out-of-line keys): "nextGeneration" counter (also the write epoch, below),
 *   "clockFloor" (newest issuedAt ever accepted), "directory" (DirectoryState), "checks"
 *   (FeedChecks).
 * - `brands` (key brandId): the brand's pointer row. Each feed URL of the brand is a "part" holding
 *   the generation currently readable, the feed's brand fields, its channels (with their sites),
 *   its counts, where its bulk rows are (`layout`) and the keys of its `blocked` rows.
 * - `names` (key [normalized name, brandId]): every brand name and alias.
 * - `gens` (key g): every retired generation awaiting deletion, with its counts and the keys of
 *   its `blocked` rows. (An active generation is a brand part; it has no row here.)
 * - `buckets` (out-of-line keys [g, kind, n]): per generation, seller entry chunks ("s"), product
 *   chunks ("p") and hashed lookup buckets ("k") from normalized seller id/name, GTIN and product
 *   id to entry sequence numbers, as text with one item a line; a small feed's three are one row
 *   ("a"). lib/store/layout.ts gives the formats. A generation's rows are the key range [g] ..
 *   [g, []].
 * - `blocked` (out-of-line keys [marketplace, "i"|"n", normalized id or name, g, seq]), value
 *   { b: brandId, e: entry }: blocked sellers are looked up across every brand by one key range.
 *
 * A feed of 200 sellers, 40 products and 5 blocked sellers is 11 rows: one bucket row, five
 * blocked rows, the brand row, two name rows, its meta and the counter.
 *
 * Generations: `importFeed` writes the feed's rows under a new generation number and rewrites the
 * brand row to point at it, in ONE readwrite transaction (shared with the feeds queued beside it:
 * see "imports" below); the previous generation is marked
 * retired in that transaction and its rows are range-deleted afterwards (`collectGarbage`, in later
 * transactions, run only when an import or drop retired something). Readers only use rows of a
 * generation that a brand row points at, read in the same transaction (for a blocked row, the row
 * of the brand it names), so they never see a retired generation or half a new one, and an aborted
 * import (crash, quota, a throw) leaves the previous generation in use.
 *
 * Caching: parsed brand rows and the brand name keys are kept in memory between reads, so a warm
 * findSeller is one get (a small feed's row) or two (lookup bucket, entry chunk) beside the epoch,
 * in one transaction, which the other reads a check asks at the same time share. Every write transaction
 * that changes what readers see (import, drop) takes a generation number, which moves the
 * "nextGeneration" counter: that counter is the write epoch. Every read transaction reads it
 * alongside its first get and, when it moved, drops the copies and reads again, so no copy
 * outlives a write, whichever connection (another openStore in the same worker, the options page)
 * made it.
 *
 * Every read is a trust boundary: rows are parsed (JSON.parse, zod) and a damaged one reads as
 * absent. Lookups point at entries by the hash of their key, and every entry is checked against
 * the key asked for before it is used.
 *
 * Seller entries whose `until` has passed are still returned, with `until`, so that lib/check
 * decides with its own clock; when several entries match, the one valid longest is returned (no
 * `until` first, then the latest), so if the returned entry has expired every matching one has.
 */

const DB_VERSION = 2;

interface GenuineDB extends DBSchema {
  meta: { key: string; value: unknown };
  state: { key: string; value: unknown };
  brands: { key: string; value: unknown };
  names: { key: [string, string]; value: unknown };
  gens: { key: number; value: unknown };
  buckets: { key: BucketKey; value: unknown };
  blocked: { key: BlockedKey; value: unknown };
}

type StoreName = 'meta' | 'state' | 'brands' | 'names' | 'gens' | 'buckets' | 'blocked';
const IMPORT_STORES: StoreName[] = ['meta', 'state', 'brands', 'names', 'gens', 'buckets', 'blocked'];
/** At most this many feeds, and about this many bytes of rows, share an import transaction. */
const MAX_BATCH_FEEDS = 16;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
type Tx = IDBPTransaction<GenuineDB, StoreName[], IDBTransactionMode>;

export interface ImportOptions {
  /** Delete the retired generation's rows right after the swap (default true). */
  collect?: boolean;
}

/** Everything lib/sync, lib/check and the options page need from the store. */
export interface GenuineStore extends StoreReader, StoreWriter {
  importFeed(meta: FeedMeta, feed: Feed, options?: ImportOptions): Promise<void>;
  getDirectory(): Promise<DirectoryState | null>;
  putDirectory(state: DirectoryState): Promise<void>;
  /** The newest issuedAt ever accepted (feed-format.md section 4: "now" never goes below it). */
  getClockFloor(): Promise<string | null>;
  raiseClockFloor(issuedAt: string): Promise<void>;
  /** Deletes the rows of retired generations; returns how many generations were deleted. */
  collectGarbage(): Promise<number>;
  stats(): Promise<StoreStats>;
  close(): void;
}

export async function openStore(name = 'genuine', idbFactory?: IDBFactory): Promise<GenuineStore> {
  const factory = idbFactory ?? globalThis.indexedDB;
  if (!factory) throw new Error('IndexedDB is not available');
  const raw = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(name, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (tx === null) throw new Error('upgrade without a transaction');
      upgrade(request.result, event.oldVersion, tx);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`could not open IndexedDB "${name}"`));
    request.onblocked = () => {
      // An older connection is still open; the open completes once it closes (it closes itself
      // on versionchange, below).
    };
  });
  raw.onversionchange = () => raw.close();
  const db = wrap(raw) as unknown as IDBPDatabase<GenuineDB>;
  return createStore(db);
}

function upgrade(db: IDBDatabase, oldVersion: number, tx: IDBTransaction): void {
  if (oldVersion < 1) {
    db.createObjectStore('meta', { keyPath: 'url' });
    db.createObjectStore('state');
    db.createObjectStore('brands', { keyPath: 'brandId' });
    db.createObjectStore('names', { keyPath: ['key', 'brandId'] });
    db.createObjectStore('gens', { keyPath: 'g' });
  }
  if (oldVersion === 1) fromVersion1(db, tx);
  if (oldVersion < 2) {
    db.createObjectStore('buckets');
    db.createObjectStore('blocked');
  }
}

/**
 * Version 1 kept one row per seller, blocked seller and product, with indexes. Its data is not
 * converted: the stores go, and every feed's meta is kept (a user feed's trusted key lives there)
 * but marked as holding no data, so that the next sync downloads and imports every feed again.
 * Its version and sha256 stay, so that the same document is accepted again (same version, same
 * bytes) and an older one is still refused as a rollback; generation null makes lib/sync import
 * it rather than call it unchanged, etag null makes the request unconditional (no 304 for data we
 * no longer hold), nextSync null makes it due now.
 */
function fromVersion1(db: IDBDatabase, tx: IDBTransaction): void {
  for (const name of ['sellers', 'blocked', 'products']) {
    if (db.objectStoreNames.contains(name)) db.deleteObjectStore(name);
  }
  for (const name of ['brands', 'names', 'gens']) tx.objectStore(name).clear();
  const state = tx.objectStore('state');
  const checksRead = state.get('checks');
  checksRead.onsuccess = () => {
    // Recorded checks would bring back the nextSync reset below: merge them into the metas first.
    const checks = parseOrNull(FeedChecks, checksRead.result) ?? {};
    state.delete('checks');
    const cursorRead = tx.objectStore('meta').openCursor();
    cursorRead.onsuccess = () => {
      const cursor = cursorRead.result;
      if (cursor === null) return;
      const meta = parseOrNull(FeedMetaRecord, cursor.value);
      if (meta !== null) {
        const reset: FeedMeta = { ...withCheck(meta, checks), generation: null, etag: null, nextSync: null };
        cursor.update(reset);
      }
      cursor.continue();
    };
  };
}

function keyRange(): typeof IDBKeyRange {
  const range = globalThis.IDBKeyRange;
  if (!range) throw new Error('IDBKeyRange is not available');
  return range;
}

/** All keys [g, ...] of one generation (arrays sort after numbers and strings). */
function generationRange(g: number): IDBKeyRange {
  return keyRange().bound([g], [g, []]);
}

/** All keys that start with `prefix`. */
function prefixRange(prefix: IDBValidKey[]): IDBKeyRange {
  return keyRange().bound(prefix, [...prefix, []]);
}

function parseOrNull<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  v: unknown,
) {
  if (v === undefined || v === null) return null;
  const result = schema.safeParse(v);
  return result.success ? result.data : null;
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function validCounter(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function indexNames(keys: { key: string; brandId: string }[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const { key, brandId } of keys) {
    const ids = index.get(key);
    if (ids === undefined) index.set(key, [brandId]);
    else if (!ids.includes(brandId)) ids.push(brandId);
  }
  return index;
}

function nameKeysOf(parts: BrandPart[]): string[] {
  const keys = new Set<string>();
  for (const part of parts) {
    for (const name of [part.name, ...part.aliases]) {
      const key = normalizeName(name);
      if (key !== '') keys.add(key);
    }
  }
  return [...keys];
}

function covers(channel: ChannelRow, site: string): boolean {
  return channel.sites === null || channel.sites.includes(normalizeSite(site));
}

/**
 * The part that speaks for the brand when it has several feeds: the one with the most channels,
 * then the first URL. Names are the union over all parts; expiry is the earliest of all parts.
 */
function primaryPart(parts: BrandPart[]): BrandPart {
  const sorted = [...parts].sort((a, b) => b.channels.length - a.channels.length || (a.url < b.url ? -1 : 1));
  const first = sorted[0];
  if (!first) throw new Error('brand row without parts');
  return first;
}

/** Parts in generation order, so that answers do not depend on the order parts were written. */
function byGeneration(parts: BrandPart[]): BrandPart[] {
  return [...parts].sort((a, b) => a.generation - b.generation);
}

function toBrandRecord(row: BrandRow, lastSync: string | null): BrandRecord {
  const primary = primaryPart(row.parts);
  const aliases = unique(row.parts.flatMap((p) => p.aliases));
  const marketplaces = unique(row.parts.flatMap((p) => p.channels.map((c) => c.marketplace)));
  const expiresAt = row.parts.reduce(
    (min, p) => (Date.parse(p.expiresAt) < Date.parse(min) ? p.expiresAt : min),
    primary.expiresAt,
  );
  const pick = <K extends 'website' | 'contact' | 'reportEndpoint'>(key: K): string | null =>
    primary[key] ?? row.parts.find((p) => p[key] !== null)?.[key] ?? null;
  return {
    brandId: row.brandId,
    name: primary.name,
    aliases,
    website: pick('website'),
    contact: pick('contact'),
    reportEndpoint: pick('reportEndpoint'),
    feedUrl: primary.url,
    feedVersion: primary.version,
    issuedAt: primary.issuedAt,
    expiresAt,
    lastSync,
    marketplaces,
  };
}

function toChannelRecord(brandId: string, channel: ChannelRow): ChannelRecord {
  return {
    brandId,
    marketplace: channel.marketplace,
    sites: channel.sites,
    complete: channel.complete,
    sellerCount: channel.sellerCount,
  };
}

interface SellerCandidate {
  channel: ChannelRow;
  entry: SellerMatch['entry'];
}

/** Prefer the entry valid longest: no `until`, then the latest `until`; then feed order. */
function validLongest(candidates: SellerCandidate[]): SellerCandidate | null {
  let best: SellerCandidate | null = null;
  const validity = (c: SellerCandidate) =>
    c.entry.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(c.entry.until);
  for (const candidate of candidates) {
    if (best === null || validity(candidate) > validity(best)) best = candidate;
  }
  return best;
}

/** A generation an import or drop retires, and the brand part that pointed at it (if any). */
interface Retiring {
  url: string;
  brandId: string;
  part: BrandPart | null;
}

/** What readers cache, valid for one value of the write epoch. */
interface Cache {
  epoch: number;
  brands: Map<string, BrandRow | null>;
  nameKeys: { key: string; brandId: string }[] | null;
  /** nameKeys by key, built when first needed. */
  byName: Map<string, string[]> | null;
}

/** One read transaction's epoch, brand rows and bucket rows, read once however many reads share it. */
interface TxReads {
  epoch: Promise<number>;
  brands: Map<string, Promise<BrandRow | null>>;
  rows: Map<string, Promise<unknown>>;
}

const READ_STORES: StoreName[] = ['state', 'brands', 'names', 'meta', 'buckets', 'blocked', 'gens'];

function createStore(db: IDBPDatabase<GenuineDB>): GenuineStore {
  let cache: Cache = { epoch: Number.NaN, brands: new Map(), nameKeys: null, byName: null };
  let shared: Tx | null = null;
  const txReads = new WeakMap<Tx, TxReads>();
  // The first collection of this instance sweeps every retired generation (one left behind by a
  // crash or by `collect: false`); later ones delete only what their own import retired.
  let swept = false;
  // The highest clock floor this connection has read or written (ms); the stored one is never lower.
  let knownFloor = Number.NEGATIVE_INFINITY;
  // The recorded checks, parsed, with the id of the write that stored them: a sync asks getMeta
  // once per feed, and the row holds a check for every feed, so it is read and parsed again only
  // when "checksId" says another recordChecks wrote it.
  let checksCache: { id: number; checks: FeedChecks } | null = null;

  async function readChecks(tx: IDBPTransaction<GenuineDB, ('meta' | 'state')[], IDBTransactionMode>) {
    const state = tx.objectStore('state');
    const id = await state.get('checksId');
    const known = checksCache;
    if (known !== null && typeof id === 'number' && id === known.id) return known.checks;
    const checks = parseOrNull(FeedChecks, await state.get('checks')) ?? {};
    if (typeof id === 'number') checksCache = { id, checks };
    return checks;
  }

  /** The cache for this epoch, emptied first when it was filled under another one. */
  function cacheAt(epoch: number): Cache {
    if (cache.epoch !== epoch) cache = { epoch, brands: new Map(), nameKeys: null, byName: null };
    return cache;
  }

  /**
   * The readonly transaction for a read: one for all the reads that start in the same run of
   * script (lib/check asks channels, findBlocked, findSeller and findProduct at once), since each
   * transaction costs far more in Chromium than a get. A transaction stays usable for the whole
   * task it was made in and from its requests' callbacks, which is all a read uses it for.
   */
  function readTx(): Tx {
    if (shared !== null) return shared;
    const tx = db.transaction(READ_STORES, 'readonly');
    shared = tx;
    queueMicrotask(() => {
      if (shared === tx) shared = null;
    });
    return tx;
  }

  /** What a read transaction has read so far, shared by the reads that use it. */
  function readsOf(tx: Tx): TxReads {
    let reads = txReads.get(tx);
    if (reads === undefined) {
      reads = { epoch: readEpoch(tx), brands: new Map(), rows: new Map() };
      txReads.set(tx, reads);
    }
    return reads;
  }

  /** The write epoch: the generation counter, which every import and drop moves. */
  async function readEpoch(tx: Tx): Promise<number> {
    const value = await tx.objectStore('state').get('nextGeneration');
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }

  /**
   * The generation numbers a write transaction takes, `count` in a row from the one returned (it
   * stores the next free one, which moves the epoch). A missing counter (a new database) continues
   * after every generation in use; a damaged one jumps far ahead, so that it never comes back to a
   * value a reader cached under.
   */
  async function takeGenerations(tx: Tx, counter: unknown, count = 1): Promise<number> {
    const valid = validCounter(counter);
    let g = valid !== null && valid >= 1 ? valid : null;
    if (g === null) {
      // After every generation still pointed at (brand parts) or awaiting deletion (gens).
      const [last, brands] = await Promise.all([
        tx.objectStore('gens').openKeyCursor(null, 'prev'),
        tx.objectStore('brands').getAll(),
      ]);
      let highest = last === null ? 0 : last.key;
      for (const raw of brands) {
        for (const part of parseOrNull(BrandRow, raw)?.parts ?? [])
          highest = Math.max(highest, part.generation);
      }
      g = highest + 1 + (counter === undefined ? 0 : Math.floor(Math.random() * 2 ** 32));
    }
    unwrap(tx)
      .objectStore('state')
      .put(g + count, 'nextGeneration');
    return g;
  }

  async function readBrandRow(tx: Tx, brandId: string): Promise<BrandRow | null> {
    return parseOrNull(BrandRow, await tx.objectStore('brands').get(brandId));
  }

  /**
   * Runs `use` on the brand row, from the cache when it holds one: then the epoch is read at the
   * same time as `use` makes its first reads, and if a write moved it since, the row is read again
   * and `use` runs again on it, in the same transaction.
   */
  async function withBrand<T>(
    tx: Tx,
    brandId: string,
    use: (row: BrandRow | null) => Promise<T>,
  ): Promise<T> {
    const reads = readsOf(tx);
    const known = cache;
    const row = known.brands.get(brandId);
    if (row !== undefined) {
      const [epoch, result] = await Promise.all([reads.epoch, use(row)]);
      if (epoch === known.epoch) return result;
    }
    let fresh = reads.brands.get(brandId);
    if (fresh === undefined) {
      fresh = Promise.all([reads.epoch, readBrandRow(tx, brandId)]).then(([epoch, parsed]) => {
        cacheAt(epoch).brands.set(brandId, parsed);
        return parsed;
      });
      reads.brands.set(brandId, fresh);
    }
    return use(await fresh);
  }

  async function brandRecordOf(tx: Tx, row: BrandRow): Promise<BrandRecord> {
    const meta = parseOrNull(FeedMetaRecord, await tx.objectStore('meta').get(primaryPart(row.parts).url));
    return toBrandRecord(row, meta?.lastSuccess ?? null);
  }

  /** A bucket row, read once per transaction however many lookups need it. */
  function rowOf(tx: Tx, key: BucketKey): Promise<unknown> {
    const rows = readsOf(tx).rows;
    const id = key.join('/');
    let row = rows.get(id);
    if (row === undefined) {
      row = tx.objectStore('buckets').get(key);
      rows.set(id, row);
    }
    return row;
  }

  /** The text of a part's lookup bucket or chunk n, from its own row or its packed row. */
  async function textOf(tx: Tx, part: BrandPart, kind: 'k' | 's' | 'p', n: number): Promise<unknown> {
    const g = part.generation;
    if (!part.layout.a) return rowOf(tx, [g, kind, n]);
    if (n !== 0) return undefined;
    return sectionOf(await rowOf(tx, [g, 'a', 0]), kind === 'k' ? 0 : kind === 's' ? 1 : 2);
  }

  /** The entry seqs a part's lookup bucket lists for `key` (not yet checked against it). */
  async function lookup(tx: Tx, part: BrandPart, key: string): Promise<number[]> {
    if (part.layout.k === 0) return [];
    const { bucket, token } = lookupSlot(key, part.layout.k);
    return seqsIn(await textOf(tx, part, 'k', bucket), token);
  }

  /** The items at `seqs` (JSON-parsed, not yet validated) of a part's seller or product chunks. */
  async function chunkItems(
    tx: Tx,
    part: BrandPart,
    kind: 's' | 'p',
    seqs: number[],
  ): Promise<Map<number, unknown>> {
    const chunks = kind === 's' ? part.layout.s : part.layout.p;
    const size = kind === 's' ? part.layout.sc : part.layout.pc;
    const wanted = unique(seqs.map((s) => Math.floor(s / size))).filter((n) => n < chunks);
    const texts = await Promise.all(wanted.map((n) => textOf(tx, part, kind, n)));
    const byChunk = new Map(wanted.map((n, i) => [n, texts[i]]));
    const out = new Map<number, unknown>();
    for (const s of seqs) {
      const n = Math.floor(s / size);
      if (byChunk.has(n)) out.set(s, lineAt(byChunk.get(n), s - n * size));
    }
    return out;
  }

  /** One part's entries for a seller: by id, and by name (those a page showing `id` may match). */
  async function sellerCandidates(
    tx: Tx,
    part: BrandPart,
    marketplace: Marketplace,
    site: string,
    id: string,
    name: string,
  ): Promise<{ byId: SellerCandidate[]; byName: SellerCandidate[] }> {
    const usable = part.channels.map((c) => c.marketplace === marketplace && covers(c, site));
    if (!usable.includes(true)) return { byId: [], byName: [] };
    const [idSeqs, nameSeqs] = await Promise.all([
      id === '' ? [] : lookup(tx, part, lookupKey.sellerId(id)),
      name === '' ? [] : lookup(tx, part, lookupKey.sellerName(name)),
    ]);
    if (idSeqs.length === 0 && nameSeqs.length === 0) return { byId: [], byName: [] };
    const items = await chunkItems(tx, part, 's', [...idSeqs, ...nameSeqs]);
    const entryAt = (seq: number) => {
      const parsed = parseOrNull(SellerEntryRecord, items.get(seq));
      if (parsed === null) return null;
      const [c, entryId, entryName, relation, until] = parsed;
      const channel = part.channels[c];
      if (channel === undefined || usable[c] !== true) return null;
      const entry: SellerMatch['entry'] = {};
      if (entryId != null) entry.id = entryId;
      if (entryName != null) entry.name = entryName;
      if (relation != null) entry.relation = relation;
      if (until != null) entry.until = until;
      const normalizedId = entry.id === undefined ? '' : normalizeSellerId(marketplace, entry.id);
      return { channel, entry, normalizedId };
    };
    const byId: SellerCandidate[] = [];
    for (const seq of idSeqs) {
      const e = entryAt(seq);
      if (e !== null && e.normalizedId === id) byId.push(e);
    }
    const byName: SellerCandidate[] = [];
    for (const seq of nameSeqs) {
      const e = entryAt(seq);
      if (e === null || e.entry.name === undefined || normalizeSellerName(e.entry.name) !== name) continue;
      // A page showing an id may match by name an entry that has no id, never one under another id.
      if (id === '' || e.normalizedId === '') byName.push(e);
    }
    return { byId, byName };
  }

  /** One part's products by GTIN and by id, each checked against the key. */
  async function productCandidates(
    tx: Tx,
    part: BrandPart,
    gtin: string,
    productId: string,
  ): Promise<{ byGtin: Product[]; byId: Product[] }> {
    const [gtinSeqs, idSeqs] = await Promise.all([
      gtin === '' ? [] : lookup(tx, part, lookupKey.gtin(gtin)),
      productId === '' ? [] : lookup(tx, part, lookupKey.productId(productId)),
    ]);
    if (gtinSeqs.length === 0 && idSeqs.length === 0) return { byGtin: [], byId: [] };
    const items = await chunkItems(tx, part, 'p', [...gtinSeqs, ...idSeqs]);
    const productAt = (seq: number) => {
      const parsed = Product.safeParse(items.get(seq));
      return parsed.success ? parsed.data : null;
    };
    const byGtin = gtinSeqs.map(productAt).filter((p): p is Product => p !== null && p.gtin === gtin);
    const byId = idSeqs
      .map(productAt)
      .filter(
        (p): p is Product =>
          p !== null && Object.values(p.ids ?? {}).some((v) => normalizeProductId(v) === productId),
      );
    return { byGtin, byId };
  }

  /**
   * Rewrites a brand's pointer row and its name rows (raw requests, inside the caller's
   * transaction). No parts left: the brand is gone.
   */
  function writeBrand(
    rawTx: IDBTransaction,
    brandId: string,
    oldRow: BrandRow | null,
    parts: BrandPart[],
  ): void {
    const names = rawTx.objectStore('names');
    const oldKeys = oldRow?.nameKeys ?? [];
    if (parts.length === 0) {
      rawTx.objectStore('brands').delete(brandId);
      for (const key of oldKeys) names.delete([key, brandId]);
      return;
    }
    const nameKeys = nameKeysOf(parts);
    const keep = new Set(nameKeys);
    for (const key of oldKeys) if (!keep.has(key)) names.delete([key, brandId]);
    for (const key of nameKeys) names.put({ key, brandId });
    const row: BrandRow = { brandId, nameKeys, parts };
    rawTx.objectStore('brands').put(row);
  }

  /**
   * Marks generations retired (raw puts of `gens` rows in the caller's transaction), with what
   * collectGarbage needs: the counts and the blocked keys their brand part held (none for a
   * generation that no part pointed at: only its bucket rows are known then).
   */
  function retire(rawTx: IDBTransaction, retiring: Map<number, Retiring>): GenerationRow[] {
    const gens = rawTx.objectStore('gens');
    return [...retiring].map(([g, { url, brandId, part }]) => {
      const row: GenerationRow = {
        g,
        url,
        brandId,
        state: 'retired',
        counts: part?.counts ?? { sellers: 0, blocked: 0, products: 0 },
        blocked: part?.blocked ?? '[]',
      };
      gens.put(row);
      return row;
    });
  }

  async function abortQuietly(tx: IDBPTransaction<GenuineDB, StoreName[], 'readwrite'>): Promise<void> {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    await tx.done.catch(() => undefined);
  }

  /** Deletes the rows of these retired generations, one transaction each. */
  async function collect(retired: GenerationRow[]): Promise<number> {
    for (const gen of retired) {
      const tx = db.transaction(['gens', 'buckets', 'blocked'], 'readwrite', { durability: 'relaxed' });
      const rawTx = unwrap(tx);
      rawTx.objectStore('buckets').delete(generationRange(gen.g));
      const blocked = rawTx.objectStore('blocked');
      let keys: unknown = [];
      try {
        keys = JSON.parse(gen.blocked);
      } catch {
        // A damaged list: those blocked rows stay, unread (their generation row goes below).
      }
      for (const [m, kind, key, seq] of parseOrNull(BlockedKeyList, keys) ?? []) {
        blocked.delete([m, kind, key, gen.g, seq]);
      }
      rawTx.objectStore('gens').delete(gen.g);
      await tx.done;
    }
    return retired.length;
  }

  async function collectAfterWrite(retired: GenerationRow[]): Promise<void> {
    if (retired.length === 0) return;
    if (swept) {
      await collect(retired);
    } else {
      swept = true;
      await store.collectGarbage();
    }
  }

  // ---- imports --------------------------------------------------------------------------------
  //
  // Each feed lands whole in ONE readwrite transaction (feed-format.md section 4), but not
  // necessarily alone: feeds that queue while a transaction is in flight go into the next one
  // together (group commit, up to MAX_BATCH_FEEDS feeds or MAX_BATCH_BYTES). IndexedDB runs
  // readwrite transactions over the same stores one at a time, so with several feeds syncing at once
  // each would otherwise wait for every earlier one's reads, writes and commit in turn. If a shared
  // transaction fails, every feed in it is written again alone, so that only the one at fault fails.

  interface QueuedImport {
    meta: FeedMeta;
    feed: Feed;
    prepared: PreparedFeed;
    size: number;
    collect: boolean;
    resolve: () => void;
    reject: (error: unknown) => void;
  }

  const importQueue: QueuedImport[] = [];
  let draining = false;
  // Settles when the last import queued has been written (or has failed): other writes wait for
  // it, so that they land after the imports started before them, as they would if each import
  // had opened its transaction at once. (Imports are written in order, so the last one is enough.)
  let lastImport: Promise<void> = Promise.resolve();
  const ignore = () => undefined;

  /** Resolves once every import queued before the call has been written (or has failed). */
  function afterImports(): Promise<void> {
    return lastImport;
  }

  async function drainImports(): Promise<void> {
    try {
      while (importQueue.length > 0) {
        let n = 0;
        let bytes = 0;
        for (const item of importQueue) {
          if (n === MAX_BATCH_FEEDS || (n > 0 && bytes + item.size > MAX_BATCH_BYTES)) break;
          bytes += item.size;
          n += 1;
        }
        await writeBatch(importQueue.splice(0, n));
      }
    } finally {
      draining = false;
    }
  }

  /** Writes a batch and settles each feed's promise; never rejects. */
  async function writeBatch(batch: QueuedImport[]): Promise<void> {
    let retired: GenerationRow[][];
    try {
      retired = await writeImports(batch);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const item of batch) await writeBatch([item]);
      return;
    }
    const collecting = batch.filter((item) => item.collect);
    try {
      await collectAfterWrite(batch.flatMap((item, i) => (item.collect ? (retired[i] ?? []) : [])));
    } catch (error) {
      for (const item of collecting) item.reject(error);
      for (const item of batch) if (!item.collect) item.resolve();
      return;
    }
    for (const item of batch) item.resolve();
  }

  /**
   * One transaction: each feed of the batch, in order, under its own new generation, swapped in
   * for the URL's previous one (under whichever brand), which is retired. Returns the generations
   * each feed retired.
   */
  async function writeImports(batch: readonly QueuedImport[]): Promise<GenerationRow[][]> {
    const tx = db.transaction(IMPORT_STORES, 'readwrite', { durability: 'relaxed' });
    try {
      const urls = unique(batch.map((item) => item.meta.url));
      const readBrands = (ids: string[]) =>
        Promise.all(ids.map(async (id) => [id, await readBrandRow(tx, id)] as const));
      const [counter, metaRaws, feedBrands] = await Promise.all([
        tx.objectStore('state').get('nextGeneration'),
        Promise.all(urls.map((url) => tx.objectStore('meta').get(url))),
        readBrands(unique(batch.map((item) => item.feed.brandId))),
      ]);
      const metas = new Map(urls.map((url, i) => [url, parseOrNull(FeedMetaRecord, metaRaws[i])]));
      const rows = new Map<string, BrandRow | null>(feedBrands);
      // A URL's previous brand, when the feed moved to another one (rare: one more read).
      const moved = unique(
        [...metas.values()].flatMap((m) => (m && !rows.has(m.brandId) ? [m.brandId] : [])),
      );
      for (const [id, row] of await readBrands(moved)) rows.set(id, row);
      const first = await takeGenerations(tx, counter, batch.length);

      const parts = new Map([...rows].map(([id, row]) => [id, row?.parts ?? []]));
      const rawTx = unwrap(tx);
      const buckets = rawTx.objectStore('buckets');
      const blocked = rawTx.objectStore('blocked');
      const retired = batch.map(({ meta, feed, prepared }, index) => {
        const g = first + index;
        const oldMeta = metas.get(meta.url) ?? null;
        // The swap: the URL's previous part (under whichever brand) is retired, the new one pointed at.
        const toRetire = new Map<number, Retiring>();
        for (const brandId of unique([feed.brandId, ...(oldMeta ? [oldMeta.brandId] : [])])) {
          const kept = (parts.get(brandId) ?? []).filter((p) => {
            if (p.url !== meta.url) return true;
            toRetire.set(p.generation, { url: p.url, brandId, part: p });
            return false;
          });
          parts.set(brandId, kept);
        }
        if (oldMeta?.generation != null && !toRetire.has(oldMeta.generation)) {
          toRetire.set(oldMeta.generation, { url: meta.url, brandId: oldMeta.brandId, part: null });
        }

        const records: FeedRecords = placeFeed(prepared, g);
        for (const r of records.records) {
          if (r.store === 'buckets') buckets.put(r.value, r.key);
          else blocked.put(r.value, r.key);
        }
        const part: BrandPart = {
          url: meta.url,
          generation: g,
          version: feed.version,
          issuedAt: feed.issuedAt,
          expiresAt: feed.expiresAt,
          name: feed.brand.name,
          aliases: feed.brand.aliases ?? [],
          website: feed.brand.website ?? null,
          contact: feed.brand.contact ?? null,
          reportEndpoint: feed.report?.endpoint ?? null,
          channels: records.channels,
          counts: records.counts,
          layout: records.layout,
          blocked: records.blockedKeys,
        };
        parts.set(feed.brandId, [...(parts.get(feed.brandId) ?? []), part]);
        metas.set(meta.url, { ...meta, generation: g });
        return retire(rawTx, toRetire);
      });
      for (const [brandId, row] of rows) writeBrand(rawTx, brandId, row, parts.get(brandId) ?? []);
      const metaStore = rawTx.objectStore('meta');
      for (const meta of metas.values()) if (meta !== null) metaStore.put(meta);
      await tx.done;
      return retired;
    } catch (error) {
      await abortQuietly(tx);
      throw error;
    }
  }

  const store: GenuineStore = {
    importFeed(meta, feed, options = {}) {
      if (feed.brandId !== meta.brandId) {
        return Promise.reject(new Error(`feed is for brand "${feed.brandId}", expected "${meta.brandId}"`));
      }
      // Serializing is done before the feed queues for a transaction.
      const prepared = prepareFeed(feed);
      const written = new Promise<void>((resolve, reject) => {
        importQueue.push({
          meta,
          feed,
          prepared,
          size: preparedSize(prepared),
          collect: options.collect !== false,
          resolve,
          reject,
        });
      });
      lastImport = written.then(ignore, ignore);
      if (!draining) {
        draining = true;
        void drainImports();
      }
      return written;
    },

    async dropFeed(url) {
      await afterImports();
      const tx = db.transaction(['meta', 'state', 'brands', 'names', 'gens'], 'readwrite');
      let retired: GenerationRow[] = [];
      try {
        const [metaRaw, counter] = await Promise.all([
          tx.objectStore('meta').get(url),
          tx.objectStore('state').get('nextGeneration'),
        ]);
        const meta = parseOrNull(FeedMetaRecord, metaRaw);
        const rawTx = unwrap(tx);
        if (meta !== null) {
          // A drop takes a generation number too, for nothing but moving the readers' epoch.
          const [oldRow] = await Promise.all([readBrandRow(tx, meta.brandId), takeGenerations(tx, counter)]);
          const toRetire = new Map<number, Retiring>();
          const kept: BrandPart[] = [];
          for (const p of oldRow?.parts ?? []) {
            if (p.url === url) toRetire.set(p.generation, { url, brandId: meta.brandId, part: p });
            else kept.push(p);
          }
          if (meta.generation !== null && !toRetire.has(meta.generation)) {
            toRetire.set(meta.generation, { url, brandId: meta.brandId, part: null });
          }
          retired = retire(rawTx, toRetire);
          if (oldRow !== null) writeBrand(rawTx, meta.brandId, oldRow, kept);
        }
        rawTx.objectStore('meta').delete(url);
        await tx.done;
      } catch (error) {
        await abortQuietly(tx);
        throw error;
      }
      await collectAfterWrite(retired);
    },

    async collectGarbage() {
      const retired = (await db.getAll('gens'))
        .map((v) => parseOrNull(GenerationRow, v))
        .filter((r): r is GenerationRow => r !== null && r.state === 'retired');
      return collect(retired);
    },

    async getMeta(url) {
      const tx = db.transaction(['meta', 'state'], 'readonly');
      const [raw, checks] = await Promise.all([tx.objectStore('meta').get(url), readChecks(tx)]);
      const meta = parseOrNull(FeedMetaRecord, raw);
      return meta === null ? null : withCheck(meta, checks);
    },

    async putMeta(meta) {
      await afterImports();
      await db.put('meta', FeedMetaRecord.parse(meta));
    },

    async listMeta() {
      const tx = db.transaction(['meta', 'state'], 'readonly');
      const [raws, checks] = await Promise.all([tx.objectStore('meta').getAll(), readChecks(tx)]);
      return raws
        .map((v) => parseOrNull(FeedMetaRecord, v))
        .filter((m): m is FeedMeta => m !== null)
        .map((m) => withCheck(m, checks));
    },

    async recordChecks(list) {
      if (list.length === 0) return;
      await afterImports();
      const tx = db.transaction(['meta', 'state'], 'readwrite');
      const [urls, current] = await Promise.all([tx.objectStore('meta').getAllKeys(), readChecks(tx)]);
      const known = new Set(urls);
      const next: FeedChecks = {};
      // Keep only feeds that still exist, so the row never outgrows the list of feeds.
      for (const [url, check] of Object.entries(current)) if (known.has(url)) next[url] = check;
      for (const c of list) {
        if (!known.has(c.url)) continue;
        next[c.url] = { lastAttempt: c.lastAttempt, lastSuccess: c.lastSuccess, nextSync: c.nextSync };
      }
      const id = Math.random();
      const state = tx.objectStore('state');
      await Promise.all([state.put(next, 'checks'), state.put(id, 'checksId')]);
      await tx.done;
      checksCache = { id, checks: next };
    },

    async getDirectory() {
      return parseOrNull(DirectoryState, await db.get('state', 'directory'));
    },

    async putDirectory(state) {
      await db.put('state', DirectoryState.parse(state), 'directory');
    },

    async getClockFloor() {
      const value = await db.get('state', 'clockFloor');
      const floor = typeof value === 'string' && Number.isFinite(Date.parse(value)) ? value : null;
      if (floor !== null) knownFloor = Math.max(knownFloor, Date.parse(floor));
      return floor;
    },

    async raiseClockFloor(issuedAt) {
      const at = Date.parse(issuedAt);
      if (!Number.isFinite(at)) return;
      // The floor only rises: at or below a value this connection read or wrote, there is nothing
      // to do (a sync raises it after every import, nearly always with an issuedAt no newer).
      if (at <= knownFloor) return;
      const tx = db.transaction('state', 'readwrite');
      const current = await tx.store.get('clockFloor');
      const currentAt = typeof current === 'string' ? Date.parse(current) : Number.NaN;
      if (!(currentAt >= at)) await tx.store.put(issuedAt, 'clockFloor');
      await tx.done;
      knownFloor = Math.max(knownFloor, at, Number.isFinite(currentAt) ? currentAt : at);
    },

    async findBrandsByName(normalizedName) {
      const key = normalizeName(normalizedName);
      const tx = readTx();
      const reads = readsOf(tx);
      const recordsOf = async (brandIds: string[]) =>
        (
          await Promise.all(
            brandIds.map((brandId) =>
              withBrand(tx, brandId, async (row) => (row === null ? null : brandRecordOf(tx, row))),
            ),
          )
        ).filter((r): r is BrandRecord => r !== null);
      // The name keys, when a title check has them in memory, answer without the names index.
      const known = cache;
      if (known.nameKeys !== null) {
        known.byName ??= indexNames(known.nameKeys);
        const [epoch, records] = await Promise.all([reads.epoch, recordsOf(known.byName.get(key) ?? [])]);
        if (epoch === known.epoch) return records;
      }
      const rows = await tx.objectStore('names').getAllKeys(prefixRange([key]));
      return recordsOf(unique(rows.map((k) => k[1])));
    },

    async brandNameKeys() {
      const tx = readTx();
      const reads = readsOf(tx);
      const known = cache;
      if (known.nameKeys !== null) {
        const list = known.nameKeys;
        if ((await reads.epoch) === known.epoch) return list;
      }
      const [epoch, keys] = await Promise.all([reads.epoch, tx.objectStore('names').getAllKeys()]);
      const list = keys.map(([key, brandId]) => ({ key, brandId }));
      cacheAt(epoch).nameKeys = list;
      return list;
    },

    async getBrand(brandId) {
      const tx = readTx();
      return withBrand(tx, brandId, async (row) => (row === null ? null : brandRecordOf(tx, row)));
    },

    async channels(brandId, marketplace, site) {
      const tx = readTx();
      return withBrand(tx, brandId, async (row) =>
        (row?.parts ?? []).flatMap((part) =>
          part.channels
            .filter((c) => c.marketplace === marketplace && covers(c, site))
            .map((c) => toChannelRecord(brandId, c)),
        ),
      );
    },

    async findSeller(brandId, marketplace, site, seller) {
      const id = seller.id === null ? '' : normalizeSellerId(marketplace, seller.id);
      const name = seller.name === null ? '' : normalizeSellerName(seller.name);
      if (id === '' && name === '') return null;
      const tx = readTx();
      return withBrand(tx, brandId, async (row) => {
        if (row === null) return null;
        const found = await Promise.all(
          byGeneration(row.parts).map((part) => sellerCandidates(tx, part, marketplace, site, id, name)),
        );
        // By id when the page shows one; else by name.
        const byId = found.flatMap((f) => f.byId);
        const best = validLongest(byId.length > 0 ? byId : found.flatMap((f) => f.byName));
        if (best === null) return null;
        return { brandId, channel: toChannelRecord(brandId, best.channel), entry: best.entry };
      });
    },

    async findBlocked(marketplace, seller) {
      const id = seller.id === null ? '' : normalizeSellerId(marketplace, seller.id);
      const name = seller.name === null ? '' : normalizeSellerName(seller.name);
      if (id === '' && name === '') return [];
      const tx = readTx();
      const blocked = tx.objectStore('blocked');
      const read = async (kind: 'i' | 'n', key: string) => {
        if (key === '') return [];
        const range = prefixRange([marketplace, kind, key]);
        // Keys first: nearly every seller is blocked by nobody, and then that is the only request.
        const keys = await blocked.getAllKeys(range);
        if (keys.length === 0) return [];
        const values = await blocked.getAll(range);
        return keys.map((k, i) => ({
          kind,
          g: k[3],
          seq: k[4],
          value: parseOrNull(BlockedValue, values[i]),
        }));
      };
      const [byId, byName] = await Promise.all([read('i', id), read('n', name)]);
      const rows = [...byId, ...byName].filter((r) => {
        if (r.value === null || !Number.isSafeInteger(r.g) || !Number.isSafeInteger(r.seq)) return false;
        if (r.kind === 'i') return true;
        // Same rule as findSeller: a name matches when the page shows no id or the entry has none.
        const entryId = r.value.e.id === undefined ? '' : normalizeSellerId(marketplace, r.value.e.id);
        return id === '' || entryId === '' || entryId === id;
      });
      if (rows.length === 0) return [];
      // A row counts while its generation is one its brand's row points at (same transaction).
      const brandIds = unique(rows.map((r) => r.value?.b ?? ''));
      const generations = await Promise.all(
        brandIds.map((b) => withBrand(tx, b, async (row) => new Set(row?.parts.map((p) => p.generation)))),
      );
      const activeOf = new Map(brandIds.map((b, i) => [b, generations[i] ?? new Set<number>()]));
      const seen = new Set<string>();
      const matches: BlockedMatch[] = [];
      for (const r of rows) {
        const key = `${r.g}:${r.seq}`;
        if (r.value === null || activeOf.get(r.value.b)?.has(r.g) !== true || seen.has(key)) continue;
        seen.add(key);
        const match: BlockedMatch = { brandId: r.value.b, marketplace };
        if (r.value.e.id !== undefined) match.id = r.value.e.id;
        if (r.value.e.name !== undefined) match.name = r.value.e.name;
        if (r.value.e.reason !== undefined) match.reason = r.value.e.reason;
        matches.push(match);
      }
      return matches;
    },

    async findProduct(brandId, keys) {
      const gtin = keys.gtin ?? '';
      const productId = keys.productId === null ? '' : normalizeProductId(keys.productId);
      if (gtin === '' && productId === '') return null;
      const tx = readTx();
      return withBrand(tx, brandId, async (row) => {
        if (row === null) return null;
        const found = await Promise.all(
          byGeneration(row.parts).map((part) => productCandidates(tx, part, gtin, productId)),
        );
        return found.flatMap((f) => f.byGtin)[0] ?? found.flatMap((f) => f.byId)[0] ?? null;
      });
    },

    async stats() {
      const tx = db.transaction(['meta', 'brands', 'names', 'gens'], 'readonly');
      const [feeds, brands, names, gens] = await Promise.all([
        tx.objectStore('meta').count(),
        tx.objectStore('brands').getAll(),
        tx.objectStore('names').count(),
        tx.objectStore('gens').getAll(),
      ]);
      const stats: StoreStats = {
        feeds,
        brands: brands.length,
        names,
        sellers: 0,
        blocked: 0,
        products: 0,
        retiredGenerations: 0,
      };
      const add = (counts: BrandPart['counts']) => {
        stats.sellers += counts.sellers;
        stats.blocked += counts.blocked;
        stats.products += counts.products;
      };
      for (const raw of brands) for (const part of parseOrNull(BrandRow, raw)?.parts ?? []) add(part.counts);
      for (const raw of gens) {
        const gen = parseOrNull(GenerationRow, raw);
        if (gen === null || gen.state !== 'retired') continue;
        add(gen.counts);
        stats.retiredGenerations += 1;
      }
      return stats;
    },

    close() {
      db.close();
    },
  };
  return store;
}

/** The meta with its recorded check merged in, when the check is newer than the meta's own attempt. */
function withCheck(meta: FeedMeta, checks: FeedChecks): FeedMeta {
  const check = Object.hasOwn(checks, meta.url) ? checks[meta.url] : undefined;
  if (check === undefined) return meta;
  const own = meta.lastAttempt === null ? Number.NEGATIVE_INFINITY : Date.parse(meta.lastAttempt);
  if (!(Date.parse(check.lastAttempt) > own)) return meta;
  return { ...meta, ...check, failures: 0, lastError: null };
}

/** Counts for the options page and the benchmark (rows of retired generations count until collected). */
export function estimateStoreStats(store: GenuineStore): Promise<StoreStats> {
  return store.stats();
}
