/**
 * Mercado Libre / Mercado Livre item pages in every country:
 *   https://articulo.mercadolibre.com.ar/MLA-1234567890-slug-_JM   (an item: productId MLA1234567890)
 *   https://produto.mercadolivre.com.br/MLB-1234567890-slug-_JM
 *   https://www.mercadolibre.com.mx/slug/p/MLM12345678             (a catalog product page; the
 *       item on sale is ?pdp_filters=item_id:MLM..., or the state's item_id; else the catalog id)
 *   https://www.mercadolibre.com.ar/slug/up/MLAU123456789          (a "user product" page)
 * Search and list pages (listado.mercadolibre..., lista.mercadolivre...) are not product pages.
 *
 * Reads schema.org JSON-LD (name, brand, GTIN, offer price, condition), the server-rendered
 * state (__PRELOADED_STATE__, a JSON script or assignment: seller_id, item_id, price,
 * currency_id), and the rendered DOM (price meta, "Vendido por <seller>", "Nuevo | ..." subtitle).
 * Prices are in the site's currency (ARS, BRL, MXN, ...); Mercado Libre does not sell itself, so
 * isPlatform is false.
 */
import { $, maybeAttr, maybeText, metaContent, text } from './dom';
import { assignedJson, asText, bestOffer, findKey, readSchemaProducts, scriptJsonById } from './jsonld';
import { parseAmount, parsePrice, siteCurrency } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { Condition, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const SITE_CODE = 'M(?:LA|LB|LM|CO|LC|LU|PE|LV|EC|BO|PY|RD|CR|PA|GT|HN|NI|SV)';
const ITEM_PATH = new RegExp(`^/(${SITE_CODE})-?(\\d{6,15})(?:-|/|$)`);
const CATALOG_PATH = new RegExp(`^/(?:[^/]+/)?p/(${SITE_CODE}\\d{5,15})/?$`);
const USER_PRODUCT_PATH = new RegExp(`^/(?:[^/]+/)?up/(${SITE_CODE}U\\d{5,15})/?$`);
const ITEM_ID = new RegExp(`^${SITE_CODE}\\d{6,15}$`);

function isListHost(url: URL): boolean {
  return /^(?:listado|lista|listas)\./.test(url.hostname);
}

type UrlId = { id: string; kind: 'item' | 'catalog' };

/** The id the URL names: an item id (MLA1234567890) or a catalog/user-product id; null otherwise. */
function idFromUrl(url: URL): UrlId | null {
  if (isListHost(url) || !DOMAIN_SET.has(ownSite(url) ?? '')) return null;
  const item = ITEM_PATH.exec(url.pathname);
  if (item) return { id: `${item[1]}${item[2]}`, kind: 'item' };
  const filter = /item_id:([A-Z]{3}\d{6,15})/.exec(url.searchParams.get('pdp_filters') ?? '')?.[1];
  const catalog = CATALOG_PATH.exec(url.pathname)?.[1] ?? USER_PRODUCT_PATH.exec(url.pathname)?.[1] ?? null;
  if (!catalog) return null;
  return filter && ITEM_ID.test(filter) ? { id: filter, kind: 'item' } : { id: catalog, kind: 'catalog' };
}

function conditionFromText(t: string | null): Condition | null {
  if (!t) return null;
  const s = t.toLowerCase();
  if (/reacondicionad|recondicionad/.test(s)) return 'refurbished';
  if (/^usad|\busad[oa]\b/.test(s)) return 'used';
  if (/^nuev|^novo|\bnuevo\b|\bnovo\b/.test(s)) return 'new';
  return null;
}

function preloadedState(doc: Document): unknown {
  return scriptJsonById(doc, '__PRELOADED_STATE__') ?? assignedJson(doc, 'window.__PRELOADED_STATE__ =');
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const urlId = idFromUrl(url);
  if (!urlId) return null;
  const site = ownSite(url) ?? 'mercadolibre.com.ar';
  const state = preloadedState(doc);
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(product);

  // On a catalog page the item on sale (the buy box's) is the product; the state names it.
  const stateItem = asText(findKey(state, 'item_id', (v) => typeof v === 'string' && ITEM_ID.test(v)));
  const productId = urlId.kind === 'item' ? urlId.id : (stateItem ?? urlId.id);

  let price: ProductSnapshot['price'] =
    offer?.price != null && offer.currency ? { amount: offer.price, currency: offer.currency } : null;
  if (!price) {
    const amount = parseAmount(
      maybeAttr(doc, ['.ui-pdp-price__second-line meta[itemprop="price"]'], 'content'),
    );
    const currency = asText(findKey(state, 'currency_id')) ?? siteCurrency(site);
    if (amount !== null && currency) price = { amount, currency };
  }
  if (!price) {
    const t = text($(doc, ['.ui-pdp-price__second-line .andes-money-amount']), 100);
    price = t ? parsePrice(t, { site }) : null;
  }

  const sellerId = asText(findKey(state, 'seller_id', (v) => /^\d{1,15}$/.test(String(v))));
  const rawSeller = maybeText(doc, [
    '.ui-pdp-seller__link-trigger-button',
    '.ui-pdp-seller__link-trigger',
    '[class*="ui-seller-data-header__title"]',
    '.ui-pdp-seller__header__title',
  ]);
  const sellerName =
    rawSeller?.replace(/^(?:vendido por|tienda oficial|loja oficial)\s*/i, '').trim() || null;

  return {
    marketplace: 'mercadolibre',
    site,
    url: canonicalFor(url, ownSite(url), productId) ?? url.href,
    productId,
    gtin: product?.gtin ?? null,
    title: product?.name ?? maybeText(doc, ['h1.ui-pdp-title', 'h1']) ?? metaContent(doc, 'og:title'),
    brand: product?.brand ?? null,
    price,
    seller: sellerId || sellerName ? { id: sellerId, name: sellerName, isPlatform: false } : null,
    condition:
      offer?.condition ??
      conditionFromText(asText(findKey(state, 'item_condition')) ?? null) ??
      conditionFromText(maybeText(doc, ['.ui-pdp-header__subtitle', '.ui-pdp-subtitle'])),
  };
}

const DOMAINS = [
  'mercadolibre.com.ar',
  'mercadolibre.com.mx',
  'mercadolibre.com.co',
  'mercadolibre.cl',
  'mercadolibre.com.uy',
  'mercadolibre.com.pe',
  'mercadolibre.com.ve',
  'mercadolibre.com.ec',
  'mercadolibre.com.bo',
  'mercadolibre.com.py',
  'mercadolibre.com.do',
  'mercadolibre.co.cr',
  'mercadolibre.com.pa',
  'mercadolibre.com.gt',
  'mercadolibre.com.hn',
  'mercadolibre.com.ni',
  'mercadolibre.com.sv',
  'mercadolivre.com.br',
];

const DOMAIN_SET: ReadonlySet<string> = new Set(DOMAINS);

/** The registrable domain of a Mercado Libre URL; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAIN_SET);
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'mercadolibre',
  marketplace: 'mercadolibre',
  domains: DOMAINS,
  matches: (url) => idFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://articulo.mercadolibre.com.ar/MLA-1410000000-notebook-lenovo-ideapad-_JM',
      'https://produto.mercadolivre.com.br/MLB-3456789012-fone-bluetooth-_JM#position=1',
      'https://www.mercadolibre.com.mx/apple-iphone-15-128-gb-negro/p/MLM27172677',
      'https://www.mercadolibre.com.ar/notebook-lenovo/p/MLA28458396?pdp_filters=item_id:MLA1410000000',
      'https://www.mercadolibre.com.ar/notebook-lenovo/up/MLAU123456789',
      'https://articulo.mercadolibre.cl/MLC-1234567890-zapatillas-_JM',
    ],
    noMatch: [
      'https://www.mercadolibre.com.ar/',
      'https://listado.mercadolibre.com.ar/notebook',
      'https://lista.mercadolivre.com.br/fone-bluetooth',
      'https://www.mercadolibre.com.ar/ofertas',
      'https://www.mercadolibre.com.ar/tienda/lenovo',
      'https://www.mercadolibre.com.mx/c/celulares-y-telefonos',
      'https://www.amazon.com.br/dp/B0DKLQT9XR',
      'https://www.walmart.com.mx/ip/salsa-catsup-heinz-397-g/00001300000464',
    ],
  },
};
