import { afterEach, describe, expect, it } from 'vitest';
import { verifyDocument } from '../../../lib/feed';
import { type GenuineStore, openStore } from '../../../lib/store';
import type { FeedMeta } from '../../../lib/store/types';
import { createSync } from '../../../lib/sync';
import { acmeFeed, DAY, isoAt, metaFor, NOW, newKey, sign } from '../../fixtures/sync/feeds';
import { createServer, serve } from '../../fixtures/sync/server';

const FEED_URL = 'https://acme.example/.well-known/genuine-feed.json';
const OTHER_URL = 'https://other.example/feed.json';

let open: GenuineStore[] = [];
afterEach(() => {
  for (const store of open) store.close();
  open = [];
});

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A database as version 1 of the store (git history before DB_VERSION 2) left it, with data. */
async function createVersion1(
  name: string,
  metas: FeedMeta[],
  checks: Record<string, unknown>,
): Promise<void> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
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
  };
  const db = await done(request);
  const tx = db.transaction([...db.objectStoreNames], 'readwrite');
  for (const meta of metas) tx.objectStore('meta').put(meta);
  tx.objectStore('meta').put({ url: 'https://damaged.example/', brandId: 42 });
  const state = tx.objectStore('state');
  state.put(6, 'nextGeneration');
  state.put(isoAt(-DAY), 'clockFloor');
  state.put(checks, 'checks');
  const part = {
    url: FEED_URL,
    generation: 5,
    version: 1,
    issuedAt: isoAt(-DAY),
    expiresAt: isoAt(30 * DAY),
    name: 'ACME',
    aliases: [],
    website: null,
    contact: null,
    reportEndpoint: null,
    channels: [{ marketplace: 'amazon', sites: null, complete: true, sellerCount: 1 }],
    counts: { sellers: 1, blocked: 1, products: 1 },
  };
  tx.objectStore('brands').put({ brandId: 'acme', nameKeys: ['acme'], parts: [part] });
  tx.objectStore('names').put({ key: 'acme', brandId: 'acme' });
  tx.objectStore('gens').put({ g: 5, url: FEED_URL, brandId: 'acme', state: 'active' });
  tx.objectStore('sellers').put({
    g: 5,
    m: 'amazon',
    i: 'a1b2c3d4e5f6g7',
    s: 0,
    c: 0,
    e: { id: 'A1B2C3D4E5F6G7' },
  });
  tx.objectStore('blocked').put({ g: 5, s: 0, b: 'acme', m: 'amazon', i: 'a9badbadbad123', e: {} });
  tx.objectStore('products').put({ g: 5, s: 0, b: 'acme', k: [['acme', 'b0example1']], p: { name: 'x' } });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

describe('upgrade from database version 1', () => {
  it('drops the old data, keeps every feed meta marked for a fresh import, and the sync imports it again', async () => {
    const acmeKey = await newKey('acme-2026a');
    const v1Body = await sign(acmeFeed(1), 'feed', acmeKey);
    const verified = await verifyDocument(new TextEncoder().encode(v1Body), {
      kind: 'feed',
      keys: [acmeKey.publicKey],
      now: NOW,
    });
    if (!verified.ok) throw new Error(verified.message);

    const name = `v1-${Math.random()}`;
    const acmeMeta = metaFor(FEED_URL, 'acme', {
      source: 'user',
      keys: [acmeKey.publicKey],
      version: 1,
      sha256: verified.sha256,
      etag: '"acme-1"',
      issuedAt: isoAt(-DAY),
      expiresAt: isoAt(30 * DAY),
      lastAttempt: isoAt(-2 * DAY),
      lastSuccess: isoAt(-2 * DAY),
      nextSync: isoAt(DAY),
      generation: 5,
    });
    const otherMeta = metaFor(OTHER_URL, 'other', {
      source: 'directory',
      keys: ['pinned-key'],
      version: 9,
      sha256: 'ab'.repeat(32),
      etag: '"o"',
      nextSync: isoAt(DAY),
      generation: 4,
    });
    // An unchanged check of acme recorded after its meta: merged in, then its nextSync reset too.
    const checks = {
      [FEED_URL]: { lastAttempt: isoAt(-DAY), lastSuccess: isoAt(-DAY), nextSync: isoAt(2 * DAY) },
    };
    await createVersion1(name, [acmeMeta, otherMeta], checks);

    const store = await openStore(name);
    open.push(store);
    const db = await done(indexedDB.open(name));
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual([
      'blocked',
      'brands',
      'buckets',
      'gens',
      'meta',
      'names',
      'state',
    ]);
    const blockedStore = db.transaction('blocked').objectStore('blocked');
    expect(blockedStore.keyPath).toBeNull();
    expect([...blockedStore.indexNames]).toEqual([]);
    db.close();

    expect(await store.getMeta(FEED_URL)).toEqual({
      ...acmeMeta,
      lastAttempt: isoAt(-DAY),
      lastSuccess: isoAt(-DAY),
      etag: null,
      nextSync: null,
      generation: null,
    });
    expect(await store.getMeta(OTHER_URL)).toEqual({
      ...otherMeta,
      etag: null,
      nextSync: null,
      generation: null,
    });
    expect((await store.listMeta()).map((m) => m.url).sort()).toEqual([FEED_URL, OTHER_URL]);
    expect(await store.stats()).toEqual({
      feeds: 3,
      brands: 0,
      names: 0,
      sellers: 0,
      blocked: 0,
      products: 0,
      retiredGenerations: 0,
    });
    expect(await store.getBrand('acme')).toBeNull();
    expect(await store.findBlocked('amazon', { id: 'A9BADBADBAD123', name: null })).toEqual([]);
    expect(await store.getClockFloor()).toBe(isoAt(-DAY));

    const server = createServer();
    const dirKey = await newKey('genuine-dir');
    const sync = createSync({
      store,
      fetch: server.fetch,
      now: () => NOW,
      random: () => 0,
      directoryUrl: 'https://directory.genuine.example/directory.json',
      directoryKeys: [dirKey.publicKey],
    });
    // An older copy is still a rollback: the version and sha256 of the stored copy were kept.
    server.route(FEED_URL, serve(await sign(acmeFeed(0), 'feed', acmeKey), { etag: '"acme-0"' }));
    const rollback = await sync.syncFeed(FEED_URL);
    expect(rollback.status).toBe('failed');
    expect(rollback.error?.code).toBe('rollback');

    // The very document stored before: fetched without If-None-Match and imported, not "unchanged".
    server.route(FEED_URL, serve(v1Body, { etag: '"acme-1"' }));
    const result = await sync.syncFeed(FEED_URL);
    expect(result).toMatchObject({ status: 'updated', version: 1, error: null });
    expect(server.requests.at(-1)?.headers.get('If-None-Match')).toBeNull();
    const after = await store.getMeta(FEED_URL);
    expect(after?.generation).toBeGreaterThanOrEqual(6);
    expect(after?.etag).toBe('"acme-1"');
    expect(
      (await store.findSeller('acme', 'amazon', 'amazon.com', { id: 'A1B2C3D4E5F6G7', name: null }))?.entry
        .name,
    ).toBe('ACME Official');
    expect((await store.getBrand('acme'))?.feedVersion).toBe(1);
  });

  it('a new database starts at version 2 with empty stores', async () => {
    const store = await openStore(`new-${Math.random()}`);
    open.push(store);
    expect(await store.listMeta()).toEqual([]);
    expect((await store.stats()).feeds).toBe(0);
  });
});
