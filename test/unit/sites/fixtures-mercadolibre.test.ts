import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/mercadolibre';
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

describe('mercadolibre adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('mercadolibre adapter: fixtures', () => {
  it('reads a catalog product page: the item on sale, its seller id and name', () => {
    expect(
      read(
        path.join(fixtures, 'mercadolibre-current.html'),
        'https://www.mercadolibre.com.ar/notebook-lenovo-ideapad-3/p/MLA28458396#polycard_client=search',
      ),
    ).toEqual({
      marketplace: 'mercadolibre',
      site: 'mercadolibre.com.ar',
      url: 'https://www.mercadolibre.com.ar/notebook-lenovo-ideapad-3/p/MLA28458396',
      productId: 'MLA1410000000',
      gtin: '00196801234567',
      title: 'Notebook Lenovo IdeaPad 3 15.6" Ryzen 5 8GB 512GB',
      brand: 'Lenovo',
      price: { amount: 899999, currency: 'ARS' },
      seller: { id: '123456789', name: 'TECNO STORE OFICIAL', isPlatform: false },
      condition: 'new',
    });
  });

  it('reads the rendered price meta and subtitle without JSON-LD', () => {
    const html = readFileSync(path.join(fixtures, 'mercadolibre-current.html'), 'utf8').replace(
      /<script type="application\/ld\+json">[\s\S]*?<\/script>/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(
      adapter.extract(doc, new URL('https://articulo.mercadolibre.com.ar/MLA-1410000000-notebook-_JM')),
    ).toMatchObject({
      productId: 'MLA1410000000',
      title: 'Notebook Lenovo IdeaPad 3 15.6" Ryzen 5 8GB 512GB',
      price: { amount: 899999, currency: 'ARS' },
      condition: 'new',
    });
  });
});

describe.skipIf(!existsSync(shared))('mercadolibre adapter: real saved page', () => {
  it('gives null for the notebook search page', () => {
    expect(
      read(
        path.join(shared, 'mercadolibre/abalito04-ml-ar-SEARCH-notebook.html'),
        'https://listado.mercadolibre.com.ar/notebook',
      ),
    ).toBeNull();
  });
});

if (!existsSync(shared))
  console.warn(`[fixtures-mercadolibre] ${shared} is absent: real-page checks skipped`);
