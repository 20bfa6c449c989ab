import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductSnapshot } from '../../../lib/sites/snapshot';
import { adapter } from '../../../lib/sites/walmart';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/sites');
const shared = path.resolve(repoRoot, '../shared/pages');

function read(file: string, url: string): ProductSnapshot | null {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/html');
  const snapshot = adapter.extract(doc, new URL(url));
  if (snapshot) ProductSnapshot.parse(snapshot);
  return snapshot;
}

describe('walmart adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });
});

describe('walmart adapter: fixtures', () => {
  it('reads the current Next.js layout; Walmart.com is the platform', () => {
    expect(
      read(
        path.join(fixtures, 'walmart-current.html'),
        'https://www.walmart.com/ip/Heinz-Tomato-Ketchup-38-oz-Bottle/10451001?athbdg=L1600',
      ),
    ).toEqual({
      marketplace: 'walmart',
      site: 'walmart.com',
      url: 'https://www.walmart.com/ip/10451001',
      productId: '10451001',
      gtin: '00013000006408',
      title: 'Heinz Tomato Ketchup, 38 oz Bottle',
      brand: 'Heinz',
      price: { amount: 3.98, currency: 'USD' },
      seller: { id: null, name: 'Walmart.com', isPlatform: true },
      condition: 'new',
    });
  });

  it('reads a marketplace seller by its public seller id, and a Restored item as refurbished', () => {
    expect(
      read(
        path.join(fixtures, 'walmart-marketplace.html'),
        'https://www.walmart.com/ip/Restored-Apple-iPhone-13/1234567890',
      ),
    ).toEqual({
      marketplace: 'walmart',
      site: 'walmart.com',
      url: 'https://www.walmart.com/ip/1234567890',
      productId: '1234567890',
      gtin: null,
      title: 'Restored Apple iPhone 13, 128GB, Midnight - Unlocked (Refurbished)',
      brand: 'Apple',
      price: { amount: 389, currency: 'USD' },
      seller: { id: '101085347', name: 'Tech Renew Co', isPlatform: false },
      condition: 'refurbished',
    });
  });

  it('reads the rendered DOM when the embedded data is gone', () => {
    const html = readFileSync(path.join(fixtures, 'walmart-marketplace.html'), 'utf8').replace(
      /<script id="__NEXT_DATA__"[\s\S]*?<\/script>/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://www.walmart.com/ip/1234567890'))).toMatchObject({
      productId: '1234567890',
      title: 'Restored Apple iPhone 13, 128GB, Midnight - Unlocked (Refurbished)',
      seller: { id: '101085347', name: 'Tech Renew Co', isPlatform: false },
    });
  });

  it('reads a Walmart Central America (VTEX) product page', () => {
    expect(
      read(
        path.join(fixtures, 'walmart-ni-product.html'),
        'https://www.walmart.com.ni/salsa-de-tomate-heinz-397g/p',
      ),
    ).toEqual({
      marketplace: 'walmart',
      site: 'walmart.com.ni',
      url: 'https://www.walmart.com.ni/salsa-de-tomate-heinz-397g/p',
      productId: '79412',
      gtin: '07411000329702',
      title: 'Salsa De Tomate Heinz Ketchup - 397 g',
      brand: 'HEINZ',
      price: { amount: 95.5, currency: 'NIO' },
      seller: { id: null, name: 'Walmart Nicaragua', isPlatform: true },
      condition: 'new',
    });
  });
});

describe.skipIf(!existsSync(shared))('walmart adapter: real saved page', () => {
  it('gives null for the Walmart Nicaragua search page', () => {
    const file = path.join(shared, 'walmart/cybermedina-walmart-com-ni-SEARCH-gtin-ketchup.html');
    expect(adapter.matches(new URL('https://www.walmart.com.ni/7411000329702?map=ft'))).toBe(false);
    expect(read(file, 'https://www.walmart.com.ni/7411000329702?map=ft')).toBeNull();
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-walmart] ${shared} is absent: real-page checks skipped`);
