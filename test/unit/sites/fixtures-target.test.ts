import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductSnapshot } from '../../../lib/sites/snapshot';
import { adapter } from '../../../lib/sites/target';

// No saved real Target page exists in shared/pages: the fixtures are hand-written from the
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

describe('target adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('target adapter: fixtures', () => {
  it('reads the current layout from the preloaded query data', () => {
    expect(
      read(
        path.join(fixtures, 'target-current.html'),
        'https://www.target.com/p/heinz-tomato-ketchup-38oz/-/A-12935836#lnk=sametab',
      ),
    ).toEqual({
      marketplace: 'target',
      site: 'target.com',
      url: 'https://www.target.com/p/heinz-tomato-ketchup-38oz/-/A-12935836',
      productId: 'A-12935836',
      gtin: '00013000006408',
      title: 'Heinz Tomato Ketchup - 38oz',
      brand: 'Heinz',
      price: { amount: 4.29, currency: 'USD' },
      seller: { id: null, name: 'Target', isPlatform: true },
      condition: null,
    });
  });

  it('reads a Target Plus partner item from the rendered DOM, the preselected variation', () => {
    expect(
      read(
        path.join(fixtures, 'target-plus.html'),
        'https://www.target.com/p/women-s-linen-shirt/-/A-88062345?preselect=88062399',
      ),
    ).toEqual({
      marketplace: 'target',
      site: 'target.com',
      url: 'https://www.target.com/p/women-s-linen-shirt/-/A-88062345?preselect=88062399',
      productId: 'A-88062399',
      gtin: '00194644098728',
      title: "Women's Relaxed Linen Button-Down Shirt",
      brand: null,
      price: { amount: 39.99, currency: 'USD' },
      seller: { id: null, name: 'Quince Partners', isPlatform: false },
      condition: null,
    });
  });

  it('ignores a broken __TGT_DATA__ string and reads the DOM', () => {
    const html = readFileSync(path.join(fixtures, 'target-current.html'), 'utf8').replace(
      'JSON.parse("{',
      'JSON.parse("{{',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://www.target.com/p/-/A-12935836'))).toMatchObject({
      title: 'Heinz Tomato Ketchup - 38oz',
      price: { amount: 4.29, currency: 'USD' },
      gtin: '00013000006408',
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-target] ${shared} is absent: real-page checks skipped`);
