import { feedRecords, openStore, type StoreRecord } from '../../lib/store';
import { brandFeed, type DatasetSpec, type Validity } from '../generate';

/**
 * The physical floor of an import: the very records lib/store's importFeed writes for the whole
 * data set (built by the store's own `feedRecords`, brand i's feed under generation i + 1), put in
 * ONE readwrite transaction into a scratch database whose schema openStore itself created, with no
 * fetch, no verification and no per-feed bookkeeping (meta, brand, name and generation rows). The
 * records are built before the clock starts. The scratch database is deleted afterwards.
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
  /** Records put (rows of the `buckets` and `blocked` stores). */
  rows: number;
  /** Characters of JSON text in them (bucket values as stored; blocked values as JSON). */
  bytes: number;
  buildMs: number;
  putMs: number;
  heapPeak: number | null;
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
    const records: StoreRecord[] = [];
    for (let i = 0; i < input.spec.brands; i++) {
      for (const r of feedRecords(brandFeed(input.spec, i, input.validity), i + 1).records) records.push(r);
    }
    const buildMs = now() - tb;
    let bytes = 0;
    for (const r of records) bytes += r.store === 'buckets' ? r.value.length : JSON.stringify(r.value).length;
    sample();

    const t0 = now();
    const tx = db.transaction(['buckets', 'blocked'], 'readwrite', { durability: 'relaxed' });
    const finished = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('floor transaction aborted'));
      tx.onerror = () => reject(tx.error ?? new Error('floor transaction failed'));
    });
    const buckets = tx.objectStore('buckets');
    const blocked = tx.objectStore('blocked');
    for (const r of records) {
      if (r.store === 'buckets') buckets.put(r.value, r.key);
      else blocked.put(r.value, r.key);
    }
    sample();
    await finished;
    const putMs = now() - t0;
    sample();
    return { rows: records.length, bytes, buildMs, putMs, heapPeak };
  } finally {
    db.close();
    await done(factory.deleteDatabase(input.dbName)).catch(() => undefined);
  }
}
