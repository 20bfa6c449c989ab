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
  /** Alternative layouts to time as well (bench/README.md, "sync"); none by default. */
  variants?: readonly FloorVariant[];
}

export type FloorVariant = 'packed' | 'buckets' | 'compact';

export interface FloorResult {
  rows: number;
  buildMs: number;
  putMs: number;
  heapPeak: number | null;
  /**
   * The same sellers packed one row per feed channel (entries as an array, multi-entry indexes
   * over their normalized ids and names) with products and blocked sellers one row per feed: what
   * the same data costs to put with far fewer IndexedDB requests. Not the store's layout: shown
   * to size the alternative (bench/README.md).
   */
  packed?: { rows: number; putMs: number };
  /**
   * The same data in rows keyed by hash buckets ([generation, channel, "id"|"name", bucket] for
   * sellers, [generation, "product"|"blocked", bucket] for the rest), about 128 entries a row,
   * each row one JSON string, and NO secondary index: every lookup is one get by primary key.
   */
  buckets?: { rows: number; putMs: number };
  /**
   * Like `buckets`, but each bucket is compact text holding only what a lookup needs, one line per
   * entry (sellers: normalized id or name, the entry's index in its channel, `until`; products and
   * blocked sellers: the key and the entry's index in the feed), no entry stored twice, and the
   * feed's entries themselves in one row per feed as JSON: what the store could write instead.
   */
  compact?: { rows: number; putMs: number; bytes: number };
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
    const rows = all.sellers.length + all.blocked.length + all.products.length;
    db.close();
    await done(factory.deleteDatabase(input.dbName)).catch(() => undefined);
    const result: FloorResult = { rows, buildMs, putMs, heapPeak };
    if (input.variants?.includes('packed')) result.packed = await packedFloor(input, all, factory);
    if (input.variants?.includes('buckets')) result.buckets = await bucketFloor(input, all, factory);
    if (input.variants?.includes('compact')) result.compact = await compactFloor(input, all, factory);
    sample();
    result.heapPeak = heapPeak;
    return result;
  } finally {
    db.close();
    await done(factory.deleteDatabase(input.dbName)).catch(() => undefined);
  }
}

async function packedFloor(
  input: FloorInput,
  all: { sellers: Row[]; blocked: Row[]; products: Row[] },
  factory: IDBFactory,
): Promise<{ rows: number; putMs: number }> {
  const name = `${input.dbName}-packed`;
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    const channels = db.createObjectStore('channels', { keyPath: ['g', 'c'] });
    channels.createIndex('id', 'ids', { multiEntry: true });
    channels.createIndex('name', 'names', { multiEntry: true });
    db.createObjectStore('feedRows', { keyPath: ['g', 'kind'] }).createIndex('key', 'keys', {
      multiEntry: true,
    });
  };
  const db = (await done(open)) as IDBDatabase;
  try {
    // Group the very same rows: sellers by (generation, channel), the rest by generation.
    const channels = new Map<
      string,
      { g: unknown; c: unknown; ids: string[]; names: string[]; entries: Row[] }
    >();
    for (const r of all.sellers) {
      const key = `${String(r.g)}:${String(r.c)}`;
      let ch = channels.get(key);
      if (!ch) {
        ch = { g: r.g, c: r.c, ids: [], names: [], entries: [] };
        channels.set(key, ch);
      }
      const b = String(r.b);
      const m = String(r.m);
      if (typeof r.i === 'string') ch.ids.push(`${b}|${m}|${r.i}`);
      if (typeof r.n === 'string') ch.names.push(`${b}|${m}|${r.n}`);
      ch.entries.push(r);
    }
    const perFeed = new Map<string, { g: unknown; kind: string; keys: string[]; rows: Row[] }>();
    for (const [kind, list] of [
      ['blocked', all.blocked],
      ['products', all.products],
    ] as const) {
      for (const r of list) {
        const key = `${String(r.g)}:${kind}`;
        let f = perFeed.get(key);
        if (!f) {
          f = { g: r.g, kind, keys: [], rows: [] };
          perFeed.set(key, f);
        }
        f.rows.push(r);
        // The lookups the store's indexes serve: product GTINs and ids, blocked seller ids.
        if (typeof r.t === 'string') f.keys.push(`${String(r.b)}|gtin|${r.t}`);
        if (Array.isArray(r.k)) for (const k of r.k as string[][]) f.keys.push(k.join('|'));
        if (typeof r.i === 'string') f.keys.push(`${String(r.m)}|${r.i}`);
      }
    }
    const t0 = input.now();
    const tx = db.transaction(['channels', 'feedRows'], 'readwrite', { durability: 'relaxed' });
    const finished = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('packed floor transaction aborted'));
    });
    const cs = tx.objectStore('channels');
    for (const ch of channels.values())
      cs.put({ ...ch, ids: [...new Set(ch.ids)], names: [...new Set(ch.names)] });
    const fs = tx.objectStore('feedRows');
    for (const f of perFeed.values()) fs.put({ ...f, keys: [...new Set(f.keys)] });
    await finished;
    return { rows: channels.size + perFeed.size, putMs: input.now() - t0 };
  } finally {
    db.close();
    await done(factory.deleteDatabase(name)).catch(() => undefined);
  }
}

/** FNV-1a of a string, for bucketing. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const PER_BUCKET = 128;

async function bucketFloor(
  input: FloorInput,
  all: { sellers: Row[]; blocked: Row[]; products: Row[] },
  factory: IDBFactory,
): Promise<{ rows: number; putMs: number }> {
  const name = `${input.dbName}-buckets`;
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('buckets');
  };
  const db = (await done(open)) as IDBDatabase;
  try {
    // Group rows per (generation, channel) and per generation, then split each group by hash.
    const groups = new Map<string, { key: unknown[]; items: { k: string; row: Row }[] }>();
    const add = (key: unknown[], k: string, row: Row) => {
      const id = JSON.stringify(key);
      let g = groups.get(id);
      if (!g) {
        g = { key, items: [] };
        groups.set(id, g);
      }
      g.items.push({ k, row });
    };
    for (const r of all.sellers) {
      if (typeof r.i === 'string') add([r.g, r.c, 'id'], r.i, r);
      if (typeof r.n === 'string') add([r.g, r.c, 'name'], r.n, r);
    }
    for (const r of all.blocked)
      if (typeof r.i === 'string') add([r.g, 'blocked'], `${String(r.m)}|${r.i}`, r);
    for (const r of all.products) {
      if (typeof r.t === 'string') add([r.g, 'product'], `gtin|${r.t}`, r);
      if (Array.isArray(r.k)) for (const k of r.k as string[][]) add([r.g, 'product'], `id|${k[1] ?? ''}`, r);
    }
    const rows: { key: unknown[]; value: Record<string, Row[]> }[] = [];
    for (const g of groups.values()) {
      const buckets = Math.max(1, Math.ceil(g.items.length / PER_BUCKET));
      const split: Record<string, Row[]>[] = Array.from({ length: buckets }, () => ({}));
      for (const { k, row } of g.items) {
        const bucket = split[hash(k) % buckets] as Record<string, Row[]>;
        const list = bucket[k] ?? [];
        list.push(row);
        bucket[k] = list;
      }
      split.forEach((value, b) => {
        rows.push({ key: [...g.key, buckets, b], value });
      });
    }
    const t0 = input.now();
    const tx = db.transaction('buckets', 'readwrite', { durability: 'relaxed' });
    const finished = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('bucket floor transaction aborted'));
    });
    const store = tx.objectStore('buckets');
    // Each bucket as one JSON string: one string is far cheaper to clone and store than the same
    // entries as an object graph (stringifying is inside the timed region).
    for (const r of rows) store.put(JSON.stringify(r.value), r.key as IDBValidKey);
    await finished;
    return { rows: rows.length, putMs: input.now() - t0 };
  } finally {
    db.close();
    await done(factory.deleteDatabase(name)).catch(() => undefined);
  }
}

async function compactFloor(
  input: FloorInput,
  all: { sellers: Row[]; blocked: Row[]; products: Row[] },
  factory: IDBFactory,
): Promise<{ rows: number; putMs: number; bytes: number }> {
  const name = `${input.dbName}-compact`;
  const open = factory.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('rows');
  };
  const db = (await done(open)) as IDBDatabase;
  try {
    // Lookup lines per (generation, channel, kind) split into hash buckets, and the entries of
    // each feed (generation) as one JSON row.
    const groups = new Map<string, { key: unknown[]; lines: { k: string; line: string }[] }>();
    const add = (key: unknown[], k: string, line: string) => {
      const id = JSON.stringify(key);
      let g = groups.get(id);
      if (!g) {
        g = { key, lines: [] };
        groups.set(id, g);
      }
      g.lines.push({ k, line });
    };
    const feeds = new Map<unknown, { sellers: unknown[]; blocked: unknown[]; products: unknown[] }>();
    const feedOf = (g: unknown) => {
      let f = feeds.get(g);
      if (!f) {
        f = { sellers: [], blocked: [], products: [] };
        feeds.set(g, f);
      }
      return f;
    };
    for (const r of all.sellers) {
      const f = feedOf(r.g);
      const seq = f.sellers.length;
      f.sellers.push(r.e);
      const until = (r.e as { until?: string }).until ?? '';
      if (typeof r.i === 'string') add([r.g, r.c, 'i'], r.i, `${r.i}\t${seq}\t${until}`);
      if (typeof r.n === 'string') add([r.g, r.c, 'n'], r.n, `${r.n}\t${seq}`);
    }
    for (const r of all.blocked) {
      const f = feedOf(r.g);
      const seq = f.blocked.length;
      f.blocked.push(r.e);
      if (typeof r.i === 'string') add([r.g, 'b'], `${String(r.m)}|${r.i}`, `${String(r.m)}|${r.i}\t${seq}`);
    }
    for (const r of all.products) {
      const f = feedOf(r.g);
      const seq = f.products.length;
      f.products.push(r.p);
      if (typeof r.t === 'string') add([r.g, 'p'], r.t, `${r.t}\t${seq}`);
      if (Array.isArray(r.k))
        for (const k of r.k as string[][]) add([r.g, 'p'], k[1] ?? '', `${k[1] ?? ''}\t${seq}`);
    }
    const rows: { key: unknown[]; value: string }[] = [];
    for (const g of groups.values()) {
      const buckets = Math.max(1, Math.ceil(g.lines.length / PER_BUCKET));
      const split: string[][] = Array.from({ length: buckets }, () => []);
      for (const { k, line } of g.lines) (split[hash(k) % buckets] as string[]).push(line);
      split.forEach((lines, b) => {
        rows.push({ key: [...g.key, buckets, b], value: lines.join('\n') });
      });
    }
    const t0 = input.now();
    const tx = db.transaction('rows', 'readwrite', { durability: 'relaxed' });
    const finished = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('compact floor transaction aborted'));
    });
    const store = tx.objectStore('rows');
    let bytes = 0;
    for (const r of rows) {
      store.put(r.value, r.key as IDBValidKey);
      bytes += r.value.length;
    }
    for (const [g, f] of feeds) {
      const text = JSON.stringify(f);
      bytes += text.length;
      store.put(text, [g as IDBValidKey, 'entries']);
    }
    await finished;
    return { rows: rows.length + feeds.size, putMs: input.now() - t0, bytes };
  } finally {
    db.close();
    await done(factory.deleteDatabase(name)).catch(() => undefined);
  }
}
