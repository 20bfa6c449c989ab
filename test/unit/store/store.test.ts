import { IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../lib/feed/names';
import { feedRecords, type GenuineStore, normalizeSellerId, openStore } from '../../../lib/store';
import { acmeFeed, acmeV2, DAY, isoAt, makeFeed, metaFor } from '../../fixtures/sync/feeds';

const URL_A = 'https://acme.example/.well-known/genuine-feed.json';

let open: GenuineStore[] = [];
async function fresh(): Promise<GenuineStore> {
  const store = await openStore(`test-${Math.random()}`);
  open.push(store);
  return store;
}
afterEach(() => {
  for (const store of open) store.close();
  open = [];
});

async function withAcme(): Promise<GenuineStore> {
  const store = await fresh();
  const feed = acmeFeed(1);
  await store.importFeed(metaFor(URL_A, 'acme', { version: 1, lastSuccess: isoAt(0) }), feed);
  return store;
}

describe('StoreReader lookups', () => {
  it('getBrand returns the active feed as a BrandRecord', async () => {
    const store = await withAcme();
    const brand = await store.getBrand('acme');
    expect(brand).toMatchObject({
      brandId: 'acme',
      name: 'ACME',
      aliases: ['ACME Corp', 'アクメ', '爱克米'],
      website: 'https://acme.example',
      reportEndpoint: 'https://acme.example/api/genuine-reports',
      feedUrl: URL_A,
      feedVersion: 1,
      lastSync: isoAt(0),
    });
    expect(brand?.marketplaces.sort()).toEqual(['amazon', 'ebay', 'walmart', 'web']);
    expect(await store.getBrand('nobody')).toBeNull();
  });

  it('finds brands by any name or alias, across scripts and widths', async () => {
    const store = await withAcme();
    await store.importFeed(
      metaFor('https://nike.example/feed.json', 'nike'),
      makeFeed({ brandId: 'nike', brand: { name: 'Nike', aliases: ['耐克', 'ナイキ', 'NIKE Inc.'] } }),
    );
    for (const spelling of ['Nike', 'ＮＩＫＥ', 'nike', '耐克', 'ナイキ', 'nike  inc.']) {
      const found = await store.findBrandsByName(normalizeName(spelling));
      expect(
        found.map((b) => b.brandId),
        spelling,
      ).toEqual(['nike']);
    }
    expect((await store.findBrandsByName(normalizeName('爱克米'))).map((b) => b.brandId)).toEqual(['acme']);
    expect(await store.findBrandsByName(normalizeName('Adidas'))).toEqual([]);
    const keys = await store.brandNameKeys();
    expect(keys).toContainEqual({ key: '耐克', brandId: 'nike' });
    expect(keys).toContainEqual({ key: 'acme corp', brandId: 'acme' });
    expect(keys).toContainEqual({ key: 'nike inc.', brandId: 'nike' });
  });

  it('keeps brand name keys between checks, and sees every import and drop', async () => {
    const store = await withAcme();
    const before = await store.brandNameKeys();
    expect(before.some((k) => k.brandId === 'nike')).toBe(false);
    // Read while the import is running: the import's commit must still clear the copy.
    const importing = store.importFeed(
      metaFor('https://nike.example/feed.json', 'nike'),
      makeFeed({ brandId: 'nike', brand: { name: 'Nike', aliases: ['耐克'] } }),
    );
    void store.brandNameKeys();
    await importing;
    expect(await store.brandNameKeys()).toContainEqual({ key: '耐克', brandId: 'nike' });
    await store.dropFeed('https://nike.example/feed.json');
    expect((await store.brandNameKeys()).some((k) => k.brandId === 'nike')).toBe(false);
  });

  it('returns the channels covering a site, "*" and missing sites covering all', async () => {
    const store = await withAcme();
    const com = await store.channels('acme', 'amazon', 'amazon.com');
    expect(com).toEqual([
      {
        brandId: 'acme',
        marketplace: 'amazon',
        sites: ['amazon.com', 'amazon.ca'],
        complete: true,
        sellerCount: 4,
      },
    ]);
    expect((await store.channels('acme', 'amazon', 'www.Amazon.CA'))[0]?.complete).toBe(true);
    expect((await store.channels('acme', 'amazon', 'amazon.de'))[0]?.complete).toBe(false);
    expect(await store.channels('acme', 'amazon', 'amazon.co.uk')).toEqual([]);
    expect(await store.channels('acme', 'ebay', 'ebay.de')).toHaveLength(1);
    expect(await store.channels('acme', 'web', 'anything.example')).toHaveLength(1);
    expect(await store.channels('acme', 'walmart', 'walmart.com')).toEqual([
      { brandId: 'acme', marketplace: 'walmart', sites: null, complete: true, sellerCount: 0 },
    ]);
    expect(await store.channels('acme', 'etsy', 'etsy.com')).toEqual([]);
    expect(await store.channels('nobody', 'amazon', 'amazon.com')).toEqual([]);
  });

  it('finds sellers by id case-insensitively, else by name', async () => {
    const store = await withAcme();
    const byId = await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'a1b2c3d4e5f6g7', name: null });
    expect(byId?.entry).toEqual({ id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' });
    expect(byId?.channel.complete).toBe(true);
    const byName = await store.findSeller('acme', 'amazon', 'amazon.com', {
      id: null,
      name: 'ａｃｍｅ   official',
    });
    expect(byName?.entry.id).toBe('A1B2C3D4E5F6G7');
    // The page shows an id nobody lists: a name-only entry may match, an entry under another id not.
    const nameOnly = await store.findSeller('acme', 'amazon', 'amazon.com', {
      id: 'AZZZZZZZZZZZZ1',
      name: 'Name Only Shop',
    });
    expect(nameOnly?.entry).toEqual({ name: 'Name Only Shop', relation: 'retailer' });
    const impostor = await store.findSeller('acme', 'amazon', 'amazon.com', {
      id: 'AZZZZZZZZZZZZ1',
      name: 'ACME Official',
    });
    expect(impostor).toBeNull();
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', { id: null, name: null })).toBeNull();
    expect(
      await store.findSeller('acme', 'ebay', 'ebay.co.uk', { id: 'ACME_Official', name: null }),
    ).not.toBeNull();
    expect(
      await store.findSeller('other', 'amazon', 'amazon.com', { id: 'A1B2C3D4E5F6G7', name: null }),
    ).toBeNull();
  });

  it('filters sellers by the channel sites', async () => {
    const store = await withAcme();
    const de = { id: 'ADESELLER00001', name: null };
    expect((await store.findSeller('acme', 'amazon', 'amazon.de', de))?.channel.sites).toEqual(['amazon.de']);
    expect(await store.findSeller('acme', 'amazon', 'amazon.com', de)).toBeNull();
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.de', { id: 'A1B2C3D4E5F6G7', name: null }),
    ).toBeNull();
  });

  it('returns entries whose until has passed with their until, preferring the one valid longest', async () => {
    const store = await withAcme();
    const expired = await store.findSeller('acme', 'amazon', 'amazon.com', {
      id: 'A5EXPIREDSELL1',
      name: null,
    });
    expect(expired?.entry.until).toBe(isoAt(-2 * DAY));
    const store2 = await fresh();
    await store2.importFeed(
      metaFor(URL_A, 'acme'),
      makeFeed({
        channels: [
          {
            marketplace: 'amazon',
            complete: true,
            sellers: [
              { id: 'A1', until: isoAt(-DAY) },
              { id: 'A1', until: isoAt(5 * DAY) },
              { id: 'A1', until: isoAt(2 * DAY) },
            ],
          },
        ],
      }),
    );
    const best = await store2.findSeller('acme', 'amazon', 'amazon.com', { id: 'a1', name: null });
    expect(best?.entry.until).toBe(isoAt(5 * DAY));
  });

  it('matches web sellers by domain', async () => {
    const store = await withAcme();
    const web = await store.findSeller('acme', 'web', 'acme.example', { id: 'www.ACME.example', name: null });
    expect(web?.entry).toEqual({ id: 'acme.example', relation: 'brand' });
    expect(normalizeSellerId('web', 'WWW.Shop.Example.')).toBe('shop.example');
  });

  it('finds blocked sellers by id and by name, across brands', async () => {
    const store = await withAcme();
    await store.importFeed(
      metaFor('https://other.example/feed.json', 'other'),
      makeFeed({
        brandId: 'other',
        brand: { name: 'Other' },
        blocked: [{ marketplace: 'amazon', id: 'a9badbadbad123', reason: 'fakes' }],
      }),
    );
    const blocked = await store.findBlocked('amazon', { id: 'A9BADBADBAD123', name: 'Whatever' });
    expect(blocked.map((b) => [b.brandId, b.reason]).sort()).toEqual([
      ['acme', 'test purchase 2026-10'],
      ['other', 'fakes'],
    ]);
    expect(await store.findBlocked('ebay', { id: null, name: 'cheap  SKATES' })).toEqual([
      { brandId: 'acme', marketplace: 'ebay', name: 'Cheap Skates', reason: 'counterfeit' },
    ]);
    expect(await store.findBlocked('ebay', { id: 'cheapskates99', name: 'Cheap Skates' })).toHaveLength(1);
    expect(await store.findBlocked('amazon', { id: 'AGOODSELLER', name: null })).toEqual([]);
    expect(await store.findBlocked('walmart', { id: 'A9BADBADBAD123', name: null })).toEqual([]);
  });

  it('finds products by GTIN, else by any of their ids', async () => {
    const store = await withAcme();
    const byGtin = await store.findProduct('acme', { gtin: '00614141000012', productId: null });
    expect(byGtin?.name).toBe('ACME Rocket Skates');
    expect(byGtin?.prices?.[0]).toEqual({
      currency: 'USD',
      msrp: '199.00',
      floor: '120.00',
      condition: 'new',
    });
    for (const id of ['B0EXAMPLE1', 'b0example1', 'AC-1001', 'ac1001']) {
      expect((await store.findProduct('acme', { gtin: null, productId: id }))?.name, id).toBe(
        'ACME Rocket Skates',
      );
    }
    expect((await store.findProduct('acme', { gtin: '00000000000000', productId: 'B0NOGTIN01' }))?.name).toBe(
      'ACME Anvil',
    );
    expect(await store.findProduct('acme', { gtin: null, productId: 'B0UNKNOWN' })).toBeNull();
    expect(await store.findProduct('other', { gtin: '00614141000012', productId: 'B0EXAMPLE1' })).toBeNull();
    expect(await store.findProduct('acme', { gtin: null, productId: null })).toBeNull();
  });
});

describe('generations', () => {
  const v2 = acmeV2;

  it('swaps a new version in and deletes the old rows', async () => {
    const store = await withAcme();
    const before = await store.stats();
    expect(before).toMatchObject({
      feeds: 1,
      brands: 1,
      sellers: 7,
      blocked: 2,
      products: 2,
      retiredGenerations: 0,
    });
    await store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), v2());
    expect(await store.stats()).toMatchObject({
      feeds: 1,
      brands: 1,
      sellers: 1,
      blocked: 0,
      products: 1,
      retiredGenerations: 0,
    });
    expect((await store.getBrand('acme'))?.feedVersion).toBe(2);
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A1B2C3D4E5F6G7', name: null }),
    ).toBeNull();
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.co.jp', { id: 'ANEWSELLER0001', name: null }),
    ).not.toBeNull();
    expect(await store.findBrandsByName('爱克米')).toEqual([]);
    expect((await store.findBrandsByName('acme two')).map((b) => b.brandId)).toEqual(['acme']);
    expect((await store.getMeta(URL_A))?.generation).toBeGreaterThan(1);
  });

  it('readers ignore the rows of a retired generation that are not deleted yet', async () => {
    const store = await withAcme();
    await store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), v2(), { collect: false });
    const stats = await store.stats();
    expect(stats.retiredGenerations).toBe(1);
    expect(stats.sellers).toBe(8);
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A1B2C3D4E5F6G7', name: null }),
    ).toBeNull();
    expect(await store.findBlocked('amazon', { id: 'A9BADBADBAD123', name: null })).toEqual([]);
    expect(await store.findProduct('acme', { gtin: '00614141000012', productId: null })).toBeNull();
    expect(await store.collectGarbage()).toBe(1);
    expect(await store.stats()).toMatchObject({ sellers: 1, retiredGenerations: 0 });
  });

  it('a reader sees the old feed or the new one, never a mix, while an import runs', async () => {
    const store = await fresh();
    const version = (v: number, sellers: number) =>
      makeFeed({
        version: v,
        channels: [
          {
            marketplace: 'amazon',
            complete: true,
            sellers: Array.from({ length: sellers }, (_, i) => ({ id: `ASELLER${i}`, relation: `v${v}` })),
          },
        ],
      });
    await store.importFeed(metaFor(URL_A, 'acme'), version(1, 50));
    let importing: Promise<void> = Promise.resolve();
    const seen = new Set<string>();
    const reads: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20) importing = store.importFeed(metaFor(URL_A, 'acme'), version(2, 3000));
      reads.push(
        store.findSeller('acme', 'amazon', 'amazon.com', { id: 'ASELLER7', name: null }).then((match) => {
          // One transaction: the seller row and the channel come from the same generation.
          expect(match).not.toBeNull();
          const pair = `${match?.entry.relation}/${match?.channel.sellerCount}`;
          expect(['v1/50', 'v2/3000']).toContain(pair);
          seen.add(pair);
        }),
      );
      await Promise.resolve();
    }
    await Promise.all([importing, ...reads]);
    expect(
      (await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'ASELLER7', name: null }))?.entry
        .relation,
    ).toBe('v2');
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'ASELLER2999', name: null }),
    ).not.toBeNull();
    expect([...seen].sort()).toEqual(['v1/50', 'v2/3000']);
  });

  it('a crash mid-import (a throw between puts) leaves the old generation in use', async () => {
    const store = await withAcme();
    const before = await store.stats();
    const original = IDBObjectStore.prototype.put;
    let puts = 0;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'buckets' && ++puts === 1) throw new Error('simulated crash');
      return original.apply(this, args);
    };
    try {
      await expect(store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), v2())).rejects.toThrow(
        'simulated crash',
      );
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(puts).toBe(1);
    expect(await store.stats()).toEqual(before);
    expect((await store.getBrand('acme'))?.feedVersion).toBe(1);
    expect((await store.getMeta(URL_A))?.version).toBe(1);
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A1B2C3D4E5F6G7', name: null }),
    ).not.toBeNull();
    expect(
      await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'ANEWSELLER0001', name: null }),
    ).toBeNull();
  });

  it('an aborted import transaction leaves the old generation in use', async () => {
    const store = await withAcme();
    const before = await store.stats();
    const original = IDBObjectStore.prototype.put;
    let aborted = false;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = original.apply(this, args);
      if (this.name === 'blocked' && !aborted) {
        aborted = true;
        this.transaction.abort(); // what the browser does on quota errors or a killed worker
      }
      return request;
    };
    try {
      await expect(
        store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), acmeFeed(2)),
      ).rejects.toBeTruthy();
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(aborted).toBe(true);
    expect(await store.stats()).toEqual(before);
    expect((await store.getBrand('acme'))?.feedVersion).toBe(1);
  });

  it('imports started at once each land whole and findable, each under its own generation', async () => {
    const store = await fresh();
    const brands = Array.from({ length: 20 }, (_, i) => `brand${i}`);
    // Started at once: IndexedDB runs the import transactions one after another.
    await Promise.all(
      brands.map((b) =>
        store.importFeed(
          metaFor(`https://${b}.example/feed.json`, b),
          makeFeed({ brandId: b, brand: { name: b } }),
        ),
      ),
    );
    for (const b of brands) {
      expect((await store.getBrand(b))?.brandId, b).toBe(b);
      expect((await store.getMeta(`https://${b}.example/feed.json`))?.generation, b).not.toBeNull();
    }
    const gens = await Promise.all(
      brands.map(async (b) => (await store.getMeta(`https://${b}.example/feed.json`))?.generation),
    );
    expect(new Set(gens).size).toBe(brands.length);
    // Two versions of one URL at once: the later one wins, the earlier one is retired and collected.
    await Promise.all([
      store.importFeed(metaFor(URL_A, 'acme', { version: 1 }), acmeFeed(1)),
      store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), v2()),
    ]);
    expect((await store.getBrand('acme'))?.feedVersion).toBe(2);
    expect((await store.stats()).retiredGenerations).toBe(0);
  });

  it('drops a feed: brand, names and rows go', async () => {
    const store = await withAcme();
    await store.dropFeed(URL_A);
    expect(await store.getBrand('acme')).toBeNull();
    expect(await store.findBrandsByName('acme')).toEqual([]);
    expect(await store.getMeta(URL_A)).toBeNull();
    expect(await store.stats()).toEqual({
      feeds: 0,
      brands: 0,
      names: 0,
      sellers: 0,
      blocked: 0,
      products: 0,
      retiredGenerations: 0,
    });
  });

  it('a brand with several feeds: each URL its own generation, dropping one keeps the other', async () => {
    const store = await withAcme();
    const URL_B = 'https://acme.example/products-2.json';
    await store.importFeed(
      metaFor(URL_B, 'acme'),
      makeFeed({
        version: 7,
        brand: { name: 'ACME', aliases: ['Acme Products'] },
        expiresAt: isoAt(3 * DAY),
        products: [{ ids: { asin: 'B0SHARD2X1' }, name: 'Shard two' }],
      }),
    );
    const brand = await store.getBrand('acme');
    expect(brand?.feedUrl).toBe(URL_A);
    expect(brand?.expiresAt).toBe(isoAt(3 * DAY));
    expect((await store.findProduct('acme', { gtin: null, productId: 'B0SHARD2X1' }))?.name).toBe(
      'Shard two',
    );
    expect((await store.findProduct('acme', { gtin: null, productId: 'B0EXAMPLE1' }))?.name).toBe(
      'ACME Rocket Skates',
    );
    expect((await store.findBrandsByName('acme products')).map((b) => b.brandId)).toEqual(['acme']);
    await store.dropFeed(URL_B);
    expect(await store.findProduct('acme', { gtin: null, productId: 'B0SHARD2X1' })).toBeNull();
    expect(await store.findBrandsByName('acme products')).toEqual([]);
    expect((await store.getBrand('acme'))?.expiresAt).toBe(isoAt(30 * DAY));
  });

  it('a URL that changes brand leaves nothing behind under the old brand', async () => {
    const store = await withAcme();
    await store.importFeed(
      metaFor(URL_A, 'acme-new'),
      makeFeed({ brandId: 'acme-new', brand: { name: 'New ACME' } }),
    );
    expect(await store.getBrand('acme')).toBeNull();
    expect((await store.getBrand('acme-new'))?.name).toBe('New ACME');
    expect(await store.stats()).toMatchObject({ brands: 1, sellers: 0, retiredGenerations: 0 });
  });

  it('refuses a feed whose brandId is not the meta one', async () => {
    const store = await fresh();
    await expect(store.importFeed(metaFor(URL_A, 'acme'), makeFeed({ brandId: 'other' }))).rejects.toThrow(
      /expected "acme"/,
    );
  });
});

describe('feedRecords', () => {
  it('builds exactly the bulk records importFeed stores (the benchmark floor writes the same ones)', async () => {
    const name = `rows-${Math.random()}`;
    const store = await openStore(name);
    open.push(store);
    const feed = acmeFeed(1);
    await store.importFeed(metaFor(URL_A, 'acme'), feed);
    const g = (await store.getMeta(URL_A))?.generation ?? -1;
    const built = feedRecords(feed, g);
    expect(built.counts).toEqual({ sellers: 7, blocked: 2, products: 2 });
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
    });
    const all = (storeName: string) =>
      new Promise<string[]>((resolve) => {
        const out: string[] = [];
        const request = db.transaction(storeName).objectStore(storeName).openCursor();
        request.onsuccess = () => {
          const cursor = request.result;
          if (cursor === null) return resolve(out.sort());
          out.push(JSON.stringify([cursor.key, cursor.value]));
          cursor.continue();
        };
      });
    const expected = (storeName: string) =>
      built.records
        .filter((r) => r.store === storeName)
        .map((r) => JSON.stringify([r.key, r.value]))
        .sort();
    expect(await all('buckets')).toEqual(expected('buckets'));
    expect(await all('blocked')).toEqual(expected('blocked'));
    // A small feed is one row: its lookup bucket, seller chunk and product chunk together.
    expect(expected('buckets')).toHaveLength(1);
    db.close();
  });
});

describe('meta and state', () => {
  it('parses meta records on read; a damaged one reads as absent', async () => {
    const store = await fresh();
    await store.putMeta(metaFor(URL_A, 'acme', { etag: '"x"' }));
    expect((await store.getMeta(URL_A))?.etag).toBe('"x"');
    const name = `raw-${Math.random()}`;
    const damaged = await openStore(name);
    open.push(damaged);
    await damaged.putMeta(metaFor(URL_A, 'acme'));
    // Write a damaged record behind the store's back.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => {
        const db = request.result;
        const tx = db.transaction('meta', 'readwrite');
        tx.objectStore('meta').put({ url: 'https://bad.example/', brandId: 42 });
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
    expect(await damaged.getMeta('https://bad.example/')).toBeNull();
    expect((await damaged.listMeta()).map((m) => m.url)).toEqual([URL_A]);
    await expect(store.putMeta({ ...metaFor(URL_A, 'acme'), failures: -1 })).rejects.toThrow();
  });

  it('the clock floor only moves forward', async () => {
    const store = await fresh();
    expect(await store.getClockFloor()).toBeNull();
    await store.raiseClockFloor(isoAt(0));
    await store.raiseClockFloor(isoAt(-DAY));
    expect(await store.getClockFloor()).toBe(isoAt(0));
    await store.raiseClockFloor(isoAt(DAY));
    expect(await store.getClockFloor()).toBe(isoAt(DAY));
  });
});
