import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductSnapshot } from '../../../lib/sites/snapshot';
import { adapter } from '../../../lib/sites/taobao';

const repoRoot = path.resolve(__dirname, '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/sites');
const shared = path.resolve(repoRoot, '../shared/pages');

function read(file: string, url: string): ProductSnapshot | null {
  const doc = new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/html');
  const snapshot = adapter.extract(doc, new URL(url));
  if (snapshot) ProductSnapshot.parse(snapshot);
  return snapshot;
}

describe('taobao adapter: fixtures', () => {
  it('reads the current React layout', () => {
    expect(
      read(
        path.join(fixtures, 'taobao-current.html'),
        'https://item.taobao.com/item.htm?spm=a21n57.1&id=714512345678&ns=1',
      ),
    ).toEqual({
      marketplace: 'taobao',
      site: 'taobao.com',
      url: 'https://item.taobao.com/item.htm?id=714512345678',
      productId: '714512345678',
      gtin: null,
      title: '罗技G304无线游戏鼠标 LIGHTSPEED',
      brand: 'Logitech/罗技',
      price: { amount: 169, currency: 'CNY' },
      seller: { id: '2200754321', name: '罗技外设专营店', isPlatform: false },
      condition: null,
    });
  });

  it('reads the classic g_config layout', () => {
    expect(
      read(path.join(fixtures, 'taobao-classic.html'), 'https://item.taobao.com/item.htm?id=562283240178'),
    ).toEqual({
      marketplace: 'taobao',
      site: 'taobao.com',
      url: 'https://item.taobao.com/item.htm?id=562283240178',
      productId: '562283240178',
      gtin: null,
      title: '乳白亚克力外壳 60%键盘外壳 poker外壳',
      brand: 'KBDfans',
      price: { amount: 149, currency: 'CNY' },
      seller: { id: '134583372', name: '怡科外设KBDfans', isPlatform: false },
      condition: null,
    });
  });

  it('reads the seller id from the microscope-data meta when g_config is missing', () => {
    const html = readFileSync(path.join(fixtures, 'taobao-classic.html'), 'utf8').replace(
      /sellerId\s+: '134583372',/,
      '',
    );
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(
      adapter.extract(doc, new URL('https://item.taobao.com/item.htm?id=562283240178'))?.seller?.id,
    ).toBe('134583372');
  });

  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });
});

describe.skipIf(!existsSync(shared))('taobao adapter: real saved page', () => {
  it('reads the keyboard case page (price shown as a range, so none)', () => {
    expect(
      read(
        path.join(shared, 'taobao/ogs-taobao-keyboard-case.html'),
        'https://item.taobao.com/item.htm?id=562283240178',
      ),
    ).toEqual({
      marketplace: 'taobao',
      site: 'taobao.com',
      url: 'https://item.taobao.com/item.htm?id=562283240178',
      productId: '562283240178',
      gtin: null,
      title: '乳白亚克力外壳 60%键盘外壳 poker外壳无加强筋底壳透光外壳',
      brand: 'KBDfans',
      price: null,
      seller: { id: '134583372', name: '怡科外设KBDfans', isPlatform: false },
      condition: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-taobao] ${shared} is absent: real-page checks skipped`);
