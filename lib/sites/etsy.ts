/**
 * Etsy listing pages: https://www.etsy.com/listing/<id>/<slug>, also under a language or region
 * prefix (/es/listing/<id>, /en-gb/listing/<id>).
 *
 * The price is the buy box's ([data-buy-box-region="price"]), in the shopper's display currency
 * (body[data-currency]); the JSON-LD offer is only a fallback, since Etsy fills it in the
 * listing's own currency and price (the saved page shows 53,11 € in the buy box and 43.90 EUR in
 * JSON-LD). Seller: Etsy shop id ("shop_id" in the page's Etsy.Context data, or data-shop-id)
 * and shop name. Etsy's JSON-LD "brand" is the shop name, so it is a brand only when it differs.
 */
import { $, $$, attr, maybeAttr, maybeText, metaContent, text } from './dom';
import { bestOffer, readSchemaProducts, scriptMatch } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const LISTING = /^(?:\/[a-z]{2}(?:-[a-z]{2})?)?\/listing\/(\d{5,15})(?:\/|$)/i;

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['etsy.com']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function listingId(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  return LISTING.exec(url.pathname)?.[1] ?? null;
}

function decodeJsonString(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

function shopFromPage(doc: Document): { id: string | null; name: string | null } | null {
  const id =
    scriptMatch(doc, /"shop_id"\s*:\s*"?(\d{3,15})/) ??
    maybeAttr(
      doc,
      [
        '[data-component="listing-page-image-carousel"][data-shop-id]',
        '[data-buy-box] [data-shop-id]',
        '[data-shop-id]',
      ],
      'data-shop-id',
    );
  const rawName = scriptMatch(doc, /"shop_name"\s*:\s*"((?:[^"\\]|\\.){1,100})"/);
  let name = rawName ? decodeJsonString(rawName) : null;
  if (!name) {
    for (const a of $$(doc, 'a[href*="/shop/"]', 50)) {
      const href = attr(a, 'href') ?? '';
      if (!/ref=(?:simple-shop-header-name|shop-header-name|l2-about-shopname)/.test(href)) continue;
      name = /\/shop\/([A-Za-z0-9_-]{2,60})/.exec(href)?.[1] ?? null;
      if (name) break;
    }
  }
  return id || name ? { id: id && /^\d+$/.test(id) ? id : null, name } : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const id = listingId(url);
  if (!id) return null;
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(product);
  const displayCurrency = attr(doc.body, 'data-currency') ?? undefined;

  const priceEl = $(doc, [
    '[data-buy-box-region="price"] p[class*="wt-text-title"]',
    '[data-selector="price-only"] p[class*="wt-text-title"]',
    '[data-buy-box-region="price"] .wt-text-title-03',
  ]);
  let price = priceEl
    ? parsePrice(text(priceEl, 200).replace(/\+$/, ''), {
        site: url.hostname,
        ...(displayCurrency ? { currency: displayCurrency } : {}),
      })
    : null;
  if (!price && offer?.price != null && offer.currency)
    price = { amount: offer.price, currency: offer.currency };

  const shop = shopFromPage(doc);
  const brand = product?.brand && product.brand !== shop?.name ? product.brand : null;

  return {
    marketplace: 'etsy',
    site: ownSite(url) ?? 'etsy.com',
    url: canonicalFor(url, ownSite(url), id) ?? `https://www.etsy.com/listing/${id}`,
    productId: id,
    gtin: product?.gtin ?? null,
    title:
      maybeText(doc, ['h1[data-buy-box-listing-title]', '[data-buy-box] h1', 'h1']) ??
      product?.name ??
      metaContent(doc, 'og:title'),
    brand,
    price,
    seller: shop ? { id: shop.id, name: shop.name, isPlatform: false } : null,
    condition: offer?.condition ?? null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'etsy',
  marketplace: 'etsy',
  domains: [...DOMAINS],
  matches: (url) => listingId(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.etsy.com/listing/550571276/the-original-hey-there-pumpkin-fall',
      'https://www.etsy.com/es/listing/550571276/el-original-he-y-hay-calabaza-decoracion',
      'https://www.etsy.com/en-gb/listing/550571276',
      'https://www.etsy.com/listing/550571276?ref=shop_home_active_1',
    ],
    noMatch: [
      'https://www.etsy.com/',
      'https://www.etsy.com/search?q=doormat',
      'https://www.etsy.com/shop/OliveCreativeCompany',
      'https://www.etsy.com/c/home-and-living',
      'https://www.etsy.com/cart',
      'https://www.etsy.com/market/doormat',
      'https://www.ebay.com/itm/226771798286',
      'https://www.amazon.com/dp/B0DR8G428S',
    ],
  },
};
