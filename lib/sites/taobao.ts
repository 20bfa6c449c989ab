/**
 * Taobao item pages: https://item.taobao.com/item.htm?id=<id>, world.taobao.com/item/<id>.htm and
 * the mobile detail pages (h5.m.taobao.com/awp/core/detail.htm?id=<id>).
 *
 * Also exports readAlibabaItem(), shared with the Tmall adapter (same company, same page kinds):
 * - the classic layout: `var g_config = { sellerId: '...', shopName: '...' }` (a JavaScript
 *   literal, read with a regular expression, never evaluated), `TShop.Setup({...})` JSON on
 *   Tmall, `<meta name="microscope-data" content="...;userid=<seller id>;">`, the title in
 *   .tb-main-title / .tb-detail-hd h1, the price in #J_StrPrice / .tm-price, the attribute list
 *   ("品牌: <brand>");
 * - the current React layout (2023-): CSS-module classes such as ItemHeader--mainTitle--xxxx,
 *   Price--priceText--xxxx, ShopHeader--title--xxxx, matched by their stable prefix.
 *
 * Seller id is the Taobao/Tmall numeric seller (user) id. Prices are CNY. A price range (no SKU
 * chosen) gives no price.
 */
import { $, $$, attr, maybeAttr, maybeText, metaContent, text } from './dom';
import { assignedJson, asText, findKey, scriptMatch } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { Marketplace, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

/** Item id from ?id=<digits> on a detail path, or from /item/<digits>.htm, on one of `domains`. */
export function alibabaItemId(url: URL, detailPaths: RegExp, domains: ReadonlySet<string>): string | null {
  if (siteIn(url, domains) === null) return null;
  const fromPath = /^\/item\/(\d{6,20})\.html?$/.exec(url.pathname)?.[1];
  if (fromPath) return fromPath;
  if (!detailPaths.test(url.pathname)) return null;
  const id = url.searchParams.get('id') ?? url.searchParams.get('itemId');
  return id && /^\d{6,20}$/.test(id) ? id : null;
}

/** Decodes \uXXXX escapes in a JavaScript string literal's body. */
function unescapeJs(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** Shops Alibaba itself runs: the marketplace is the seller. */
const PLATFORM_SHOPS = /^(天猫超市|天猫国际官方直营|天猫国际进口超市|猫超)/;

function sellerIdFromPage(doc: Document): string | null {
  const fromConfig = scriptMatch(doc, /\bsellerId\s*:\s*['"]?(\d{4,15})['"]?/);
  if (fromConfig) return fromConfig;
  const setup = assignedJson(doc, 'TShop.Setup(');
  const userId = asText(findKey(setup, 'userId', (v) => /^\d{4,15}$/.test(String(v))));
  if (userId) return userId;
  const microscope = metaContent(doc, 'microscope-data');
  const fromMeta = microscope ? /(?:^|;)\s*userid=(\d{4,15})/i.exec(microscope)?.[1] : null;
  if (fromMeta) return fromMeta;
  const fromJson = scriptMatch(doc, /["'](?:sellerId|sellerUserId|userId)["']\s*:\s*["']?(\d{4,15})["']?/);
  if (fromJson) return fromJson;
  const href = maybeAttr(
    doc,
    ['a[href*="user_number_id="]', 'a[href*="sellerId="]', 'a[href*="seller_id="]'],
    'href',
  );
  return href ? (/(?:user_number_id|sellerId|seller_id)=(\d{4,15})/.exec(href)?.[1] ?? null) : null;
}

function shopNameFromPage(doc: Document): string | null {
  const fromDom = maybeText(doc, [
    '[class*="ShopHeader--title--"]',
    '[class*="shopName--"]',
    '.tb-shop-name a',
    '.slogo-shopname strong',
    '.shop-name-link',
    '.tb-seller-name',
  ]);
  if (fromDom) return fromDom;
  const fromAttr = maybeAttr(doc, '.tb-shop-name a[title]', 'title');
  if (fromAttr) return fromAttr;
  const fromConfig = scriptMatch(doc, /\bshopName\s*:\s*'((?:[^'\\]|\\.){1,200})'/);
  return fromConfig ? unescapeJs(fromConfig) : null;
}

function brandFromAttributes(doc: Document): string | null {
  const rows = [
    ...$$(doc, '.attributes-list li, #J_AttrUL li, ul.tm-attributes li', 300),
    ...$$(
      doc,
      '[class*="infoItem--"], [class*="BasicContent--itemProps"] li, [class*="emphasisParamsInfoItem--"]',
      300,
    ),
  ];
  for (const row of rows) {
    const title = text(
      $(row, ['[class*="infoItemTitle--"]', '[class*="emphasisParamsInfoItemSubTitle--"]']),
      50,
    );
    if (title) {
      if (/^品牌$/.test(title.replace(/[:：\s]/g, ''))) {
        const v = text(
          $(row, ['[class*="infoItemContent--"]', '[class*="emphasisParamsInfoItemTitle--"]']),
          200,
        );
        if (v) return v;
      }
      continue;
    }
    const whole = text(row, 300);
    const m = /^品牌\s*[:：]\s*(.+)$/.exec(whole);
    if (m?.[1]) return attr(row, 'title') ?? m[1].trim();
  }
  return maybeText(doc, ['#J_BrandAttr .J_EbrandLogo', '.tb-brand-name']);
}

function titleFromPage(doc: Document): string | null {
  return (
    maybeText(doc, ['[class*="ItemHeader--mainTitle--"]', '[class*="mainTitle--"]', '.tb-detail-hd h1']) ??
    maybeAttr(doc, '.tb-main-title', 'data-title') ??
    maybeText(doc, ['.tb-main-title', 'h1[data-spm="1000983"]']) ??
    (() => {
      const t = metaContent(doc, 'og:title') ?? text(doc.querySelector('title'), 500);
      const cleaned = t?.replace(/\s*[-–]\s*(淘宝网|天猫|tmall\.com天猫|Tmall\.com|Taobao)\s*$/i, '').trim();
      return cleaned || null;
    })()
  );
}

function priceFromPage(doc: Document, url: URL): ProductSnapshot['price'] {
  // Promotion price first: it is what the buy button charges.
  const el = $(doc, [
    '[class*="highlightPrice--"] [class*="text--"]',
    '[class*="Price--priceText--"]',
    '.tm-promo-price .tm-price',
    '#J_PromoPriceNum',
    '#J_PromoPrice .tb-rmb-num',
    '#J_StrPriceModBox .tm-price',
    '#J_StrPrice .tb-rmb-num',
    '.tb-rmb-num',
  ]);
  const t = text(el, 100);
  if (!t) return null;
  return parsePrice(/[¥￥元]/.test(t) ? t : `¥${t}`, { site: url.hostname, currency: 'CNY' });
}

/**
 * Reads a Taobao or Tmall item page (see the module comment) on one of `domains` (the adapter's),
 * `fallbackSite` naming the site should the URL be on none of them.
 */
export function readAlibabaItem(
  doc: Document,
  url: URL,
  marketplace: Marketplace,
  itemId: string,
  domains: ReadonlySet<string>,
  fallbackSite: string,
): ProductSnapshot {
  const site = siteIn(url, domains);
  const sellerId = sellerIdFromPage(doc);
  const shopName = shopNameFromPage(doc);
  return {
    marketplace,
    site: site ?? fallbackSite,
    url: canonicalFor(url, site, itemId) ?? `https://${url.host}${url.pathname}?id=${itemId}`,
    productId: itemId,
    gtin: null,
    title: titleFromPage(doc),
    brand: brandFromAttributes(doc),
    price: priceFromPage(doc, url),
    seller:
      sellerId || shopName
        ? { id: sellerId, name: shopName, isPlatform: shopName !== null && PLATFORM_SHOPS.test(shopName) }
        : null,
    condition: null,
  };
}

const DOMAINS: ReadonlySet<string> = new Set(['taobao.com']);
const DETAIL_PATHS = /^\/(?:item\.htm|awp\/core\/detail\.htm|detail\/index\.html|i\/item\.htm)$/;

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'taobao',
  marketplace: 'taobao',
  domains: [...DOMAINS],
  matches: (url) => alibabaItemId(url, DETAIL_PATHS, DOMAINS) !== null,
  extract: (doc, url) => {
    const id = alibabaItemId(url, DETAIL_PATHS, DOMAINS);
    return id ? readAlibabaItem(doc, url, 'taobao', id, DOMAINS, 'taobao.com') : null;
  },
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://item.taobao.com/item.htm?id=562283240178',
      'https://item.taobao.com/item.htm?spm=a230r.1.14.1&id=562283240178&ns=1',
      'https://world.taobao.com/item/562283240178.htm',
      'https://h5.m.taobao.com/awp/core/detail.htm?id=562283240178',
      'https://main.m.taobao.com/detail/index.html?id=562283240178',
    ],
    noMatch: [
      'https://www.taobao.com/',
      'https://s.taobao.com/search?q=keyboard',
      'https://shop64592671.taobao.com/',
      'https://cart.taobao.com/cart.htm',
      'https://item.taobao.com/item.htm',
      'https://item.taobao.com/item.htm?id=abc',
      'https://detail.tmall.com/item.htm?id=562283240178',
      'https://item.jd.com/100012043978.html',
      'https://www.aliexpress.com/item/1005006283071432.html',
    ],
  },
};
