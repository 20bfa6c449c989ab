import type { SiteAdapter } from './types';

/**
 * Where Genuine runs and where its badge goes on each marketplace's product page.
 *
 * PRICE_ANCHORS maps an adapter's name to selectors for the element the badge is placed after:
 * the price of the offer the buy button buys, in order of preference (the current layout first,
 * older and mobile layouts after, the product title as a last resort so that a page without a
 * price still gets its badge near the product). When nothing matches, the content script shows
 * the badge floating in a corner instead. Checked against the saved real pages in
 * ../shared/pages by test/unit/content/anchors.test.ts.
 *
 * Pure data and DOM reads; no browser.* (the content script and its tests import it).
 */
export const PRICE_ANCHORS: Readonly<Record<string, readonly string[]>> = {
  amazon: [
    '#corePriceDisplay_desktop_feature_div',
    '#corePrice_desktop',
    '#corePrice_feature_div',
    '#corePriceDisplay_mobile_feature_div',
    '#apex_desktop',
    '#apex_price',
    '#price_inside_buybox',
    '#newBuyBoxPrice',
    '#priceblock_dealprice',
    '#priceblock_saleprice',
    '#priceblock_ourprice',
    '#price',
    '#kindle-price',
    '#newOfferAccordionRow .header-price',
    '#tmmSwatches',
    '#title_feature_div',
    '#productTitle',
  ],
  ebay: [
    '[data-testid="x-price-primary"]',
    '.x-price-primary',
    '.x-bin-price',
    '#prcIsum',
    '#mm-saleDscPrc',
    'h1.x-item-title__mainTitle',
  ],
  walmart: [
    '[data-seo-id="hero-price"]',
    '[data-testid="price-wrap"]',
    '[itemprop="price"]',
    'h1#main-title',
    'h1[itemprop="name"]',
  ],
  aliexpress: [
    '[class*="price-default--current"]',
    '[class*="price--current"]',
    '.product-price-current',
    '.product-price',
    'h1[data-pl="product-title"]',
    '.product-title-text',
  ],
  taobao: [
    '[class*="Price--priceText"]',
    '[class*="highlightPrice"]',
    '#J_StrPriceModBox',
    '#J_PromoPrice',
    '.tb-rmb-num',
    '[class*="ItemHeader--mainTitle"]',
    '#J_Title',
    '.tb-main-title',
  ],
  tmall: [
    '[class*="Price--priceText"]',
    '[class*="highlightPrice"]',
    '.tm-price-panel',
    '#J_StrPriceModBox',
    '.tm-price',
    '[class*="ItemHeader--mainTitle"]',
    '.tb-detail-hd h1',
  ],
  jd: ['.summary-price-wrap', '.summary-price', '.p-price', '#jd-price', '.sku-name'],
  etsy: ['[data-buy-box-region="price"]', '[data-selector="price-only"]', 'h1[data-buy-box-listing-title]'],
  target: ['[data-test="product-price"]', 'h1[data-test="product-title"]'],
  bestbuy: [
    '[data-testid="customer-price"]',
    '.priceView-hero-price',
    '.priceView-customer-price',
    '.pricing-price',
    '.plan-selector',
    '.sku-title h1',
  ],
  shopee: ['[class*="product-price"]', '.pqTWkA', '.IZPeQz'],
  lazada: ['.pdp-product-price', '.pdp-price', '.pdp-mod-product-badge-title'],
  temu: ['[class*="goodsPrice"]', '[aria-label*="price" i]'],
  mercadolibre: ['.ui-pdp-price__second-line', '.ui-pdp-price', 'h1.ui-pdp-title'],
  rakuten: ['.price2', '#priceCalculationConfig', '.item_name'],
  flipkart: ['.Nx9bqj', '._30jeq3', '._16Jk6d', 'h1'],
  mercari: ['[data-testid="price"]', '[data-testid="name"]'],
  'schema-org': ['[itemprop="offers"] [itemprop="price"]', '[itemprop="price"]', 'h1'],
};

function visible(el: Element): boolean {
  // Layout-less DOMs (tests) report empty boxes for everything: the "any match" fallback covers them.
  if (typeof el.getClientRects !== 'function') return false;
  return [...el.getClientRects()].some((r) => r.width > 0 || r.height > 0);
}

function all(doc: Document, selector: string): Element[] {
  try {
    return [...doc.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

/**
 * The element to put the badge after: the first selector of the adapter's list with a visible
 * match, else the first with any match; null when none (show the badge floating). `fallbackKey`
 * (the snapshot's marketplace) is tried when the adapter has no list of its own.
 */
export function findAnchor(
  doc: Document,
  adapter: string | null,
  fallbackKey: string | null = null,
): Element | null {
  const list =
    (adapter !== null ? PRICE_ANCHORS[adapter] : undefined) ??
    (fallbackKey !== null ? PRICE_ANCHORS[fallbackKey] : undefined) ??
    [];
  let firstAny: Element | null = null;
  for (const selector of list) {
    const found = all(doc, selector).filter((el) => el.localName !== 'genuine-badge');
    const shown = found.find(visible);
    if (shown) return shown;
    if (firstAny === null && found[0]) firstAny = found[0];
  }
  return firstAny;
}

/**
 * Content script match patterns for the adapters' registrable domains: "*://*.amazon.com/*"
 * matches amazon.com and every subdomain (www., smile., m.), over http and https.
 */
export function matchPatterns(adapters: readonly Pick<SiteAdapter, 'domains'>[]): string[] {
  const out = new Set<string>();
  for (const a of adapters) for (const d of a.domains) out.add(`*://*.${d}/*`);
  return [...out].sort();
}
