/**
 * Tmall item pages: https://detail.tmall.com/item.htm?id=<id> (also chaoshi.detail.tmall.com,
 * detail.m.tmall.com, detail.tmall.hk/hk/item.htm?id=<id>, world.tmall.com/item/<id>.htm).
 *
 * Tmall pages are built like Taobao's (same company), so the reading is shared with the Taobao
 * adapter (readAlibabaItem): classic TShop.Setup({... "itemDO": {"userId": ...}}) JSON and
 * microscope-data meta, or the current React layout's ItemHeader/Price/ShopHeader elements.
 * Seller id is the numeric seller (user) id; shops Alibaba runs itself (天猫超市, 天猫国际官方直营)
 * are the platform (isPlatform true).
 *
 * No saved real Tmall page exists in shared/pages: this adapter is verified on the project's own
 * fixtures only (test/fixtures/sites/tmall-*.html), written from the public page structure.
 */
import { alibabaItemId, readAlibabaItem } from './taobao';
import type { SiteAdapter, SiteReader } from './types';

const DOMAINS: ReadonlySet<string> = new Set(['tmall.com', 'tmall.hk']);
const DETAIL_PATHS = /^\/(?:item\.htm|hk\/item\.htm|item_o\.htm)$/;

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'tmall',
  marketplace: 'tmall',
  domains: [...DOMAINS],
  matches: (url) => alibabaItemId(url, DETAIL_PATHS, DOMAINS) !== null,
  extract: (doc, url) => {
    const id = alibabaItemId(url, DETAIL_PATHS, DOMAINS);
    return id ? readAlibabaItem(doc, url, 'tmall', id, DOMAINS, 'tmall.com') : null;
  },
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://detail.tmall.com/item.htm?id=609912580834',
      'https://detail.tmall.com/item.htm?spm=a220m.1000858.1000725.1.abc&id=609912580834&skuId=4561234567890',
      'https://chaoshi.detail.tmall.com/item.htm?id=609912580834',
      'https://detail.m.tmall.com/item.htm?id=609912580834',
      'https://detail.tmall.hk/hk/item.htm?id=609912580834',
    ],
    noMatch: [
      'https://www.tmall.com/',
      'https://list.tmall.com/search_product.htm?q=iphone',
      'https://apple.tmall.com/',
      'https://detail.tmall.com/item.htm',
      'https://item.taobao.com/item.htm?id=562283240178',
      'https://item.jd.com/100012043978.html',
      'https://www.walmart.com/ip/5146249010',
    ],
  },
};
