import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/mercari';
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

describe('mercari adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('mercari adapter: fixtures', () => {
  it('reads the current layout: JSON-LD offer, seller profile id, new condition', () => {
    expect(
      read(
        path.join(fixtures, 'mercari-current.html'),
        'https://jp.mercari.com/item/m12345678901?source_location=share',
      ),
    ).toEqual({
      marketplace: 'mercari',
      site: 'mercari.com',
      url: 'https://jp.mercari.com/item/m12345678901',
      productId: 'm12345678901',
      gtin: null,
      title: 'ポケモンカード 151 BOX シュリンク付き',
      brand: 'ポケモン',
      price: { amount: 18800, currency: 'JPY' },
      seller: { id: '123456789', name: 'カードショップ一番', isPlatform: false },
      condition: 'new',
    });
  });

  it('reads the rendered price when JSON-LD is missing', () => {
    const html = readFileSync(path.join(fixtures, 'mercari-current.html'), 'utf8').replace(
      /<script type="application\/ld\+json">[\s\S]*?<\/script>/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://jp.mercari.com/item/m12345678901'))).toMatchObject({
      title: 'ポケモンカード 151 BOX シュリンク付き',
      price: { amount: 18800, currency: 'JPY' },
      brand: null,
    });
  });
});

describe.skipIf(!existsSync(shared))('mercari adapter: real saved page', () => {
  it('reads the sold Animal Crossing page', () => {
    expect(
      read(
        path.join(shared, 'other/buyrecords-mercari-jp-item.html'),
        'https://jp.mercari.com/item/m96084058332',
      ),
    ).toEqual({
      marketplace: 'mercari',
      site: 'mercari.com',
      url: 'https://jp.mercari.com/item/m96084058332',
      productId: 'm96084058332',
      gtin: null,
      title: 'あつまれ どうぶつの森 Nintendo Switch',
      brand: null,
      price: { amount: 4500, currency: 'JPY' },
      seller: { id: '291998903', name: 'ぬん', isPlatform: false },
      condition: 'used',
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-mercari] ${shared} is absent: real-page checks skipped`);
