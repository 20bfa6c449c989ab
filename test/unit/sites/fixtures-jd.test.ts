import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapter } from '../../../lib/sites/jd';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

// No saved real JD page exists in shared/pages: the fixtures are hand-written from the
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

describe('jd adapter: URLs', () => {
  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null off a product page', () => {
    const doc = new DOMParser().parseFromString('<html><body><h1>x</h1></body></html>', 'text/html');
    for (const u of adapter.examples.noMatch) expect(adapter.extract(doc, new URL(u)), u).toBeNull();
  });
});

describe('jd adapter: fixtures', () => {
  it('reads a JD self-operated item: the platform sells', () => {
    expect(
      read(path.join(fixtures, 'jd-current.html'), 'https://item.jd.com/100066896338.html?bbtf=1'),
    ).toEqual({
      marketplace: 'jd',
      site: 'jd.com',
      url: 'https://item.jd.com/100066896338.html',
      productId: '100066896338',
      gtin: null,
      title: 'Apple/苹果 iPhone 15 (A3092) 128GB 黑色 支持移动联通电信5G 双卡双待手机',
      brand: 'Apple',
      price: { amount: 5999, currency: 'CNY' },
      seller: { id: '1000000127', name: 'Apple产品京东自营旗舰店', isPlatform: true },
      condition: null,
    });
  });

  it('reads a third-party shop item', () => {
    expect(read(path.join(fixtures, 'jd-pop.html'), 'https://item.jd.com/10084512345678.html')).toEqual({
      marketplace: 'jd',
      site: 'jd.com',
      url: 'https://item.jd.com/10084512345678.html',
      productId: '10084512345678',
      gtin: null,
      title: '罗技（G）G304 LIGHTSPEED无线鼠标 游戏鼠标',
      brand: '罗技（G）',
      price: { amount: 139, currency: 'CNY' },
      seller: { id: '10212345', name: '罗技电竞外设专营店', isPlatform: false },
      condition: null,
    });
  });

  it('falls back to the pageConfig name before the price renders', () => {
    const html = readFileSync(path.join(fixtures, 'jd-current.html'), 'utf8')
      .replace(/<div class="sku-name">[\s\S]*?<\/div>/, '')
      .replace('5999.00', '');
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(adapter.extract(doc, new URL('https://item.jd.com/100066896338.html'))).toMatchObject({
      title: 'Apple iPhone 15',
      price: null,
    });
  });
});

if (!existsSync(shared)) console.warn(`[fixtures-jd] ${shared} is absent: real-page checks skipped`);
