import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/bestbuy';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/sites');
const shared = path.resolve(repoRoot, '../shared/pages');

function read(file: string, url: string): ProductSnapshot | null {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/html');
  const snapshot = adapter.extract(doc, new URL(url));
  if (snapshot) ProductSnapshot.parse(snapshot);
  return snapshot;
}

describe('bestbuy adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });
});

describe('bestbuy adapter: fixtures', () => {
  it('reads the current layout: customer price, GTIN, Best Buy as seller', () => {
    expect(
      read(
        path.join(fixtures, 'bestbuy-current.html'),
        'https://www.bestbuy.com/site/sony-wh-1000xm5/6505727.p?skuId=6505727&intl=nosplash',
      ),
    ).toEqual({
      marketplace: 'bestbuy',
      site: 'bestbuy.com',
      url: 'https://www.bestbuy.com/site/sony-wh-1000xm5/6505727.p?skuId=6505727',
      productId: '6505727',
      gtin: '00027242923782',
      title: 'Sony - WH-1000XM5 Wireless Noise-Canceling Over-the-Ear Headphones - Black',
      brand: 'Sony',
      price: { amount: 329.99, currency: 'USD' },
      seller: { id: null, name: 'Best Buy', isPlatform: true },
      condition: 'new',
    });
  });

  it('names a marketplace seller as a third party', () => {
    expect(
      read(
        path.join(fixtures, 'bestbuy-marketplace.html'),
        'https://www.bestbuy.com/site/anker-737/6559841.p?skuId=6559841',
      ),
    ).toMatchObject({
      productId: '6559841',
      brand: 'Anker',
      price: { amount: 89.99, currency: 'USD' },
      seller: { id: null, name: 'Anker Direct', isPlatform: false },
    });
  });
});

describe.skipIf(!existsSync(shared))('bestbuy adapter: real saved page', () => {
  it('reads the iPhone 6s page: the retail plan price, not the monthly $24.96', () => {
    expect(
      read(
        path.join(shared, 'bestbuy/ogs-bestbuy-iphone6s.html'),
        'https://www.bestbuy.com/site/apple-iphone-6s-64gb-space-gray-verizon/4447801.p?skuId=4447801',
      ),
    ).toEqual({
      marketplace: 'bestbuy',
      site: 'bestbuy.com',
      url: 'https://www.bestbuy.com/site/apple-iphone-6s-64gb-space-gray-verizon/4447801.p?skuId=4447801',
      productId: '4447801',
      gtin: '00888462500654',
      title: 'Apple - iPhone 6s 64GB - Space Gray (Verizon)',
      brand: 'Apple',
      price: { amount: 649.99, currency: 'USD' },
      seller: { id: null, name: 'Best Buy', isPlatform: true },
      condition: 'new',
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-bestbuy] ${shared} is absent: real-page checks skipped`);
