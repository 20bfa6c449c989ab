import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/aliexpress';
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

describe('aliexpress adapter: fixtures', () => {
  it('reads the current client-rendered layout', () => {
    expect(
      read(
        path.join(fixtures, 'aliexpress-current.html'),
        'https://www.aliexpress.com/item/1005006283071432.html?spm=a2g0o.home',
      ),
    ).toEqual({
      marketplace: 'aliexpress',
      site: 'aliexpress.com',
      url: 'https://www.aliexpress.com/item/1005006283071432.html',
      productId: '1005006283071432',
      gtin: null,
      title: 'Baseus 65W GaN Charger USB C Fast Charger',
      brand: 'BASEUS',
      price: { amount: 23.49, currency: 'USD' },
      seller: { id: '1102345678', name: 'Baseus Official Store', isPlatform: false },
      condition: null,
    });
  });

  it('reads the server-rendered runParams layout', () => {
    expect(
      read(
        path.join(fixtures, 'aliexpress-classic.html'),
        'https://de.aliexpress.com/item/4000123456789.html',
      ),
    ).toEqual({
      marketplace: 'aliexpress',
      site: 'aliexpress.com',
      url: 'https://de.aliexpress.com/item/4000123456789.html',
      productId: '4000123456789',
      gtin: null,
      title: 'UGREEN USB C Kabel 100W "Schnellladen" & Daten',
      brand: 'UGREEN',
      price: { amount: 12.99, currency: 'EUR' },
      seller: { id: '912345', name: 'UGREEN Official Store', isPlatform: false },
      condition: null,
    });
  });

  it('gives no price for a price range and survives a malformed runParams', () => {
    const html = readFileSync(path.join(fixtures, 'aliexpress-classic.html'), 'utf8');
    const range = html.replace(
      '"maxActivityAmount":{"currency":"EUR","formatedAmount":"€ 12,99","value":12.99}',
      '"maxActivityAmount":{"currency":"EUR","value":19.99}',
    );
    const doc = new DOMParser().parseFromString(range, 'text/html');
    expect(
      adapter.extract(doc, new URL('https://de.aliexpress.com/item/4000123456789.html'))?.price,
    ).toBeNull();
    const broken = new DOMParser().parseFromString(
      html.replace('"titleModule"', '"titleModule" ,,'),
      'text/html',
    );
    const snapshot = adapter.extract(broken, new URL('https://de.aliexpress.com/item/4000123456789.html'));
    expect(snapshot?.productId).toBe('4000123456789');
    expect(snapshot?.title).toBe('Kabel USB C');
  });

  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });
});

describe.skipIf(!existsSync(shared))('aliexpress adapter: real saved pages', () => {
  it('reads the Hebrew iPhone SE page (server-rendered; price is a range, so none)', () => {
    expect(
      read(
        path.join(shared, 'aliexpress/ogs-aliexpress-he-iphone-se.html'),
        'https://he.aliexpress.com/item/32993251330.html',
      ),
    ).toEqual({
      marketplace: 'aliexpress',
      site: 'aliexpress.com',
      url: 'https://he.aliexpress.com/item/32993251330.html',
      productId: '32993251330',
      gtin: null,
      title:
        "מקורי Apple iPhone SE סמארטפון נייד טלפון A9 Dual Core 2GB RAM 16/64GB ROM 4.0 ''12MP טביעות אצבע 4G LTE Smartphone",
      brand: 'Apple',
      price: null,
      seller: { id: '1392990', name: 'Summer Technology Co.,Ltd.', isPlatform: false },
      condition: null,
    });
  });

  it('reads what a client-rendered shell holds before rendering', () => {
    const snapshot = read(
      path.join(shared, 'aliexpress/duduzinho-aliexpress-pt-shell-storage-cart.html'),
      'https://pt.aliexpress.com/item/1005009463783046.html',
    );
    expect(snapshot).toMatchObject({ productId: '1005009463783046', price: null, seller: null });
    expect(snapshot?.title).toMatch(/^Carrinho de armazenamento multifuncional/);
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-aliexpress] ${shared} is absent: real-page checks skipped`);
