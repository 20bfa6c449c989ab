/**
 * Flipkart product pages: https://www.flipkart.com/<slug>/p/itm<id>?pid=<variation>.
 *
 * productId is the itm… id from the path (lower-cased); schema.org JSON-LD gives the name, brand
 * and offer price (INR); the seller is the buy box's "Seller" name (#sellerName). Flipkart is a
 * marketplace: every seller, "Flipkart Assured" or not, is a third party (isPlatform false);
 * Flipkart shows no seller id on the product page.
 */
import { $, maybeText, metaContent, text } from './dom';
import { bestOffer, readSchemaProducts } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const PRODUCT_PATH = /^\/(?:[^/]+\/){0,2}p\/(itm[0-9a-z]{8,24})\/?$/i;

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['flipkart.com']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function itemIdFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  return PRODUCT_PATH.exec(url.pathname)?.[1]?.toLowerCase() ?? null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const id = itemIdFromUrl(url);
  if (!id) return null;
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(product);
  let price: ProductSnapshot['price'] =
    offer?.price != null && offer.currency ? { amount: offer.price, currency: offer.currency } : null;
  if (!price) {
    const t = text($(doc, ['div.Nx9bqj.CxhGGd', 'div._30jeq3._16Jk6d', 'div[class*="CxhGGd"]']), 100);
    price = t ? parsePrice(t, { site: 'flipkart.com' }) : null;
  }
  // The seller's rating ("4.6") sits beside the name; only the first span is the name.
  const sellerName =
    maybeText(doc, ['#sellerName > span > span', '#sellerName span span']) ??
    maybeText(doc, '#sellerName')?.replace(/\s*\d(?:\.\d)?$/, '') ??
    null;
  return {
    marketplace: 'flipkart',
    site: ownSite(url) ?? 'flipkart.com',
    url: canonicalFor(url, ownSite(url), id) ?? url.href,
    productId: id,
    gtin: product?.gtin ?? null,
    title:
      product?.name ??
      maybeText(doc, ['h1 span.VU-ZEz', 'h1 span.B_NuCI', 'h1']) ??
      metaContent(doc, 'og:title')?.replace(/\s+Online at Best Price On Flipkart\.com$/i, '') ??
      null,
    brand: product?.brand ?? null,
    price,
    seller: sellerName ? { id: null, name: sellerName, isPlatform: false } : null,
    condition: offer?.condition ?? null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'flipkart',
  marketplace: 'flipkart',
  domains: [...DOMAINS],
  matches: (url) => itemIdFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'brand', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.flipkart.com/realme-narzo-70-pro-5g-green-glass-green-128-gb/p/itm2742a62e69f5a',
      'https://www.flipkart.com/realme-narzo-70-pro-5g-green-glass-green-128-gb/p/itm2742a62e69f5a?pid=MOBGZ5M4BFG2M8H5',
      'https://dl.flipkart.com/dl/realme-narzo-70-pro-5g/p/itm2742a62e69f5a',
    ],
    noMatch: [
      'https://www.flipkart.com/',
      'https://www.flipkart.com/search?q=realme',
      'https://www.flipkart.com/mobiles/pr?sid=tyy,4io',
      'https://www.flipkart.com/sellers?pid=MOBGZ5M4BFG2M8H5',
      'https://www.flipkart.com/viewcart',
      'https://www.amazon.in/dp/B09V4B6K53',
    ],
  },
};
