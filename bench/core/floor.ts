import { openStore } from '../../lib/store';
import { normalizeProductId, normalizeSellerId, normalizeSellerName } from '../../lib/store/keys';
import { brandFeed, type DatasetSpec, type Validity } from '../generate';

/**
 * The physical floor of an import: the same rows lib/store writes for the whole data set (every
 * seller, blocked seller and product, in the store's row shape, into object stores with the
 * store's key paths and indexes, created by openStore itself in a scratch database), put in ONE
 * readwrite transaction with no fetch, no verification and no per-feed bookkeeping. The rows are
 * built before the clock starts. The scratch database is deleted afterwards.
 */

export interface FloorInput {
  spec: DatasetSpec;
  validity: Validity;
  dbName: string;
  idbFactory?: IDBFactory;
  now: () => number;
  memory?: () => number;
}

export interface FloorResult {
  rows: number;
  buildMs: number;
  putMs: number;
  heapPeak: number | null;
}

type Row = Record<string, unknown>;

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** The rows lib/store's importFeed writes for brand i's feed under generation g. */
export function storeRows(spec: DatasetSpec, i: number, validity: Validity, g: number) {
  const feed = brandFeed(spec, i, validity);
  const b = feed.brandId;
  const sellers: Row[] = [];
  let s = 0;
  feed.channels.forEach((channel, c) => {
    const m = channel.marketplace;
    for (const e of channel.sellers) {
      const row: Row = { g, s: s++, b, m, c, e };
      const idSource = e.id ?? e.domain;
      const id = idSource === undefined ? undefined : nonEmpty(normalizeSellerId(m, idSource));
      const name = e.name === undefined ? undefined : nonEmpty(normalizeSellerName(e.name));
      if (id !== undefined) row.i = id;
      if (name !== undefined) row.n = name;
      sellers.push(row);
    }
  });
  const blocked: Row[] = (feed.blocked ?? []).map((e, k) => {
    const row: Row = { g, s: k, b, m: e.marketplace, e: { id: e.id, name: e.name, reason: e.reason } };
    const id = e.id === undefined ? undefined : nonEmpty(normalizeSellerId(e.marketplace, e.id));
    if (id !== undefined) row.i = id;
    return row;
  });
  const products: Row[] = (feed.products ?? []).map((p, k) => {
    const ids = [...new Set(Object.values(p.ids ?? {}).map(normalizeProductId))].filter((v) => v !== '');
    const row: Row = { g, s: k, b, k: ids.map((v) => [b, v]), p };
    if (p.gtin !== undefined) row.t = p.gtin;
    return row;
  });
  return { sellers, blocked, products };
}

function done(request: IDBOpenDBRequest | IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function runFloor(input: FloorInput): Promise<FloorResult> {
  const factory = input.idbFactory ?? globalThis.indexedDB;
  const { now } = input;
  // Same schema as the real store: let openStore create it, then write with bare IndexedDB.
  (await openStore(input.dbName, factory)).close();
  const db = (await done(factory.open(input.dbName))) as IDBDatabase;
  let heapPeak = input.memory ? input.memory() : null;
  const sample = () => {
    if (!input.memory) return;
    const m = input.memory();
    if (heapPeak === null || m > heapPeak) heapPeak = m;
  };
  try {
    const tb = now();
    const all = { sellers: [] as Row[], blocked: [] as Row[], products: [] as Row[] };
    for (let i = 0; i < input.spec.brands; i++) {
      const rows = storeRows(input.spec, i, input.validity, i + 1);
      for (const r of rows.sellers) all.sellers.push(r);
      for (const r of rows.blocked) all.blocked.push(r);
      for (const r of rows.products) all.products.push(r);
    }
    const buildMs = now() - tb;
    sample();

    const t0 = now();
    const tx = db.transaction(['sellers', 'blocked', 'products'], 'readwrite', { durability: 'relaxed' });
    const finished = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('floor transaction aborted'));
      tx.onerror = () => reject(tx.error ?? new Error('floor transaction failed'));
    });
    const sellers = tx.objectStore('sellers');
    const blocked = tx.objectStore('blocked');
    const products = tx.objectStore('products');
    for (const r of all.sellers) sellers.put(r);
    for (const r of all.blocked) blocked.put(r);
    for (const r of all.products) products.put(r);
    sample();
    await finished;
    const putMs = now() - t0;
    sample();
    return { rows: all.sellers.length + all.blocked.length + all.products.length, buildMs, putMs, heapPeak };
  } finally {
    db.close();
    await done(factory.deleteDatabase(input.dbName)).catch(() => undefined);
  }
}
