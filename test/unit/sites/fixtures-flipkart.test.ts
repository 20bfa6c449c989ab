import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/flipkart';
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

describe('flipkart adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('flipkart adapter: fixtures', () => {
  it('reads the current layout', () => {
    expect(
      read(
        path.join(fixtures, 'flipkart-current.html'),
        'https://www.flipkart.com/apple-airpods-pro-2nd-gen/p/itm8a1b2c3d4e5f6?pid=ACCGZ123&lid=LSTACC&marketplace=FLIPKART',
      ),
    ).toEqual({
      marketplace: 'flipkart',
      site: 'flipkart.com',
      url: 'https://www.flipkart.com/apple-airpods-pro-2nd-gen/p/itm8a1b2c3d4e5f6?pid=ACCGZ123',
      productId: 'itm8a1b2c3d4e5f6',
      gtin: null,
      title: 'Apple AirPods Pro (2nd gen) with MagSafe Case (USB-C)',
      brand: 'Apple',
      price: { amount: 20900, currency: 'INR' },
      seller: { id: null, name: 'Appario Retail Private Ltd', isPlatform: false },
      condition: null,
    });
  });

  it('reads the rendered price when JSON-LD is missing', () => {
    const html = readFileSync(path.join(fixtures, 'flipkart-current.html'), 'utf8').replace(
      /<script type="application\/ld\+json"[\s\S]*?<\/script>/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://www.flipkart.com/x/p/itm8a1b2c3d4e5f6'))?.price).toEqual({
      amount: 20900,
      currency: 'INR',
    });
  });
});

describe.skipIf(!existsSync(shared))('flipkart adapter: real saved page', () => {
  it('reads the realme Narzo page', () => {
    expect(
      read(
        path.join(shared, 'other/pricewise-flipkart-realme-narzo.html'),
        'https://www.flipkart.com/realme-narzo-70-pro-5g-green-glass-green-128-gb/p/itm2742a62e69f5a',
      ),
    ).toEqual({
      marketplace: 'flipkart',
      site: 'flipkart.com',
      url: 'https://www.flipkart.com/realme-narzo-70-pro-5g-green-glass-green-128-gb/p/itm2742a62e69f5a',
      productId: 'itm2742a62e69f5a',
      gtin: null,
      title: 'realme Narzo 70 Pro 5G (Green, Glass Green, 128 GB)',
      brand: 'realme',
      price: { amount: 19490, currency: 'INR' },
      seller: { id: null, name: 'Phonologic', isPlatform: false },
      condition: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-flipkart] ${shared} is absent: real-page checks skipped`);
