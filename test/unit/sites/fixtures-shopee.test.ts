import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/shopee';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

// No saved real Shopee page exists in shared/pages: the fixtures are hand-written from the
// public page structure, so this adapter is verified on fixtures only.

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/sites');
const shared = path.resolve(repoRoot, '../shared/pages');

function read(file: string, url: string): ProductSnapshot | null {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/html');
  const snapshot = adapter.extract(doc, new URL(url));
  if (snapshot) ProductSnapshot.parse(snapshot);
  return snapshot;
}

describe('shopee adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('shopee adapter: fixtures', () => {
  it('reads the served JSON-LD; the shop id from the URL is the seller id', () => {
    expect(
      read(
        path.join(fixtures, 'shopee-current.html'),
        'https://shopee.co.id/Samsung-Galaxy-A55-5G-8-256GB-i.88201679.23456789012?sp_atk=abc&xptdk=def',
      ),
    ).toEqual({
      marketplace: 'shopee',
      site: 'shopee.co.id',
      url: 'https://shopee.co.id/Samsung-Galaxy-A55-5G-8-256GB-i.88201679.23456789012',
      productId: '23456789012',
      gtin: null,
      title: 'Samsung Galaxy A55 5G 8/256GB Garansi Resmi',
      brand: 'Samsung',
      price: { amount: 5999000, currency: 'IDR' },
      seller: { id: '88201679', name: 'Samsung Official Shop', isPlatform: false },
      condition: null,
    });
  });

  it('knows the seller from the URL before the app renders', () => {
    const doc = new DOMParser().parseFromString(
      '<html><head><title>Shopee</title></head><body></body></html>',
      'text/html',
    );
    expect(adapter.extract(doc, new URL('https://shopee.sg/product/88201679/23456789012'))).toMatchObject({
      productId: '23456789012',
      seller: { id: '88201679', name: null, isPlatform: false },
      price: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-shopee] ${shared} is absent: real-page checks skipped`);
