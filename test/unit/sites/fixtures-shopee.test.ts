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

describe('shopee adapter: hostile pages', () => {
  const hostile = [
    '<script>window.runParams = { data: {"a": [1, 2</script>',
    '<script id="__NEXT_DATA__" type="application/json">{"props": nope</script>',
    '<script id="__PRELOADED_STATE__" type="application/json">{"__proto__": {"polluted": true}}</script>',
    `<script type="application/ld+json">${'['.repeat(3000)}{"@type":"Product","name":"deep"}${']'.repeat(3000)}</script>`,
    '<script type="application/ld+json">{"@type":"Product","name":{"x":1},"brand":[],"offers":{"price":"-5","priceCurrency":"usd$"}}</script>',
    "<script>var pageConfig = { product: { shopId: '', name: '\\u00' } }; window.g_config = { sellerId : '' };</script>",
    `<script>Object.defineProperties(window,{'__TGT_DATA__':{value:JSON.parse("${'\\'.repeat(9)}")}})</script>`,
    '<h1>   </h1><div data-testid="price">$</div><span itemprop="price">NaN</span><p class="wt-text-title-03">∞ €</p>',
  ].join('\n');

  it('never throws and returns a valid snapshot or null', () => {
    const doc = new DOMParser().parseFromString(
      `<html><head></head><body>${hostile}</body></html>`,
      'text/html',
    );
    for (const u of adapter.examples.match) {
      const snapshot = adapter.extract(doc, new URL(u));
      if (snapshot) expect(ProductSnapshot.safeParse(snapshot).success, u).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-shopee] ${shared} is absent: real-page checks skipped`);
