/**
 * Walmart product pages.
 *
 * - walmart.com, walmart.ca, walmart.com.mx: /ip/<slug>/<item id> (Next.js). The data is the
 *   server-rendered JSON in <script id="__NEXT_DATA__"> (props.pageProps.initialData.data.product:
 *   usItemId, name, brand, upc, sellerName, catalogSellerId, priceInfo.currentPrice), read with
 *   JSON.parse; then schema.org JSON-LD; then the rendered DOM (h1#main-title,
 *   [itemprop="price"], the "Sold and shipped by" seller link /seller/<id>).
 * - Walmart Central America (walmart.com.ni, .com.gt, .com.sv, .com.hn, .co.cr; VTEX stores):
 *   product pages end in /p and carry schema.org JSON-LD. Their search pages
 *   (/7411000329702?map=ft, as in the saved page) are not product pages.
 *
 * Seller: Walmart itself ("Walmart.com", "Walmart", "Walmart Nicaragua", ...) is the platform;
 * a marketplace seller's id is its public catalog seller id (the number in /seller/<id>), else
 * Walmart's internal seller id. Condition: "Restored" is refurbished, "Pre-Owned" used.
 */
import { normalizeGtin } from '../feed/gtin';
import { $, attr, maybeText, metaContent, text } from './dom';
import { asText, bestOffer, pick, readSchemaProducts, scriptJsonById } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { Condition, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const IP_PATH = /^(?:\/(?:en|fr|es))?\/ip\/(?:[^/]+\/)?([A-Za-z0-9]{5,20})\/?$/;
const VTEX_DOMAINS = new Set([
  'walmart.com.ni',
  'walmart.com.gt',
  'walmart.com.sv',
  'walmart.com.hn',
  'walmart.co.cr',
]);
/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set([
  'walmart.com',
  'walmart.ca',
  'walmart.com.mx',
  ...VTEX_DOMAINS,
]);
const VTEX_PRODUCT = /^\/[^/]+\/p\/?$/;

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function isVtex(url: URL): boolean {
  return VTEX_DOMAINS.has(ownSite(url) ?? '');
}

function itemIdFromUrl(url: URL): string | null {
  if (isVtex(url) || !DOMAINS.has(ownSite(url) ?? '')) return null;
  return IP_PATH.exec(url.pathname)?.[1] ?? null;
}

function matches(url: URL): boolean {
  if (!DOMAINS.has(ownSite(url) ?? '')) return false;
  return isVtex(url) ? VTEX_PRODUCT.test(url.pathname) : itemIdFromUrl(url) !== null;
}

const PLATFORM_SELLER =
  /^walmart(?:\.com|\.ca|\.com\.mx)?(?:\s+(?:nicaragua|guatemala|el salvador|honduras|costa rica|méxico|mexico|canada|inc\.?))?$/i;
/** Walmart's own seller id in its product data. */
const WALMART_SELLER_ID = 'F55CDC31AB754BB68FE0B39041159D63';

function conditionOf(v: unknown): Condition | null {
  const s = asText(v)?.toLowerCase() ?? '';
  if (!s) return null;
  if (/restored|refurbished|renewed/.test(s)) return 'refurbished';
  if (/pre-?owned|used/.test(s)) return 'used';
  if (/^new\b/.test(s)) return 'new';
  return null;
}

function nextProduct(doc: Document): Record<string, unknown> | null {
  const next = scriptJsonById(doc, '__NEXT_DATA__');
  const product =
    pick(next, ['props', 'pageProps', 'initialData', 'data', 'product']) ??
    pick(next, ['props', 'pageProps', 'initialTempoData', 'data', 'product']);
  return product && typeof product === 'object' && !Array.isArray(product)
    ? (product as Record<string, unknown>)
    : null;
}

function nextPrice(product: Record<string, unknown> | null): ProductSnapshot['price'] {
  const current = pick(product, ['priceInfo', 'currentPrice']);
  const amount = pick(current, ['price']);
  const currency = asText(pick(current, ['currencyUnit']));
  if (
    typeof amount === 'number' &&
    Number.isFinite(amount) &&
    amount >= 0 &&
    currency &&
    /^[A-Z]{3}$/.test(currency)
  ) {
    return { amount, currency };
  }
  const shown = asText(pick(current, ['priceString']));
  return shown ? parsePrice(shown, { site: 'walmart.com' }) : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  if (!matches(url)) return null;
  const site = ownSite(url) ?? 'walmart.com';
  const product = nextProduct(doc);
  const schema =
    readSchemaProducts(doc).find((p) => p.type === 'Product' || p.type === 'ProductGroup') ?? null;
  const offer = bestOffer(schema);

  const productId =
    asText(pick(product, ['usItemId'])) ?? itemIdFromUrl(url) ?? schema?.sku ?? schema?.productId ?? null;

  let price = nextPrice(product);
  if (!price) {
    const t = text($(doc, ['[data-testid="price-wrap"] [itemprop="price"]', 'span[itemprop="price"]']), 100);
    price = t ? parsePrice(t, { site: url.hostname }) : null;
  }
  if (!price && offer?.price != null && offer.currency)
    price = { amount: offer.price, currency: offer.currency };

  // Seller: embedded data, then the rendered "Sold and shipped by" link, then schema.org.
  const sellerLink = $(doc, [
    'a[data-testid="seller-name-link"]',
    '[data-testid="product-seller-info"] a[href*="/seller/"]',
  ]);
  const sellerName =
    asText(pick(product, ['sellerDisplayName'])) ??
    asText(pick(product, ['sellerName'])) ??
    (text(sellerLink, 300) || null) ??
    offer?.seller?.name ??
    null;
  const internalId = asText(pick(product, ['sellerId']));
  const catalogId = asText(pick(product, ['catalogSellerId']));
  const linkId = /\/seller\/(\d{1,15})/.exec(attr(sellerLink, 'href') ?? '')?.[1] ?? null;
  const isPlatform =
    (sellerName !== null && PLATFORM_SELLER.test(sellerName)) || internalId === WALMART_SELLER_ID;
  const sellerId = isPlatform
    ? null
    : ((catalogId && catalogId !== '0' ? catalogId : null) ?? linkId ?? internalId);
  const seller = sellerName || sellerId || isPlatform ? { id: sellerId, name: sellerName, isPlatform } : null;

  const upc = asText(pick(product, ['upc'])) ?? asText(pick(product, ['gtin13']));
  return {
    marketplace: 'walmart',
    site,
    url: canonicalFor(url, ownSite(url), productId) ?? url.href,
    productId,
    gtin: (upc ? normalizeGtin(upc) : null) ?? schema?.gtin ?? null,
    title:
      asText(pick(product, ['name'])) ??
      maybeText(doc, ['h1#main-title', 'h1[itemprop="name"]']) ??
      schema?.name ??
      maybeText(doc, 'h1') ??
      metaContent(doc, 'og:title'),
    brand:
      asText(pick(product, ['brand'])) ?? schema?.brand ?? maybeText(doc, ['a[data-seo-id="brand-name"]']),
    price,
    seller,
    condition:
      conditionOf(pick(product, ['conditionType'])) ??
      conditionOf(pick(product, ['condition'])) ??
      offer?.condition ??
      schema?.condition ??
      null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'walmart',
  marketplace: 'walmart',
  domains: [...DOMAINS],
  matches,
  extract,
  expected: ['productId', 'title', 'brand', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.walmart.com/ip/Heinz-Tomato-Ketchup-38-oz-Bottle/10451001',
      'https://www.walmart.com/ip/5146249010',
      'https://www.walmart.com/ip/Apple-AirPods-Pro-2nd-Generation/5689919121?classType=REGULAR',
      'https://www.walmart.ca/en/ip/heinz-tomato-ketchup/6000196100516',
      'https://www.walmart.com.mx/ip/salsa-catsup-heinz-397-g/00001300000464',
      'https://www.walmart.com.ni/salsa-de-tomate-ketchup-heinz-397g/p',
    ],
    noMatch: [
      'https://www.walmart.com/',
      'https://www.walmart.com/search?q=ketchup',
      'https://www.walmart.com/browse/food/ketchup/976759_976794',
      'https://www.walmart.com/cart',
      'https://www.walmart.com/seller/101012345',
      'https://www.walmart.com.ni/7411000329702?map=ft',
      'https://www.walmart.com.ni/abarrotes',
      'https://www.target.com/p/-/A-12345678',
      'https://www.bestbuy.com/site/6505727.p',
    ],
  },
};
