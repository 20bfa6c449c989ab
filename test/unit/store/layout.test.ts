import { IDBDatabase as FakeDatabase, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Feed } from '../../../lib/feed/schema';
import {
  feedRecords,
  fnv1a,
  type GenuineStore,
  lookupKey,
  openStore,
  PRODUCTS_PER_CHUNK,
  SELLERS_PER_CHUNK,
} from '../../../lib/store';
import { lookupSlot, SECTION } from '../../../lib/store/layout';
import { acmeFeed, acmeV2, DAY, HOUR, isoAt, makeFeed, metaFor } from '../../fixtures/sync/feeds';

const URL_A = 'https://acme.example/.well-known/genuine-feed.json';

let open: GenuineStore[] = [];
afterEach(() => {
  for (const store of open) store.close();
  open = [];
});

async function named(name: string): Promise<GenuineStore> {
  const store = await openStore(name);
  open.push(store);
  return store;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A second, bare connection to the store's database, to read and damage rows behind its back. */
async function bare(name: string): Promise<IDBDatabase> {
  return done(indexedDB.open(name));
}

async function rawPut(name: string, storeName: string, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await bare(name);
  const tx = db.transaction(storeName, 'readwrite');
  tx.objectStore(storeName).put(value, key);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function rawGet(name: string, storeName: string, key: IDBValidKey): Promise<unknown> {
  const db = await bare(name);
  const value = await done(db.transaction(storeName).objectStore(storeName).get(key));
  db.close();
  return value;
}

async function rawCount(name: string, storeName: string, range?: IDBKeyRange): Promise<number> {
  const db = await bare(name);
  const count = await done(db.transaction(storeName).objectStore(storeName).count(range));
  db.close();
  return count;
}

const generationRows = (g: number) => IDBKeyRange.bound([g], [g, []]);

/** A GTIN-14 with a valid GS1 check digit. */
function gtin(n: number): string {
  const body = String(n).padStart(13, '0');
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (body.charCodeAt(i) - 48) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

/** Counts requests per object store (and transactions) made while `run` runs. */
async function counting<T>(run: () => Promise<T>) {
  const proto = IDBObjectStore.prototype;
  const dbProto = FakeDatabase.prototype;
  const originals = { get: proto.get, getAll: proto.getAll, openCursor: proto.openCursor };
  const originalTx = dbProto.transaction;
  const calls: string[] = [];
  const gets: string[] = [];
  let transactions = 0;
  proto.get = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['get']>) {
    calls.push(`get ${this.name}`);
    gets.push(`${this.name} ${JSON.stringify(args[0])}`);
    return originals.get.apply(this, args);
  };
  proto.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
    calls.push(`getAll ${this.name}`);
    return originals.getAll.apply(this, args);
  };
  proto.openCursor = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['openCursor']>) {
    calls.push(`openCursor ${this.name}`);
    return originals.openCursor.apply(this, args);
  };
  dbProto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    transactions++;
    return originalTx.apply(this, args);
  } as IDBDatabase['transaction'];
  try {
    const result = await run();
    return { result, calls, gets, transactions };
  } finally {
    Object.assign(proto, originals);
    dbProto.transaction = originalTx;
  }
}

/** 1,500 amazon sellers, odd cases placed far apart (different chunks), 300 products. */
function bigFeed(): Feed {
  const amazon: NonNullable<Feed['channels'][number]['sellers']> = [];
  for (let i = 0; i < 1500; i++) {
    amazon.push({ id: `A${String(i).padStart(6, '0')}`, name: `Shop ${i}`, relation: 'retailer' });
  }
  // The same id twice, spelled differently: the entry valid longest wins, wherever it is.
  amazon[3] = { id: 'Dup1', relation: 'expired', until: isoAt(-DAY) };
  amazon[1400] = { id: 'DUP1', relation: 'open-ended' };
  amazon[10] = { id: 'Dup2', relation: 'sooner', until: isoAt(2 * DAY) };
  amazon[1300] = { id: 'dup2', relation: 'later', until: isoAt(9 * DAY) };
  // A name shared by an entry with an id and an entry without one.
  amazon[20] = { id: 'ATWIN00001', name: 'Twin Shop', relation: 'with-id' };
  amazon[1200] = { name: 'Twin Shop', relation: 'name-only' };
  const products = Array.from({ length: 300 }, (_, i) => ({
    gtin: gtin(4_000_000 + i),
    ids: { asin: `B0P${String(i).padStart(7, '0')}`, sku: `SKU-${i}` },
    name: `Product ${i}`,
  }));
  return makeFeed({
    channels: [
      { marketplace: 'amazon', sites: ['amazon.com'], complete: true, sellers: amazon },
      {
        marketplace: 'ebay',
        complete: false,
        // coll82dy and coll10pue have one FNV-1a hash (as lookup keys), so one token in one bucket.
        sellers: [
          { id: 'coll82dx', relation: 'x' },
          { id: 'coll82dy', relation: 'y' },
          { id: 'coll10pue', relation: 'e' },
        ],
      },
    ],
    products,
    blocked: [{ marketplace: 'amazon', id: 'ABLOCKED0001', name: 'Bad Shop', reason: 'fakes' }],
  });
}

describe('bucket layout', () => {
  it('spreads a large feed over several lookup buckets and chunks and finds every entry', async () => {
    const store = await named(`big-${Math.random()}`);
    const feed = bigFeed();
    const { layout, records } = feedRecords(feed, 1);
    expect(layout.k).toBeGreaterThan(4);
    expect(layout.s).toBe(Math.ceil(1503 / layout.sc));
    expect(layout.p).toBeGreaterThan(1);
    // Few rows: every chunk and bucket, one row per blocked id and name, nothing per entry.
    expect(records.filter((r) => r.store === 'buckets').length).toBeLessThanOrEqual(
      layout.k + layout.s + layout.p,
    );
    expect(records.filter((r) => r.store === 'blocked')).toHaveLength(2);
    await store.importFeed(metaFor(URL_A, 'acme'), feed);

    const sc = SELLERS_PER_CHUNK;
    for (const i of [0, 1, sc - 1, sc, sc + 1, 2 * sc - 1, 2 * sc, 1499]) {
      const id = `A${String(i).padStart(6, '0')}`;
      const byId = await store.findSeller('acme', 'amazon', 'amazon.com', { id, name: null });
      expect(byId?.entry, id).toEqual({ id, name: `Shop ${i}`, relation: 'retailer' });
      const byName = await store.findSeller('acme', 'amazon', 'amazon.com', { id: null, name: `SHOP  ${i}` });
      expect(byName?.entry.id, id).toBe(id);
    }
    const pc = PRODUCTS_PER_CHUNK;
    for (const i of [0, pc - 1, pc, 2 * pc, 299]) {
      const product = await store.findProduct('acme', { gtin: gtin(4_000_000 + i), productId: null });
      expect(product?.name).toBe(`Product ${i}`);
      const bySku = await store.findProduct('acme', { gtin: null, productId: ` sku-${i}` });
      expect(bySku?.name).toBe(`Product ${i}`);
    }
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A001500', name: null })).toBeNull();
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: null, name: 'Shop 1500' }),
    ).toBeNull();
    expect(await store.findProduct('acme', { gtin: gtin(4_000_300), productId: 'SKU-300' })).toBeNull();
  });

  it('keys that differ only before normalization meet; the entry valid longest wins across chunks', async () => {
    const store = await named(`norm-${Math.random()}`);
    await store.importFeed(metaFor(URL_A, 'acme'), bigFeed());
    const find = (id: string) => store.findSeller('acme', 'amazon', 'amazon.com', { id, name: null });
    expect((await find('A000042'))?.entry.id).toBe('A000042');
    expect((await find(' ａ000042 '))?.entry.id).toBe('A000042');
    expect((await find('dup1'))?.entry).toEqual({ id: 'DUP1', relation: 'open-ended' });
    expect((await find('ＤＵＰ２'))?.entry).toEqual({ id: 'dup2', relation: 'later', until: isoAt(9 * DAY) });
  });

  it('a name-only entry matches a page showing another id; an entry under another id does not', async () => {
    const store = await named(`twin-${Math.random()}`);
    await store.importFeed(metaFor(URL_A, 'acme'), bigFeed());
    const find = (id: string | null, name: string | null) =>
      store.findSeller('acme', 'amazon', 'amazon.com', { id, name });
    expect((await find('AUNKNOWN', 'twin shop'))?.entry.relation).toBe('name-only');
    expect((await find('ATWIN00001', 'whatever'))?.entry.relation).toBe('with-id');
    // By name alone both match: the first in feed order (neither has an until).
    expect((await find(null, 'Twin  Shop'))?.entry.relation).toBe('with-id');
    // A page id that no entry has, and a name only entries with ids carry: no match.
    expect(await find('AUNKNOWN', 'Shop 5')).toBeNull();
  });

  it('keys whose hashes collide share a token, and each finds only its own entry', async () => {
    expect(fnv1a(lookupKey.sellerId('coll82dx'))).toBe(fnv1a(lookupKey.sellerId('coll10pud')));
    expect(fnv1a(lookupKey.sellerId('coll82dy'))).toBe(fnv1a(lookupKey.sellerId('coll10pue')));
    const store = await named(`coll-${Math.random()}`);
    await store.importFeed(metaFor(URL_A, 'acme'), bigFeed());
    const find = (id: string) => store.findSeller('acme', 'ebay', 'ebay.com', { id, name: null });
    expect((await find('coll82dx'))?.entry.relation).toBe('x');
    // Listed under its colliding twin only: the lookup reaches coll82dx's entry, which is not it.
    expect(await find('coll10pud')).toBeNull();
    expect((await find('coll82dy'))?.entry.relation).toBe('y');
    expect((await find('coll10pue'))?.entry.relation).toBe('e');
  });
});

/** acmeFeed(1) with filler sellers and products after its own: several rows of each kind, not packed. */
function spreadAcme(): Feed {
  const feed = acmeFeed(1);
  const amazon = feed.channels[0];
  if (amazon === undefined) throw new Error('acme has an amazon channel');
  for (let i = 0; i < 700; i++) amazon.sellers.push({ id: `AFILL${i}`, name: `Filler ${i}` });
  for (let i = 0; i < 200; i++) feed.products?.push({ ids: { sku: `FILL-${i}` } });
  return feed;
}

describe.each([
  ['packed in one row', false],
  ['spread over several rows', true],
])('damaged rows read as absent (%s)', (_label, spread) => {
  async function acme() {
    const name = `damaged-${Math.random()}`;
    const store = await named(name);
    const feed = spread ? spreadAcme() : acmeFeed(1);
    await store.importFeed(metaFor(URL_A, 'acme'), feed);
    const g = (await store.getMeta(URL_A))?.generation ?? -1;
    const { layout, records } = feedRecords(feed, g);
    expect(layout.a).toBe(!spread);
    const rowText = (key: IDBValidKey[]) =>
      records.find((r) => r.store === 'buckets' && JSON.stringify(r.key) === JSON.stringify(key))?.value;
    /** Writes `text` where the part's bucket or chunk n lives (its row, or its section of the packed row). */
    const damage = async (kind: 'k' | 's' | 'p', n: number, text: unknown) => {
      if (!layout.a) return rawPut(name, 'buckets', text, [g, kind, n]);
      const sections = String(rowText([g, 'a', 0])).split(SECTION);
      sections[kind === 'k' ? 0 : kind === 's' ? 1 : 2] = String(text);
      await rawPut(name, 'buckets', typeof text === 'string' ? sections.join(SECTION) : text, [g, 'a', 0]);
    };
    const slot = (key: string) => lookupSlot(key, layout.k);
    const original = (kind: 'k' | 's' | 'p', n: number) =>
      layout.a
        ? String(rowText([g, 'a', 0])).split(SECTION)[kind === 'k' ? 0 : kind === 's' ? 1 : 2]
        : rowText([g, kind, n]);
    return { name, store, g, slot, damage, original, layout };
  }
  const A1 = { id: 'A1B2C3D4E5F6G7', name: null };

  it('a lookup bucket that is not text, or whose line is not a list of seqs', async () => {
    const { store, slot, damage, original } = await acme();
    const { bucket, token } = slot(lookupKey.sellerId('a1b2c3d4e5f6g7'));
    for (const text of [
      'garbage',
      `${token}:zero`,
      `${token}:`,
      `${token}:0,,1`,
      `${token}:-1`,
      `x\n${token}:[0]`,
    ]) {
      await damage('k', bucket, text);
      expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1), text).toBeNull();
    }
    await damage('k', bucket, 42);
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    // As written, back: found again (the damage was all that stood in the way).
    await damage('k', bucket, original('k', bucket));
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).not.toBeNull();
  });

  it('a bucket pointing at the wrong entry or past the end finds nothing', async () => {
    const { store, slot, damage } = await acme();
    const { bucket, token } = slot(lookupKey.sellerId('a1b2c3d4e5f6g7'));
    // Seq 1 is Big Retail (A3XYZABCDEFGH1): it is read, checked against the id, and refused.
    await damage('k', bucket, `${token}:1`);
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    await damage('k', bucket, `${token}:999999`);
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    await damage('k', bucket, `${token}:1,0`);
    expect((await store.findSeller('acme', 'amazon', 'amazon.com', A1))?.entry.name).toBe('ACME Official');
  });

  it('a seller or product chunk that does not parse', async () => {
    const { store, damage } = await acme();
    // A1B2C3D4E5F6G7 is seq 0: the first line of seller chunk 0.
    for (const text of ['[[', '{"0": [0, "A1B2C3D4E5F6G7"]}', '["zero", "A1B2C3D4E5F6G7"]', '[0, 7]']) {
      await damage('s', 0, text);
      expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1), text).toBeNull();
    }
    // A channel index that the feed does not have.
    await damage('s', 0, '[99, "A1B2C3D4E5F6G7"]');
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    await damage('s', 0, '[0, "A1B2C3D4E5F6G7"]');
    expect((await store.findSeller('acme', 'amazon', 'amazon.com', A1))?.entry).toEqual({
      id: 'A1B2C3D4E5F6G7',
    });
    expect(await store.findProduct('acme', { gtin: '00614141000012', productId: null })).not.toBeNull();
    await damage('p', 0, '{"gtin": 5}');
    expect(await store.findProduct('acme', { gtin: '00614141000012', productId: null })).toBeNull();
  });

  it('a row of another shape (not text, no sections)', async () => {
    const { name, store, g, layout } = await acme();
    for (const value of [7, 'no sections at all', { k: 'x' }]) {
      for (const key of layout.a
        ? [[g, 'a', 0]]
        : [
            [g, 's', 0],
            [g, 'p', 0],
          ]) {
        await rawPut(name, 'buckets', value, key);
      }
      expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
      expect(await store.findProduct('acme', { gtin: '00614141000012', productId: null })).toBeNull();
    }
  });

  it('a damaged blocked row is skipped, the others still count', async () => {
    const { name, store, g } = await acme();
    await store.importFeed(
      metaFor('https://other.example/feed.json', 'other'),
      makeFeed({
        brandId: 'other',
        brand: { name: 'Other' },
        blocked: [{ marketplace: 'amazon', id: 'A9BADBADBAD123', reason: 'fakes' }],
      }),
    );
    await rawPut(name, 'blocked', { b: 7, e: 'x' }, ['amazon', 'i', 'a9badbadbad123', g, 0]);
    expect(await store.findBlocked('amazon', { id: 'A9BADBADBAD123', name: null })).toEqual([
      { brandId: 'other', marketplace: 'amazon', id: 'A9BADBADBAD123', reason: 'fakes' },
    ]);
  });

  it('a damaged brand row: no brand, no channels, no seller', async () => {
    const { name } = await acme();
    await rawPut(name, 'brands', { brandId: 'acme', parts: 'x' });
    const reader = await named(name);
    expect(await reader.getBrand('acme')).toBeNull();
    expect(await reader.channels('acme', 'amazon', 'amazon.com')).toEqual([]);
    expect(await reader.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    expect(await reader.findBrandsByName('acme')).toEqual([]);
  });
});

describe('caches', () => {
  const v2 = acmeV2;
  const A1 = { id: 'A1B2C3D4E5F6G7', name: null };

  it('a warm findSeller is one transaction: the epoch, a lookup bucket and a chunk, no brand row', async () => {
    const store = await named(`warm-${Math.random()}`);
    await store.importFeed(metaFor(URL_A, 'acme'), acmeFeed(1));
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', A1)).not.toBeNull();
    const warm = await counting(() =>
      store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A3XYZABCDEFGH1', name: null }),
    );
    expect(warm.result?.entry.name).toBe('Big Retail');
    expect(warm.transactions).toBe(1);
    // acme is small: its lookup bucket and its entries are one row.
    expect(warm.calls.sort()).toEqual(['get buckets', 'get state']);
    const channels = await counting(() => store.channels('acme', 'amazon', 'amazon.com'));
    expect(channels.calls).toEqual(['get state']);

    const spread = await named(`warm-spread-${Math.random()}`);
    await spread.importFeed(metaFor(URL_A, 'acme'), spreadAcme());
    expect(await spread.findSeller('acme', 'amazon', 'amazon.com', A1)).not.toBeNull();
    const warmSpread = await counting(() =>
      spread.findSeller('acme', 'amazon', 'amazon.com', { id: 'A3XYZABCDEFGH1', name: 'Big Retail' }),
    );
    expect(warmSpread.result?.entry.name).toBe('Big Retail');
    expect(warmSpread.transactions).toBe(1);
    // A bucket (read once, though the id and the name may both hash to it) and a chunk.
    expect(warmSpread.calls.filter((c) => c === 'get buckets').length).toBeGreaterThanOrEqual(2);
    expect(warmSpread.calls.filter((c) => c === 'get buckets').length).toBeLessThanOrEqual(3);
  });

  it('the reads a check asks at once share one transaction and one epoch read', async () => {
    const store = await named(`shared-${Math.random()}`);
    await store.importFeed(metaFor(URL_A, 'acme'), acmeFeed(1));
    expect(await store.getBrand('acme')).not.toBeNull();
    const together = await counting(() =>
      Promise.all([
        store.channels('acme', 'amazon', 'amazon.com'),
        store.findBlocked('amazon', { id: 'A9BADBADBAD123', name: null }),
        store.findSeller('acme', 'amazon', 'amazon.com', A1),
        store.findProduct('acme', { gtin: '00614141000012', productId: null }),
      ]),
    );
    const [channels, blocked, seller, product] = together.result;
    expect(channels).toHaveLength(1);
    expect(blocked.map((b) => b.brandId)).toEqual(['acme']);
    expect(seller?.entry.name).toBe('ACME Official');
    expect(product?.name).toBe('ACME Rocket Skates');
    expect(together.transactions).toBe(1);
    expect(together.calls.filter((c) => c === 'get state')).toHaveLength(1);
    // Reads that start later get a transaction of their own.
    const later = await counting(async () => {
      await store.getBrand('acme');
      await store.getBrand('acme');
    });
    expect(later.transactions).toBe(2);
  });

  it('another connection’s import and drop are seen at once by every read', async () => {
    const name = `two-${Math.random()}`;
    const a = await named(name);
    const b = await named(name);
    await a.importFeed(metaFor(URL_A, 'acme'), acmeFeed(1));
    // Fill a's caches.
    expect((await a.getBrand('acme'))?.feedVersion).toBe(1);
    expect(await a.brandNameKeys()).toContainEqual({ key: '爱克米', brandId: 'acme' });
    expect(await a.findSeller('acme', 'amazon', 'amazon.com', A1)).not.toBeNull();
    expect((await a.channels('acme', 'amazon', 'amazon.com'))[0]?.complete).toBe(true);
    expect(await a.findProduct('acme', { gtin: null, productId: 'B0EXAMPLE1' })).not.toBeNull();

    await b.importFeed(metaFor(URL_A, 'acme', { version: 2 }), v2());
    expect((await a.getBrand('acme'))?.feedVersion).toBe(2);
    const keys = await a.brandNameKeys();
    expect(keys).toContainEqual({ key: 'acme two', brandId: 'acme' });
    expect(keys).not.toContainEqual({ key: '爱克米', brandId: 'acme' });
    expect(await a.findSeller('acme', 'amazon', 'amazon.com', A1)).toBeNull();
    expect(
      (await a.findSeller('acme', 'amazon', 'amazon.com', { id: 'ANEWSELLER0001', name: null }))?.entry,
    ).toEqual({ id: 'ANEWSELLER0001', relation: 'brand' });
    expect((await a.channels('acme', 'amazon', 'amazon.com'))[0]?.complete).toBe(false);
    expect(await a.findProduct('acme', { gtin: null, productId: 'B0EXAMPLE1' })).toBeNull();
    expect((await a.findProduct('acme', { gtin: null, productId: 'B0NEWPROD1' }))?.name).toBe('New');

    await b.dropFeed(URL_A);
    expect(await a.getBrand('acme')).toBeNull();
    expect(await a.brandNameKeys()).toEqual([]);
    expect(await a.findBrandsByName('acme')).toEqual([]);
    expect(await a.channels('acme', 'amazon', 'amazon.com')).toEqual([]);
    expect(
      await a.findSeller('acme', 'amazon', 'amazon.co.jp', { id: 'ANEWSELLER0001', name: null }),
    ).toBeNull();
  });

  it('lastSync follows the meta, which is not cached', async () => {
    const name = `meta-${Math.random()}`;
    const a = await named(name);
    const b = await named(name);
    await a.importFeed(metaFor(URL_A, 'acme', { lastSuccess: isoAt(0) }), acmeFeed(1));
    expect((await a.getBrand('acme'))?.lastSync).toBe(isoAt(0));
    const meta = await b.getMeta(URL_A);
    if (meta === null) throw new Error('no meta');
    await b.putMeta({ ...meta, lastSuccess: isoAt(DAY) });
    expect((await a.getBrand('acme'))?.lastSync).toBe(isoAt(DAY));
  });
});

describe('recorded checks', () => {
  const check = (url: string, at: number) => ({
    url,
    lastAttempt: isoAt(at),
    lastSuccess: isoAt(at),
    nextSync: isoAt(at + DAY),
  });

  it('are read and parsed once per write, not once per getMeta, and another connection’s are seen', async () => {
    const name = `checks-${Math.random()}`;
    const a = await named(name);
    const b = await named(name);
    const urls = Array.from({ length: 50 }, (_, i) => `https://f${i}.example/feed.json`);
    for (const url of urls) await a.putMeta(metaFor(url, 'acme', { lastAttempt: isoAt(-DAY) }));
    await a.recordChecks(urls.map((url) => check(url, 0)));
    const reads = await counting(async () => {
      for (const url of urls) expect((await a.getMeta(url))?.nextSync).toBe(isoAt(DAY));
      await a.listMeta();
    });
    expect(reads.gets.filter((g) => g === 'state "checks"')).toEqual([]);
    await b.recordChecks([check(urls[7] as string, HOUR)]);
    const after = await counting(async () => {
      expect((await a.getMeta(urls[7] as string))?.nextSync).toBe(isoAt(HOUR + DAY));
      expect((await a.getMeta(urls[8] as string))?.nextSync).toBe(isoAt(DAY));
    });
    expect(after.gets.filter((g) => g === 'state "checks"')).toHaveLength(1);
  });
});

describe('garbage collection', () => {
  const feedFor = (brandId: string, version: number) =>
    makeFeed({
      brandId,
      version,
      brand: { name: brandId },
      channels: [{ marketplace: 'amazon', complete: true, sellers: [{ id: `A${brandId}${version}` }] }],
      blocked: [{ marketplace: 'amazon', id: `ABAD${brandId}${version}`, name: `Bad ${brandId}` }],
    });
  const urlOf = (brandId: string) => `https://${brandId}.example/feed.json`;

  it('runs only when an import retired a generation, and deletes that generation’s rows', async () => {
    const name = `gc-${Math.random()}`;
    const store = await named(name);
    const first = await counting(async () => {
      for (const brand of ['b1', 'b2', 'b3'])
        await store.importFeed(metaFor(urlOf(brand), brand), feedFor(brand, 1));
    });
    // Nothing was retired: no generation row was scanned, nothing deleted.
    expect(first.calls.filter((c) => c.endsWith(' gens'))).toEqual([]);
    const g1 = (await store.getMeta(urlOf('b1')))?.generation ?? -1;
    expect(await rawCount(name, 'buckets', generationRows(g1))).toBeGreaterThan(0);
    expect(await rawCount(name, 'blocked')).toBe(6);

    await store.importFeed(metaFor(urlOf('b1'), 'b1'), feedFor('b1', 2));
    expect(await rawCount(name, 'buckets', generationRows(g1))).toBe(0);
    expect(await rawCount(name, 'blocked')).toBe(6);
    expect(await rawGet(name, 'gens', g1)).toBeUndefined();
    expect(await store.findBlocked('amazon', { id: 'ABADb11', name: null })).toEqual([]);
    expect(await store.findBlocked('amazon', { id: 'ABADb12', name: null })).toHaveLength(1);

    // After this connection's first sweep, a retiring import deletes only what it retired.
    const g2 = (await store.getMeta(urlOf('b2')))?.generation ?? -1;
    const second = await counting(() => store.importFeed(metaFor(urlOf('b2'), 'b2'), feedFor('b2', 2)));
    expect(
      second.calls.filter((c) => c.startsWith('getAll gens') || c.startsWith('openCursor gens')),
    ).toEqual([]);
    expect(await rawCount(name, 'buckets', generationRows(g2))).toBe(0);
    expect(await store.stats()).toMatchObject({ sellers: 3, blocked: 3, retiredGenerations: 0 });
  });

  it('a generation left retired is swept by the next connection’s first retiring import', async () => {
    const name = `left-${Math.random()}`;
    const store = await named(name);
    await store.importFeed(metaFor(urlOf('b1'), 'b1'), feedFor('b1', 1));
    await store.importFeed(metaFor(urlOf('b2'), 'b2'), feedFor('b2', 1));
    await store.importFeed(metaFor(urlOf('b1'), 'b1'), feedFor('b1', 2), { collect: false });
    expect((await store.stats()).retiredGenerations).toBe(1);
    const restarted = await named(name);
    await restarted.importFeed(metaFor(urlOf('b2'), 'b2'), feedFor('b2', 2));
    expect(await restarted.stats()).toMatchObject({ retiredGenerations: 0, sellers: 2, blocked: 2 });
    expect(await rawCount(name, 'blocked')).toBe(4);
  });

  it('dropping a feed deletes its rows and blocked keys', async () => {
    const name = `drop-${Math.random()}`;
    const store = await named(name);
    await store.importFeed(metaFor(urlOf('b1'), 'b1'), feedFor('b1', 1));
    await store.dropFeed(urlOf('b1'));
    expect(await rawCount(name, 'buckets')).toBe(0);
    expect(await rawCount(name, 'blocked')).toBe(0);
    expect(await rawCount(name, 'gens')).toBe(0);
  });
});
