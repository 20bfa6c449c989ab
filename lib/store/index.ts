import { type DBSchema, type IDBPDatabase, type IDBPTransaction, unwrap, wrap } from 'idb';
import { normalizeName } from '../feed/names';
import type { Feed } from '../feed/schema';
import { Product } from '../feed/schema';
import { normalizeProductId, normalizeSellerId, normalizeSellerName, normalizeSite } from './keys';
import {
  BlockedRow,
  type BrandPart,
  BrandRow,
  type ChannelRow,
  DirectoryState,
  FeedChecks,
  FeedMetaRecord,
  GenerationRow,
  ProductRow,
  SellerRow,
  type StoreStats,
} from './records';
import { feedRows } from './rows';
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
export type { DirectoryState, StoreStats } from './records';
export { feedRows, type RowSink } from './rows';
export type * from './types';

/**
 * The IndexedDB store behind every check (issue 4.2), through idb.
 *
 * Layout (database version 1):
 * - `meta` (key url): FeedMeta, one per feed URL.
 * - `state` (out-of-line keys): "nextGeneration" counter, "clockFloor" (newest issuedAt ever
 *   accepted), "directory" (DirectoryState).
 * - `brands` (key brandId): the brand's pointer row. Each feed URL of the brand is a "part" holding
 *   the generation currently readable and the feed's brand fields and channels (with their sites).
 * - `names` (key [normalized name, brandId]): every brand name and alias.
 * - `gens` (key g): every generation, "active" or "retired" (awaiting deletion).
 * - `sellers` (key [g, marketplace, normalized id, seq], so a lookup by id needs no index),
 *   index `name` [g, marketplace, normalized name]; rows carry their channel's position in the
 *   feed. Keyed by generation rather than brand: the reader reads the brand's pointer row first
 *   and looks up under each generation it names (one per feed URL, nearly always one).
 * - `blocked` (key [g, seq]), indexes `id` [marketplace, normalized id] and `name`.
 * - `products` (key [g, seq]), indexes `gtin` [brandId, gtin] and `ids` (multi-entry
 *   [brandId, normalized id] for every id in `ids`).
 *
 * Generations: `importFeed` writes the feed's rows under a new generation number and rewrites the
 * brand row to point at it, in ONE readwrite transaction; the previous generation is marked
 * retired in that transaction and its rows are range-deleted afterwards (`collectGarbage`, in later
 * transactions). Readers only accept rows whose generation the brand row (or `gens`) calls active,
 * in the same read transaction, so they never see a retired generation or half a new one, and an
 * aborted import (crash, quota, a throw) leaves the previous generation in use.
 *
 * Every question of StoreReader is one index lookup (plus a get of the small pointer row).
 *
 * Seller entries whose `until` has passed are still returned, with `until`, so that lib/check
 * decides with its own clock; when several entries match, the one valid longest is returned (no
 * `until` first, then the latest), so if the returned entry has expired every matching one has.
 */

const DB_VERSION = 1;

interface GenuineDB extends DBSchema {
  meta: { key: string; value: unknown };
  state: { key: string; value: unknown };
  brands: { key: string; value: unknown };
  names: { key: [string, string]; value: unknown };
  gens: { key: number; value: unknown };
  sellers: {
    key: [number, string, string, number];
    value: unknown;
    indexes: { name: [number, string, string] };
  };
  blocked: {
    key: [number, number];
    value: unknown;
    indexes: { id: [string, string]; name: [string, string] };
  };
  products: {
    key: [number, number];
    value: unknown;
    indexes: { gtin: [string, string]; ids: [string, string] };
  };
}

type StoreName = 'meta' | 'state' | 'brands' | 'names' | 'gens' | 'sellers' | 'blocked' | 'products';
const IMPORT_STORES: StoreName[] = [
  'meta',
  'state',
  'brands',
  'names',
  'gens',
  'sellers',
  'blocked',
  'products',
];

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
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
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

function upgrade(db: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('meta', { keyPath: 'url' });
    db.createObjectStore('state');
    db.createObjectStore('brands', { keyPath: 'brandId' });
    db.createObjectStore('names', { keyPath: ['key', 'brandId'] });
    db.createObjectStore('gens', { keyPath: 'g' });
    const sellers = db.createObjectStore('sellers', { keyPath: ['g', 'm', 'i', 's'] });
    sellers.createIndex('name', ['g', 'm', 'n']);
    const blocked = db.createObjectStore('blocked', { keyPath: ['g', 's'] });
    blocked.createIndex('id', ['m', 'i']);
    blocked.createIndex('name', ['m', 'n']);
    const products = db.createObjectStore('products', { keyPath: ['g', 's'] });
    products.createIndex('gtin', ['b', 't']);
    products.createIndex('ids', 'k', { multiEntry: true });
  }
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

/** Prefer the entry valid longest: no `until`, then the latest `until`; then feed order. */
function validLongest<T extends { e: { until?: string | undefined } }>(rows: T[]): T | null {
  let best: T | null = null;
  for (const row of rows) {
    if (best === null) {
      best = row;
      continue;
    }
    const a = best.e.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(best.e.until);
    const b = row.e.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(row.e.until);
    if (b > a) best = row;
  }
  return best;
}

function createStore(db: IDBPDatabase<GenuineDB>): GenuineStore {
  async function readBrandRow(
    tx: IDBPTransaction<GenuineDB, StoreName[], IDBTransactionMode>,
    brandId: string,
  ): Promise<BrandRow | null> {
    return parseOrNull(BrandRow, await tx.objectStore('brands').get(brandId));
  }

  async function brandRecordIn(
    tx: IDBPTransaction<GenuineDB, StoreName[], IDBTransactionMode>,
    brandId: string,
  ): Promise<BrandRecord | null> {
    const row = await readBrandRow(tx, brandId);
    if (row === null) return null;
    const meta = parseOrNull(FeedMetaRecord, await tx.objectStore('meta').get(primaryPart(row.parts).url));
    return toBrandRecord(row, meta?.lastSuccess ?? null);
  }

  async function activeGenerations(
    tx: IDBPTransaction<GenuineDB, StoreName[], IDBTransactionMode>,
    gs: number[],
  ): Promise<Set<number>> {
    const active = new Set<number>();
    const gens = tx.objectStore('gens');
    await Promise.all(
      unique(gs).map(async (g) => {
        const row = parseOrNull(GenerationRow, await gens.get(g));
        if (row?.state === 'active') active.add(g);
      }),
    );
    return active;
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

  function retire(rawTx: IDBTransaction, g: number, url: string, brandId: string): void {
    const row: GenerationRow = { g, url, brandId, state: 'retired' };
    rawTx.objectStore('gens').put(row);
  }

  /** Writes the feed's rows under generation g (raw puts, not awaited one by one). */
  function writeRows(rawTx: IDBTransaction, g: number, feed: Feed): Pick<BrandPart, 'channels' | 'counts'> {
    const sellers = rawTx.objectStore('sellers');
    const blocked = rawTx.objectStore('blocked');
    const products = rawTx.objectStore('products');
    return feedRows(feed, g, {
      seller: (row) => sellers.put(row),
      blocked: (row) => blocked.put(row),
      product: (row) => products.put(row),
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

  // Brand name keys, read by every title-only check. They change only through this store's own
  // writes (import, drop), which clear the copy, so a check never scans the index twice in a row.
  let nameKeys: Promise<{ key: string; brandId: string }[]> | null = null;

  const store: GenuineStore = {
    async importFeed(meta, feed, options = {}) {
      nameKeys = null;
      if (feed.brandId !== meta.brandId) {
        throw new Error(`feed is for brand "${feed.brandId}", expected "${meta.brandId}"`);
      }
      const tx = db.transaction(IMPORT_STORES, 'readwrite', { durability: 'relaxed' });
      try {
        const stateStore = tx.objectStore('state');
        const [counter, oldMetaRaw] = await Promise.all([
          stateStore.get('nextGeneration'),
          tx.objectStore('meta').get(meta.url),
        ]);
        const g = typeof counter === 'number' && Number.isSafeInteger(counter) && counter > 0 ? counter : 1;
        const oldMeta = parseOrNull(FeedMetaRecord, oldMetaRaw);
        const brandIds = unique([feed.brandId, ...(oldMeta ? [oldMeta.brandId] : [])]);
        const oldRows = await Promise.all(brandIds.map((id) => readBrandRow(tx, id)));

        const rawTx = unwrap(tx);
        rawTx.objectStore('state').put(g + 1, 'nextGeneration');
        const written = writeRows(rawTx, g, feed);
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
          ...written,
        };

        // The swap: the URL's previous part (under whichever brand) is retired, the new one pointed at.
        const retired = new Set<number>();
        brandIds.forEach((brandId, index) => {
          const oldRow = oldRows[index] ?? null;
          const kept: BrandPart[] = [];
          for (const p of oldRow?.parts ?? []) {
            if (p.url === meta.url) {
              retire(rawTx, p.generation, p.url, brandId);
              retired.add(p.generation);
            } else {
              kept.push(p);
            }
          }
          writeBrand(rawTx, brandId, oldRow, brandId === feed.brandId ? [...kept, part] : kept);
        });
        if (oldMeta?.generation != null && !retired.has(oldMeta.generation)) {
          retire(rawTx, oldMeta.generation, meta.url, oldMeta.brandId);
        }
        const active: GenerationRow = { g, url: meta.url, brandId: feed.brandId, state: 'active' };
        rawTx.objectStore('gens').put(active);
        const newMeta: FeedMeta = { ...meta, generation: g };
        rawTx.objectStore('meta').put(newMeta);
        await tx.done;
      } catch (error) {
        await abortQuietly(tx);
        throw error;
      } finally {
        // Again after the commit: a read that raced the import may have cached the old keys.
        nameKeys = null;
      }
      if (options.collect !== false) await store.collectGarbage();
    },

    async dropFeed(url) {
      nameKeys = null;
      const tx = db.transaction(['meta', 'brands', 'names', 'gens'], 'readwrite');
      try {
        const meta = parseOrNull(FeedMetaRecord, await tx.objectStore('meta').get(url));
        const rawTx = unwrap(tx);
        if (meta !== null) {
          const oldRow = await readBrandRow(tx, meta.brandId);
          const kept: BrandPart[] = [];
          for (const p of oldRow?.parts ?? []) {
            if (p.url === url) retire(rawTx, p.generation, url, meta.brandId);
            else kept.push(p);
          }
          if (oldRow !== null) writeBrand(rawTx, meta.brandId, oldRow, kept);
          if (meta.generation !== null) retire(rawTx, meta.generation, url, meta.brandId);
        }
        rawTx.objectStore('meta').delete(url);
        await tx.done;
      } catch (error) {
        await abortQuietly(tx);
        throw error;
      } finally {
        nameKeys = null;
      }
      await store.collectGarbage();
    },

    async collectGarbage() {
      const gens = (await db.getAll('gens'))
        .map((v) => parseOrNull(GenerationRow, v))
        .filter((r): r is GenerationRow => r !== null && r.state === 'retired');
      for (const gen of gens) {
        const tx = db.transaction(['gens', 'sellers', 'blocked', 'products'], 'readwrite', {
          durability: 'relaxed',
        });
        const rawTx = unwrap(tx);
        const range = generationRange(gen.g);
        rawTx.objectStore('sellers').delete(range);
        rawTx.objectStore('blocked').delete(range);
        rawTx.objectStore('products').delete(range);
        rawTx.objectStore('gens').delete(gen.g);
        await tx.done;
      }
      return gens.length;
    },

    async getMeta(url) {
      const tx = db.transaction(['meta', 'state'], 'readonly');
      const [raw, checks] = await Promise.all([tx.objectStore('meta').get(url), readChecks(tx)]);
      const meta = parseOrNull(FeedMetaRecord, raw);
      return meta === null ? null : withCheck(meta, checks);
    },

    async putMeta(meta) {
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
      await tx.objectStore('state').put(next, 'checks');
      await tx.done;
    },

    async getDirectory() {
      return parseOrNull(DirectoryState, await db.get('state', 'directory'));
    },

    async putDirectory(state) {
      await db.put('state', DirectoryState.parse(state), 'directory');
    },

    async getClockFloor() {
      const value = await db.get('state', 'clockFloor');
      return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? value : null;
    },

    async raiseClockFloor(issuedAt) {
      if (!Number.isFinite(Date.parse(issuedAt))) return;
      const tx = db.transaction('state', 'readwrite');
      const current = await tx.store.get('clockFloor');
      if (typeof current !== 'string' || !(Date.parse(current) >= Date.parse(issuedAt))) {
        await tx.store.put(issuedAt, 'clockFloor');
      }
      await tx.done;
    },

    async findBrandsByName(normalizedName) {
      const key = normalizeName(normalizedName);
      const tx = db.transaction(['names', 'brands', 'meta'], 'readonly');
      const rows = await tx.objectStore('names').getAllKeys(keyRange().bound([key], [key, []]));
      const records = await Promise.all(
        unique(rows.map((k) => k[1])).map((brandId) => brandRecordIn(tx, brandId)),
      );
      return records.filter((r): r is BrandRecord => r !== null);
    },

    async brandNameKeys() {
      if (nameKeys === null) {
        nameKeys = db.getAllKeys('names').then((keys) => keys.map(([key, brandId]) => ({ key, brandId })));
      }
      const pending = nameKeys;
      try {
        return await pending;
      } catch (error) {
        if (nameKeys === pending) nameKeys = null;
        throw error;
      }
    },

    async getBrand(brandId) {
      const tx = db.transaction(['brands', 'meta'], 'readonly');
      return brandRecordIn(tx, brandId);
    },

    async channels(brandId, marketplace, site) {
      const tx = db.transaction(['brands'], 'readonly');
      const row = await readBrandRow(tx, brandId);
      if (row === null) return [];
      return row.parts.flatMap((part) =>
        part.channels
          .filter((c) => c.marketplace === marketplace && covers(c, site))
          .map((c) => toChannelRecord(brandId, c)),
      );
    },

    async findSeller(brandId, marketplace, site, seller) {
      const id = seller.id === null ? '' : normalizeSellerId(marketplace, seller.id);
      const name = seller.name === null ? '' : normalizeSellerName(seller.name);
      if (id === '' && name === '') return null;
      const tx = db.transaction(['brands', 'sellers'], 'readonly');
      const sellers = tx.objectStore('sellers');
      const row = await readBrandRow(tx, brandId);
      if (row === null) return null;
      const parts = new Map(row.parts.map((p) => [p.generation, p]));
      const gens = [...parts.keys()];
      const [byId, byName] = await Promise.all([
        id === ''
          ? []
          : Promise.all(
              gens.map((g) =>
                sellers.getAll(keyRange().bound([g, marketplace, id], [g, marketplace, id, []])),
              ),
            ),
        name === '' ? [] : Promise.all(gens.map((g) => sellers.index('name').getAll([g, marketplace, name]))),
      ]);
      const usable = (values: unknown[]) => {
        const out: { row: SellerRow; channel: ChannelRow }[] = [];
        for (const value of values) {
          const parsed = parseOrNull(SellerRow, value);
          const channel = parsed ? parts.get(parsed.g)?.channels[parsed.c] : undefined;
          if (parsed && channel && channel.marketplace === marketplace && covers(channel, site)) {
            out.push({ row: parsed, channel });
          }
        }
        return out;
      };
      // By id when the page shows one; else by name. A page showing an id may still match by name
      // an entry that has no id, never an entry listed under a different id.
      let candidates = usable(byId.flat());
      if (candidates.length === 0) {
        candidates = usable(byName.flat()).filter((c) => id === '' || c.row.i === '');
      }
      const best = validLongest(candidates.map((c) => ({ ...c, e: c.row.e })));
      if (best === null) return null;
      return { brandId, channel: toChannelRecord(brandId, best.channel), entry: compactEntry(best.row.e) };
    },

    async findBlocked(marketplace, seller) {
      const id = seller.id === null ? '' : normalizeSellerId(marketplace, seller.id);
      const name = seller.name === null ? '' : normalizeSellerName(seller.name);
      if (id === '' && name === '') return [];
      const tx = db.transaction(['blocked', 'gens'], 'readonly');
      const blocked = tx.objectStore('blocked');
      const [byId, byName] = await Promise.all([
        id === '' ? [] : blocked.index('id').getAll([marketplace, id]),
        name === '' ? [] : blocked.index('name').getAll([marketplace, name]),
      ]);
      const rows = [...byId, ...byName]
        .map((v) => parseOrNull(BlockedRow, v))
        .filter((r): r is BlockedRow => r !== null)
        // Same rule as findSeller: a name matches when the page shows no id or the entry has none.
        .filter((r) => r.i === id || id === '' || r.i === undefined);
      const active = await activeGenerations(
        tx,
        rows.map((r) => r.g),
      );
      const seen = new Set<string>();
      const matches: BlockedMatch[] = [];
      for (const r of rows) {
        const key = `${r.g}:${r.s}`;
        if (!active.has(r.g) || seen.has(key)) continue;
        seen.add(key);
        const match: BlockedMatch = { brandId: r.b, marketplace: r.m };
        if (r.e.id !== undefined) match.id = r.e.id;
        if (r.e.name !== undefined) match.name = r.e.name;
        if (r.e.reason !== undefined) match.reason = r.e.reason;
        matches.push(match);
      }
      return matches;
    },

    async findProduct(brandId, keys) {
      const gtin = keys.gtin ?? '';
      const productId = keys.productId === null ? '' : normalizeProductId(keys.productId);
      if (gtin === '' && productId === '') return null;
      const tx = db.transaction(['products', 'gens'], 'readonly');
      const products = tx.objectStore('products');
      const [byGtin, byId] = await Promise.all([
        gtin === '' ? [] : products.index('gtin').getAll([brandId, gtin]),
        productId === '' ? [] : products.index('ids').getAll([brandId, productId]),
      ]);
      const rows = [...byGtin, ...byId]
        .map((v) => parseOrNull(ProductRow, v))
        .filter((r): r is ProductRow => r !== null);
      const active = await activeGenerations(
        tx,
        rows.map((r) => r.g),
      );
      for (const r of rows) {
        if (!active.has(r.g) || r.b !== brandId) continue;
        const product = Product.safeParse(r.p);
        if (product.success) return product.data;
      }
      return null;
    },

    async stats() {
      const tx = db.transaction(
        ['meta', 'brands', 'names', 'sellers', 'blocked', 'products', 'gens'],
        'readonly',
      );
      const [feeds, brands, names, sellers, blocked, products, gens] = await Promise.all([
        tx.objectStore('meta').count(),
        tx.objectStore('brands').count(),
        tx.objectStore('names').count(),
        tx.objectStore('sellers').count(),
        tx.objectStore('blocked').count(),
        tx.objectStore('products').count(),
        tx.objectStore('gens').getAll(),
      ]);
      const retiredGenerations = gens.filter(
        (v) => parseOrNull(GenerationRow, v)?.state === 'retired',
      ).length;
      return { feeds, brands, names, sellers, blocked, products, retiredGenerations };
    },

    close() {
      db.close();
    },
  };
  return store;
}

async function readChecks(
  tx: IDBPTransaction<GenuineDB, ('meta' | 'state')[], IDBTransactionMode>,
): Promise<FeedChecks> {
  return parseOrNull(FeedChecks, await tx.objectStore('state').get('checks')) ?? {};
}

/** The meta with its recorded check merged in, when the check is newer than the meta's own attempt. */
function withCheck(meta: FeedMeta, checks: FeedChecks): FeedMeta {
  const check = Object.hasOwn(checks, meta.url) ? checks[meta.url] : undefined;
  if (check === undefined) return meta;
  const own = meta.lastAttempt === null ? Number.NEGATIVE_INFINITY : Date.parse(meta.lastAttempt);
  if (!(Date.parse(check.lastAttempt) > own)) return meta;
  return { ...meta, ...check, failures: 0, lastError: null };
}

function compactEntry(e: SellerRow['e']): SellerMatch['entry'] {
  const entry: SellerMatch['entry'] = {};
  if (e.id !== undefined) entry.id = e.id;
  else if (e.domain !== undefined) entry.id = e.domain;
  if (e.name !== undefined) entry.name = e.name;
  if (e.relation !== undefined) entry.relation = e.relation;
  if (e.until !== undefined) entry.until = e.until;
  return entry;
}

/** Counts for the options page and the benchmark (rows of retired generations count until collected). */
export function estimateStoreStats(store: GenuineStore): Promise<StoreStats> {
  return store.stats();
}
