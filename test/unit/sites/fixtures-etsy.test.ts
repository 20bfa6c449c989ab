import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/etsy';
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

describe('etsy adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });
});

describe('etsy adapter: fixtures', () => {
  it('reads the current layout: buy-box sale price in the display currency, shop id and name', () => {
    expect(
      read(
        path.join(fixtures, 'etsy-current.html'),
        'https://www.etsy.com/uk/listing/1234567890/personalised-leather-wallet?ref=hp',
      ),
    ).toEqual({
      marketplace: 'etsy',
      site: 'etsy.com',
      url: 'https://www.etsy.com/listing/1234567890',
      productId: '1234567890',
      gtin: null,
      title: 'Personalised Leather Wallet, Engraved Gift for Him',
      brand: null,
      price: { amount: 24.8, currency: 'GBP' },
      seller: { id: '23456789', name: 'LeatherLoftUK', isPlatform: false },
      condition: null,
    });
  });

  it('falls back to the JSON-LD offer without a buy-box price', () => {
    const html = readFileSync(path.join(fixtures, 'etsy-current.html'), 'utf8').replace(
      /<div data-buy-box-region="price">[\s\S]*?<\/div>\s*<\/div>/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://www.etsy.com/listing/1234567890'))?.price).toEqual({
      amount: 31,
      currency: 'USD',
    });
  });
});

describe.skipIf(!existsSync(shared))('etsy adapter: real saved page', () => {
  it('reads the Spanish pumpkin doormat page (buy box 53,11 EUR, not the JSON-LD 43.90)', () => {
    expect(
      read(
        path.join(shared, 'etsy/metascraper-shopping-etsy.html'),
        'https://www.etsy.com/es/listing/550571276/el-original-he-y-hay-calabaza-decoracion',
      ),
    ).toEqual({
      marketplace: 'etsy',
      site: 'etsy.com',
      url: 'https://www.etsy.com/listing/550571276',
      productId: '550571276',
      gtin: null,
      title:
        'EL original he y hay calabaza / decoración de otoño / estera de bienvenida / pintado a mano, felpudo personalizado / lindo felpudo / doormat al aire libre / decoración del porche',
      brand: null,
      price: { amount: 53.11, currency: 'EUR' },
      seller: { id: '12418300', name: 'OliveCreativeCompany', isPlatform: false },
      condition: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-etsy] ${shared} is absent: real-page checks skipped`);
