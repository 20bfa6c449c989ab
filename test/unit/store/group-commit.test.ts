import { IDBDatabase, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { type GenuineStore, openStore } from '../../../lib/store';
import { acmeFeed, makeFeed, metaFor } from '../../fixtures/sync/feeds';

/**
 * Imports that queue while an import transaction runs share the next one (group commit), each
 * still whole under its own generation; one feed's failure fails that feed alone; and other writes
 * land after the imports started before them, as if each import had opened its transaction at once.
 */

const URL_A = 'https://acme.example/.well-known/genuine-feed.json';
const urlOf = (b: string) => `https://${b}.example/feed.json`;
const brands = Array.from({ length: 40 }, (_, i) => `brand${i}`);

let open: GenuineStore[] = [];
afterEach(() => {
  for (const store of open) store.close();
  open = [];
});
async function fresh(): Promise<GenuineStore> {
  const store = await openStore(`group-${Math.random()}`);
  open.push(store);
  return store;
}

/** Counts readwrite transactions over the `buckets` store (the ones that write feed rows). */
function countImportTransactions(): { count: () => number; restore: () => void } {
  const original = IDBDatabase.prototype.transaction;
  let n = 0;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ) {
    const [names, mode] = args;
    if (mode === 'readwrite' && [names].flat().includes('buckets') && [names].flat().includes('meta')) n++;
    return original.apply(this, args);
  };
  return {
    count: () => n,
    restore: () => {
      IDBDatabase.prototype.transaction = original;
    },
  };
}

/** A feed of brand `b` whose one seller's id names the brand, so a lookup shows whose rows it reads. */
const feedOf = (b: string) =>
  makeFeed({
    brandId: b,
    brand: { name: b },
    channels: [
      { marketplace: 'amazon', complete: true, sellers: [{ id: `SELLER-${b}`, relation: 'brand' }] },
    ],
  });

function importAll(store: GenuineStore, ids: string[]) {
  return ids.map((b) => store.importFeed(metaFor(urlOf(b), b), feedOf(b)));
}

describe('group commit of imports', () => {
  it('feeds queued together share transactions, each whole under its own generation', async () => {
    const store = await fresh();
    const tx = countImportTransactions();
    try {
      await Promise.all(importAll(store, brands));
    } finally {
      tx.restore();
    }
    // The first goes alone (nothing was queued yet), the rest in batches of at most 16.
    expect(tx.count()).toBeGreaterThanOrEqual(1 + Math.ceil((brands.length - 1) / 16));
    expect(tx.count()).toBeLessThan(brands.length / 4);
    const gens = await Promise.all(brands.map(async (b) => (await store.getMeta(urlOf(b)))?.generation));
    expect(new Set(gens).size).toBe(brands.length);
    for (const b of brands) {
      expect((await store.getBrand(b))?.name, b).toBe(b);
      const match = await store.findSeller(b, 'amazon', 'amazon.com', { id: `SELLER-${b}`, name: null });
      expect(match?.entry.id, b).toBe(`SELLER-${b}`);
    }
    expect((await store.stats()).brands).toBe(brands.length);
  });

  it('a feed that fails in a shared transaction fails alone; the others land', async () => {
    const store = await fresh();
    // Something queued first, so that the next feeds wait together.
    const first = store.importFeed(metaFor(URL_A, 'acme'), acmeFeed(1));
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const [value] = args;
      if (this.name === 'brands' && (value as { brandId?: string }).brandId === 'brand3') {
        throw new Error('simulated failure of brand3');
      }
      return original.apply(this, args);
    };
    let results: PromiseSettledResult<void>[];
    try {
      results = await Promise.allSettled([first, ...importAll(store, brands.slice(0, 8))]);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      ...brands.slice(0, 8).map((b) => (b === 'brand3' ? 'rejected' : 'fulfilled')),
    ]);
    expect(await store.getBrand('brand3')).toBeNull();
    expect(await store.getMeta(urlOf('brand3'))).toBeNull();
    for (const b of brands.slice(0, 8).filter((x) => x !== 'brand3')) {
      expect((await store.getBrand(b))?.brandId, b).toBe(b);
    }
    expect((await store.getBrand('acme'))?.feedVersion).toBe(1);
    // Nothing of the failed feed is left behind (no rows of a generation no brand points at).
    expect((await store.stats()).brands).toBe(8);
    expect(await store.collectGarbage()).toBe(0);
  });

  it('a write started after an import lands after it, even while the import waits for its turn', async () => {
    const store = await fresh();
    // One import in flight, so that the next one waits in the queue for the following transaction.
    const inFlight = store.importFeed(metaFor(urlOf('other'), 'other'), feedOf('other'));
    const importing = store.importFeed(metaFor(URL_A, 'acme', { version: 1 }), acmeFeed(1));
    // Not awaited: a meta write (a failure recorded, say) queues behind the import.
    const later = store.putMeta({ ...metaFor(URL_A, 'acme', { version: 1 }), failures: 3 });
    await Promise.all([inFlight, importing, later]);
    expect((await store.getMeta(URL_A))?.failures).toBe(3);
    // And a removal behind a queued import removes what the import wrote.
    const inFlight2 = store.importFeed(metaFor(urlOf('other'), 'other'), feedOf('other'));
    const again = store.importFeed(metaFor(URL_A, 'acme', { version: 2 }), acmeFeed(2));
    const dropped = store.dropFeed(URL_A);
    await Promise.all([inFlight2, again, dropped]);
    expect(await store.getMeta(URL_A)).toBeNull();
    expect(await store.getBrand('acme')).toBeNull();
  });
});
