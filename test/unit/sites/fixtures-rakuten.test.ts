import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/rakuten';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

// No saved real Rakuten page exists in shared/pages: the fixtures are hand-written from the
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

describe('rakuten adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('rakuten adapter: fixtures', () => {
  it('reads an Ichiba item: shop code is the seller id', () => {
    expect(
      read(
        path.join(fixtures, 'rakuten-current.html'),
        'https://item.rakuten.co.jp/biccamera/4902370548495/?iasid=07rpp_10095___',
      ),
    ).toEqual({
      marketplace: 'rakuten',
      site: 'rakuten.co.jp',
      url: 'https://item.rakuten.co.jp/biccamera/4902370548495/',
      productId: 'biccamera/4902370548495',
      gtin: '04902370548495',
      title: '任天堂 Nintendo Switch（有機ELモデル） Joy-Con(L)/(R) ホワイト',
      brand: '任天堂',
      price: { amount: 37980, currency: 'JPY' },
      seller: { id: 'biccamera', name: 'ビックカメラ楽天市場店', isPlatform: false },
      condition: 'new',
    });
  });

  it('reads a Rakuten Books item (microdata): Rakuten sells', () => {
    expect(
      read(path.join(fixtures, 'rakuten-books.html'), 'https://books.rakuten.co.jp/rb/17635312/'),
    ).toEqual({
      marketplace: 'rakuten',
      site: 'rakuten.co.jp',
      url: 'https://books.rakuten.co.jp/rb/17635312/',
      productId: '17635312',
      gtin: '09784088838502',
      title: 'ONE PIECE 108 （ジャンプコミックス）',
      brand: null,
      price: { amount: 528, currency: 'JPY' },
      seller: { id: null, name: '楽天ブックス', isPlatform: true },
      condition: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-rakuten] ${shared} is absent: real-page checks skipped`);
