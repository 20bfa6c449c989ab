/**
 * AliExpress item pages: https://www.aliexpress.com/item/<id>.html on every language host
 * (he., pt., de., ...), aliexpress.us and aliexpress.ru.
 *
 * Two layouts are read:
 * - server-rendered (2019-2022): `window.runParams = { data: {...} }` holds the modules
 *   (titleModule.subject, storeModule.storeNum/storeName, priceModule, specsModule.props,
 *   commonModule.currencyCode), read as JSON text, never evaluated;
 * - client-rendered (current): the page ships an empty shell (`window._d_c_.isCSR = true`) and the
 *   product appears in the DOM: h1[data-pl="product-title"], the current-price element, the store
 *   link /store/<number>. The content script reads the rendered DOM, so both work live; a saved
 *   shell without its rendered DOM gives productId and title (og:title) only.
 *
 * Seller id is the store number (feed-format.md section 5). A price range (variations not chosen)
 * gives no price: it is not the one offer the buy button buys.
 */
import { $, $$, attr, maybeText, metaContent, text } from './dom';
import { asText, balancedJsonAt, findKey, inlineScripts, pick } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const ITEM_PATH = /^\/(?:item|i)\/(?:[^/]+\/)?(\d{6,20})\.html$/;

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['aliexpress.com', 'aliexpress.us', 'aliexpress.ru']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function itemIdFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  return ITEM_PATH.exec(url.pathname)?.[1] ?? null;
}

/** The `data` object of `window.runParams = { data: {...} }`, or null. */
function runParamsData(doc: Document): Record<string, unknown> | null {
  for (const script of inlineScripts(doc)) {
    const at = script.indexOf('window.runParams');
    if (at < 0) continue;
    const m = /["']?data["']?\s*:/.exec(script.slice(at, at + 2000));
    if (!m) continue;
    const value = balancedJsonAt(script, at + m.index + m[0].length);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  }
  return null;
}

type Money = { value: number; currency: string };

function money(v: unknown): Money | null {
  const value = pick(v, ['value']);
  const currency = pick(v, ['currency']);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return null;
  return { value, currency };
}

/**
 * One price when the page shows one (min === max), null for a range. Reads priceModule (2019-2021)
 * or, wherever it sits, the same min/max amount objects (priceComponent in 2022-2023 pages).
 */
function priceFromData(data: Record<string, unknown> | null): Money | null {
  if (!data) return null;
  const module = pick(data, ['priceModule']) ?? data;
  const isMoney = (v: unknown) => money(v) !== null;
  const minA = money(findKey(module, 'minActivityAmount', isMoney));
  const maxA = money(findKey(module, 'maxActivityAmount', isMoney));
  if (minA && maxA) return minA.value === maxA.value && minA.currency === maxA.currency ? minA : null;
  const min = money(findKey(module, 'minAmount', isMoney));
  const max = money(findKey(module, 'maxAmount', isMoney));
  if (min && max) return min.value === max.value && min.currency === max.currency ? min : null;
  return null;
}

const BRAND_LABEL =
  /^(brand name|brand|marca|nome da marca|nombre de la marca|marque|nom de marque|markenname|marke|название бренда|бренд|marchio|nome del marchio|merknaam|marka|ブランド名|브랜드 이름|שם מותג|اسم العلامة التجارية)$/i;

function brandFromSpecs(data: Record<string, unknown> | null, doc: Document): string | null {
  const props = pick(data, ['specsModule', 'props']);
  if (Array.isArray(props)) {
    for (const p of props) {
      // attrNameId 2 is AliExpress's "Brand Name" attribute in every language.
      if (pick(p, ['attrNameId']) === 2 || BRAND_LABEL.test(asText(pick(p, ['attrName'])) ?? '')) {
        const v = asText(pick(p, ['attrValue']));
        if (v && !/^(none|no brand|sem marca|sin marca|ohne marke|نعم|other|outros|otros)$/i.test(v))
          return v;
      }
    }
  }
  for (const row of $$(doc, '[class*="specification--prop"], .product-prop, .product-specs-list li', 200)) {
    const label = text(
      $(row, ['[class*="specification--title"]', '.property-title', '.property-desc-title']),
      100,
    )
      .replace(/[:\s]+$/, '')
      .trim();
    if (BRAND_LABEL.test(label)) {
      const v = text(
        $(row, ['[class*="specification--desc"]', '.property-desc', '.property-desc-value']),
        200,
      );
      if (v) return v;
    }
  }
  return null;
}

function titleFromOg(doc: Document): string | null {
  const og = metaContent(doc, 'og:title');
  if (!og) return null;
  const base = og.replace(/\s*-\s*AliExpress\s*[\d.]*\s*$/i, '').trim();
  const parts = base
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  return parts.reduce((a, b) => (b.length > a.length ? b : a));
}

function storeFromDom(doc: Document): { id: string | null; name: string | null } | null {
  const link = $(doc, [
    'a[data-pl="store-name"]',
    '[class*="store-detail--storeName"] a',
    'a[class*="store-detail--storeName"]',
    'a[class*="store-header--storeName"]',
    '[class*="store-info--name"] a',
    '[class*="shop-name"] a',
    'h3.store-name a',
    '.store-name a',
  ]);
  const name = text(link, 300) || null;
  const href =
    attr(link, 'href') ??
    attr($(doc, 'a[href*="/store/"][data-pl], .store-container a[href*="/store/"]'), 'href');
  const id = href ? (/\/store\/(?:[a-z-]+\/)?(\d{3,15})(?:[/.?#]|$)/.exec(href)?.[1] ?? null) : null;
  return name || id ? { id, name } : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const urlId = itemIdFromUrl(url);
  if (!urlId) return null;
  const data = runParamsData(doc);
  const productId =
    asText(pick(data, ['commonModule', 'productId'])) ??
    asText(pick(data, ['actionModule', 'productId'])) ??
    urlId;

  const title =
    asText(pick(data, ['titleModule', 'subject'])) ??
    asText(findKey(data, 'subject', (v) => typeof v === 'string' && v.trim() !== '')) ??
    maybeText(doc, [
      'h1[data-pl="product-title"]',
      '.product-title-text',
      'h1.product-title',
      '[class*="title--wrap"] h1',
    ]) ??
    titleFromOg(doc);

  const store = (() => {
    const storeNum = asText(pick(data, ['storeModule', 'storeNum'])) ?? asText(findKey(data, 'storeNum'));
    const storeName = asText(pick(data, ['storeModule', 'storeName'])) ?? asText(findKey(data, 'storeName'));
    if (storeNum || storeName) return { id: storeNum, name: storeName };
    return storeFromDom(doc);
  })();

  const site = ownSite(url) ?? 'aliexpress.com';
  let price: ProductSnapshot['price'] = null;
  const fromModule = priceFromData(data);
  if (fromModule) price = { amount: fromModule.value, currency: fromModule.currency };
  else if (!data) {
    // Client-rendered layout: the rendered price element.
    const priceText = maybeText(doc, [
      '[class*="price--currentPriceText"]',
      '.product-price-current',
      '.pdp-comp-price-current',
      '.uniform-banner-box-price',
    ]);
    price = priceText ? parsePrice(priceText, { site: url.hostname }) : null;
  }

  return {
    marketplace: 'aliexpress',
    site,
    url: canonicalFor(url, ownSite(url), productId) ?? `https://${url.host}/item/${productId}.html`,
    productId,
    gtin: null,
    title,
    brand: brandFromSpecs(data, doc),
    price,
    seller: store ? { id: store.id, name: store.name, isPlatform: false } : null,
    condition: null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'aliexpress',
  marketplace: 'aliexpress',
  domains: [...DOMAINS],
  matches: (url) => itemIdFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.aliexpress.com/item/1005006283071432.html',
      'https://he.aliexpress.com/item/32993251330.html',
      'https://pt.aliexpress.com/item/1005009463783046.html?spm=a2g0o.home.0.0',
      'https://www.aliexpress.us/item/3256805974680622.html',
      'https://aliexpress.ru/item/1005004871155042.html',
      'https://m.aliexpress.com/item/1005006283071432.html',
    ],
    noMatch: [
      'https://www.aliexpress.com/',
      'https://www.aliexpress.com/w/wholesale-iphone.html',
      'https://www.aliexpress.com/store/1392990',
      'https://he.aliexpress.com/store/all-wholesale-products/1392990.html',
      'https://www.aliexpress.com/category/5090301/mobile-phones.html',
      'https://shoppingcart.aliexpress.com/shopcart/shopcartDetail.htm',
      'https://www.ebay.com/itm/226771798286',
      'https://item.taobao.com/item.htm?id=562283240178',
      'https://www.amazon.com/dp/B0DR8G428S',
    ],
  },
};
