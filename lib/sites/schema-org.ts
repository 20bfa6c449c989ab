/**
 * Generic shops: the schema.org Product / Offer a page declares in JSON-LD or microdata
 * (read by lib/sites/jsonld.ts). Marketplace "web".
 *
 * NOT picked by hostname and not in ADAPTERS: it runs only on shops the user granted through
 * an optional host permission (extractGeneric(), or extractProduct(doc, url, { generic: true })).
 *
 * Pages lie, or at least ramble: several products (the main one plus "related" ones), arrays,
 * @graph, AggregateOffer with only lowPrice, prices as strings, "NaN", negative or absurd prices.
 * The product read is the one whose url or offer url is this page (canonical URL compared
 * without tracking parameters), else the only product, else the first product that has a
 * priced offer; with several products and nothing tying one to the page, the first wins only
 * when the page's own title or og:title names it. A price is used only when it is a finite,
 * non-negative number with an ISO 4217 currency.
 * seller: the shop itself: id = its registrable domain (what identifies a seller on the open
 * web), name = the offer's seller name, else og:site_name, else the domain; never isPlatform. condition: the
 * offer's itemCondition, else null (not stated is not "new").
 *
 * Try it on any shop whose product pages carry schema.org Product data.
 */
import { isCurrency } from '../feed/currency';
import { maybeCanonical, metaContent, text } from './dom';
import { bestOffer, readSchemaProducts, type SchemaOffer, type SchemaProduct } from './jsonld';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter } from './types';
import { canonicalUrl, parseUrl, siteOf, stripTracking } from './url';

function sameUrl(a: string | null, b: string | null, base: URL): boolean {
  if (!a || !b) return false;
  try {
    const x = stripTracking(new URL(a, base));
    const y = stripTracking(new URL(b, base));
    return x !== null && x === y;
  } catch {
    return false;
  }
}

function pageNames(doc: Document): string[] {
  const out: string[] = [];
  for (const s of [
    metaContent(doc, 'og:title'),
    text(doc.querySelector('h1'), 300),
    text(doc.querySelector('title'), 300),
  ]) {
    if (s) out.push(s.toLowerCase());
  }
  return out;
}

/** The product this page is about, or null when the data does not say. */
export function mainProduct(doc: Document, url: URL): SchemaProduct | null {
  const products = readSchemaProducts(doc).filter((p) => p.name !== null || p.offers.length > 0);
  if (products.length === 0) return null;
  if (products.length === 1) return products[0] ?? null;
  const canonical = maybeCanonical(doc);
  const here = [url.href, canonical].filter((x): x is string => x !== null);
  const byUrl = products.find(
    (p) =>
      here.some((h) => sameUrl(p.url, h, url)) ||
      p.offers.some((o) => here.some((h) => sameUrl(o.url, h, url))),
  );
  if (byUrl) return byUrl;
  const names = pageNames(doc);
  const byName = products.find(
    (p) => p.name && names.some((n) => n.includes(p.name?.toLowerCase() ?? '\u0000')),
  );
  if (byName) return byName;
  // Several products and nothing ties one to the page: a listing or a page of related items.
  return null;
}

function priceOf(offer: SchemaOffer | null): ProductSnapshot['price'] {
  if (!offer || offer.price === null || offer.currency === null) return null;
  if (!Number.isFinite(offer.price) || offer.price < 0 || offer.price >= 1e12) return null;
  return isCurrency(offer.currency) ? { amount: offer.price, currency: offer.currency } : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const site = siteOf(url);
  if (!site) return null;
  const product = mainProduct(doc, url);
  if (!product) return null;
  const offer = bestOffer(product);
  const sellerName = offer?.seller?.name ?? metaContent(doc, 'og:site_name') ?? null;
  return {
    marketplace: 'web',
    site,
    url: canonicalUrl(url) ?? url.href,
    productId: product.sku ?? product.productId ?? product.mpn ?? null,
    gtin: product.gtin ?? offer?.gtin ?? null,
    title: product.name,
    brand: product.brand,
    price: priceOf(offer),
    seller: { id: site, name: sellerName ?? site, isPlatform: false },
    condition: offer?.condition ?? product.condition ?? null,
  };
}

export const adapter: SiteAdapter = {
  name: 'schema-org',
  marketplace: 'web',
  domains: [],
  matches(url: URL): boolean {
    const u = parseUrl(url);
    return u !== null && siteOf(u) !== null;
  },
  extract,
  expected: ['title', 'price'],
  examples: {
    match: ['https://shop.example.com/products/rocket-skates', 'https://www.newegg.com/p/N82E16820147796'],
    noMatch: [
      'http://localhost:8080/product/1',
      'https://127.0.0.1/p/1',
      'ftp://shop.example.com/products/1',
    ],
  },
};
