/**
 * Best Buy product pages: https://www.bestbuy.com/site/<slug>/<sku>.p?skuId=<sku>, the newer
 * /product/<slug>/<id> form, and bestbuy.ca /en-ca/product/<slug>/<sku>.
 *
 * productId is the SKU. The price is the full purchase price: on phones sold with carrier plans
 * the page's plan selector (window.pdp.planSelector, JSON) lists monthly and contract prices, and
 * the "STANDARD" plan is the retail price (the saved iPhone page's schema.org offer says $24.96,
 * which is per month). Otherwise the customer price element, then schema.org data. The seller is
 * Best Buy itself (isPlatform true) unless the page names a marketplace seller ("Sold by ...").
 */

import { normalizeGtin } from '../feed/gtin';
import { $, maybeText, metaContent, text } from './dom';
import { assignedJson, asText, bestOffer, pick, readSchemaProducts, scriptMatch } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['bestbuy.com', 'bestbuy.ca']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function skuFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  const path = url.pathname;
  const site = /^\/site\/(?:[^/]+\/)?(\d{5,10})\.p$/.exec(path);
  if (site?.[1]) {
    const q = url.searchParams.get('skuId');
    return q && /^\d{5,10}$/.test(q) ? q : site[1];
  }
  const product = /^\/product\/[^/]+\/([A-Za-z0-9]{6,12})(?:\/sku\/(\d{5,10}))?\/?$/.exec(path);
  if (product?.[1]) return product[2] ?? url.searchParams.get('skuId') ?? product[1];
  const ca = /^\/(?:en-ca\/product|fr-ca\/produit)\/[^/]+\/(\d{5,10})\/?$/.exec(path);
  return ca?.[1] ?? null;
}

function planPrice(doc: Document): ProductSnapshot['price'] {
  const selector = assignedJson(doc, 'window.pdp.planSelector =');
  const plans = pick(selector, ['plans']);
  if (!Array.isArray(plans)) return null;
  for (const plan of plans) {
    if (pick(plan, ['purchaseType']) !== 'STANDARD') continue;
    const current = pick(plan, ['priceDescription', 'currentPrice']);
    if (typeof current === 'number' && Number.isFinite(current) && current >= 0) {
      return { amount: current, currency: 'USD' };
    }
    const shown = asText(pick(plan, ['price']));
    return shown ? parsePrice(shown, { site: 'bestbuy.com' }) : null;
  }
  return null;
}

function domPrice(doc: Document, url: URL): ProductSnapshot['price'] {
  const el = $(doc, [
    '[data-testid="customer-price"] span[aria-hidden="true"]',
    '.priceView-hero-price.priceView-customer-price span[aria-hidden="true"]',
    '.priceView-customer-price span:first-child',
    '[data-testid="large-customer-price"]',
  ]);
  const t = text(el, 100);
  if (!t || /\/mo/i.test(t)) return null;
  return parsePrice(t, { site: url.hostname });
}

function marketplaceSeller(doc: Document): string | null {
  const name = maybeText(doc, [
    '[data-testid="marketplace-seller-name"]',
    '[data-testid="seller-name"]',
    '.marketplace-seller-name',
    '[class*="sold-by"] a',
  ]);
  return name && !/^best ?buy/i.test(name) ? name : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const sku = skuFromUrl(url);
  if (!sku) return null;
  const products = readSchemaProducts(doc);
  const product = products.find((p) => p.source === 'json-ld') ?? products[0] ?? null;
  const jsonLdOffer = bestOffer(products.find((p) => p.source === 'json-ld'));
  const microOffer = bestOffer(products.find((p) => p.source === 'microdata'));

  let price = planPrice(doc) ?? domPrice(doc, url);
  for (const offer of [jsonLdOffer, microOffer]) {
    if (price) break;
    if (offer?.price != null && offer.currency) price = { amount: offer.price, currency: offer.currency };
  }

  const upc = scriptMatch(doc, /upc_code\s*:\s*'(\d{8,14})'/) ?? scriptMatch(doc, /"upc"\s*:\s*"(\d{8,14})"/);
  const gtin = product?.gtin ?? (upc ? normalizeGtin(upc) : null);
  const brand =
    product?.brand ??
    scriptMatch(doc, /targetBrand\s*:\s*"([^"]{1,100})"/) ??
    scriptMatch(doc, /\bbrand\s*:\s*'([^']{1,100})'/);
  const thirdParty = marketplaceSeller(doc);
  const condition = (jsonLdOffer ?? microOffer)?.condition ?? null;

  return {
    marketplace: 'bestbuy',
    site: ownSite(url) ?? 'bestbuy.com',
    url: canonicalFor(url, ownSite(url), sku) ?? url.href,
    productId: sku,
    gtin,
    title:
      maybeText(doc, ['.sku-title h1', '#sku-title h1', 'h1.heading-5', 'h1']) ??
      product?.name ??
      metaContent(doc, 'og:title'),
    brand,
    price,
    seller: thirdParty
      ? { id: null, name: thirdParty, isPlatform: false }
      : { id: null, name: 'Best Buy', isPlatform: true },
    condition,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'bestbuy',
  marketplace: 'bestbuy',
  domains: [...DOMAINS],
  matches: (url) => skuFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'brand', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.bestbuy.com/site/apple-iphone-6s-64gb-space-gray-verizon/4447801.p?skuId=4447801',
      'https://www.bestbuy.com/site/sony-wh-1000xm5/6505727.p?skuId=6505727&intl=nosplash',
      'https://www.bestbuy.com/site/6505727.p',
      'https://www.bestbuy.com/product/apple-airpods-4-white/JJGCQXJ7R2',
      'https://www.bestbuy.ca/en-ca/product/apple-airpods-4-white/18356522',
      'https://www.bestbuy.ca/fr-ca/produit/apple-airpods-4-blanc/18356522',
    ],
    noMatch: [
      'https://www.bestbuy.com/',
      'https://www.bestbuy.com/site/searchpage.jsp?st=iphone',
      'https://www.bestbuy.com/site/electronics/mobile-cell-phones/abcat0800000.c?id=abcat0800000',
      'https://www.bestbuy.com/cart',
      'https://www.bestbuy.ca/en-ca/search?search=airpods',
      'https://www.walmart.com/ip/5146249010',
      'https://www.target.com/p/-/A-12345678',
    ],
  },
};
