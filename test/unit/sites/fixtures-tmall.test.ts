import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProductSnapshot } from '../../../lib/sites/snapshot';
import { adapter } from '../../../lib/sites/tmall';

// No saved real Tmall page exists in shared/pages: these fixtures are hand-written from the
// public page structure, so this adapter is verified on fixtures only.
const fixtures = path.resolve(__dirname, '../../fixtures/sites');

function read(file: string, url: string): ProductSnapshot | null {
  const doc = new DOMParser().parseFromString(readFileSync(path.join(fixtures, file), 'utf8'), 'text/html');
  const snapshot = adapter.extract(doc, new URL(url));
  if (snapshot) ProductSnapshot.parse(snapshot);
  return snapshot;
}

describe('tmall adapter', () => {
  it('reads the current React layout; Tmall Supermarket is the platform', () => {
    expect(
      read('tmall-current.html', 'https://chaoshi.detail.tmall.com/item.htm?id=588123456789&spm=a3204.1'),
    ).toEqual({
      marketplace: 'tmall',
      site: 'tmall.com',
      url: 'https://chaoshi.detail.tmall.com/item.htm?id=588123456789',
      productId: '588123456789',
      gtin: null,
      title: '亨氏番茄酱 300g 瓶装',
      brand: 'Heinz/亨氏',
      price: { amount: 9.9, currency: 'CNY' },
      seller: { id: '725677994', name: '天猫超市', isPlatform: true },
      condition: null,
    });
  });

  it('reads the classic TShop.Setup layout, promotion price first', () => {
    expect(
      read('tmall-classic.html', 'https://detail.tmall.com/item.htm?id=609912580834&skuId=4561234567890'),
    ).toEqual({
      marketplace: 'tmall',
      site: 'tmall.com',
      url: 'https://detail.tmall.com/item.htm?id=609912580834',
      productId: '609912580834',
      gtin: null,
      title: 'Apple/苹果 AirPods Pro (第二代) 主动降噪无线蓝牙耳机',
      brand: 'Apple/苹果',
      price: { amount: 1799, currency: 'CNY' },
      seller: { id: '1917047079', name: 'Apple Store 官方旗舰店', isPlatform: false },
      condition: null,
    });
  });

  it('claims its examples and none of the others', () => {
    for (const u of adapter.examples.match) expect(adapter.matches(new URL(u)), u).toBe(true);
    for (const u of adapter.examples.noMatch) expect(adapter.matches(new URL(u)), u).toBe(false);
  });

  it('returns null for a URL that is not an item page', () => {
    const doc = new DOMParser().parseFromString('<html><body>list</body></html>', 'text/html');
    expect(adapter.extract(doc, new URL('https://list.tmall.com/search_product.htm?q=x'))).toBeNull();
  });
});
