/**
 * Shopee product pages in every country: https://shopee.<tld>/<slug>-i.<shopid>.<itemid> and
 * https://shopee.<tld>/product/<shopid>/<itemid>.
 *
 * productId is the item id (the second number); the shop id (the first) is the seller id, read
 * from the URL, so it is known even before the single-page app renders. Title, brand, price and
 * the shop's name come from schema.org JSON-LD when the page has it, then the rendered DOM and
 * meta tags. Prices are in the country's currency. Shopee Mall shops are still third-party
 * sellers (isPlatform false).
 *
 * No saved real Shopee page exists in shared/pages: this adapter is verified on the project's own
 * fixtures only (test/fixtures/sites/shopee-*.html), written from the public page structure.
 */
import { maybeText, metaContent } from './dom';
import { bestOffer, readSchemaProducts } from './jsonld';
import { parseAmount, parsePrice, siteCurrency } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set([
  'shopee.co.id',
  'shopee.com.my',
  'shopee.sg',
  'shopee.ph',
  'shopee.co.th',
  'shopee.vn',
  'shopee.tw',
  'shopee.com.br',
  'shopee.com.mx',
  'shopee.com.co',
  'shopee.cl',
]);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function idsFromUrl(url: URL): { shopId: string; itemId: string } | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  const slug = /-i\.(\d{3,15})\.(\d{3,20})\/?$/.exec(path);
  if (slug?.[1] && slug[2]) return { shopId: slug[1], itemId: slug[2] };
  const product = /^\/product\/(\d{3,15})\/(\d{3,20})\/?$/.exec(path);
  if (product?.[1] && product[2]) return { shopId: product[1], itemId: product[2] };
  return null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const ids = idsFromUrl(url);
  if (!ids) return null;
  const site = ownSite(url) ?? 'shopee.sg';
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(product);

  let price: ProductSnapshot['price'] =
    offer?.price != null && offer.currency ? { amount: offer.price, currency: offer.currency } : null;
  if (!price) {
    const amount = parseAmount(metaContent(doc, 'product:price:amount'));
    const currency = metaContent(doc, 'product:price:currency') ?? siteCurrency(site);
    if (amount !== null && currency) price = { amount, currency };
  }
  if (!price) {
    const t = maybeText(doc, ['[data-testid="lblPDPDetailProductPrice"]', '.pqTWkA', '.product-price']);
    price = t ? parsePrice(t, { site }) : null;
  }

  const shopName =
    offer?.seller?.name ??
    maybeText(doc, [
      '.page-product__shop [class*="shop-name"]',
      '[data-testid="shopName"]',
      '.VlDReK',
      '.fV3TIn',
    ]) ??
    null;

  return {
    marketplace: 'shopee',
    site,
    url: canonicalFor(url, ownSite(url), ids.itemId) ?? url.href,
    productId: ids.itemId,
    gtin: product?.gtin ?? null,
    title:
      product?.name ??
      maybeText(doc, ['[data-testid="lblPDPDetailProductName"]', '.page-product h1', 'h1']) ??
      metaContent(doc, 'og:title')?.replace(/\s*\|\s*Shopee.*$/i, '') ??
      null,
    brand: product?.brand ?? null,
    price,
    seller: { id: ids.shopId, name: shopName, isPlatform: false },
    condition: offer?.condition ?? product?.condition ?? null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'shopee',
  marketplace: 'shopee',
  domains: [...DOMAINS],
  matches: (url) => idsFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://shopee.co.id/Apple-iPhone-15-128GB-i.88201679.23456789012',
      'https://shopee.sg/product/88201679/23456789012',
      'https://shopee.com.my/Heinz-Ketchup-300g-i.12345678.9876543210?sp_atk=abc',
      'https://shopee.vn/%C4%90i%E1%BB%87n-tho%E1%BA%A1i-i.88201679.23456789012',
    ],
    noMatch: [
      'https://shopee.co.id/',
      'https://shopee.co.id/search?keyword=iphone',
      'https://shopee.co.id/apple_flagship_store',
      'https://shopee.sg/cart',
      'https://shopee.ph/Mobiles-Gadgets-cat.11013350',
      'https://www.lazada.co.id/products/apple-iphone-15-i123456789.html',
      'https://www.aliexpress.com/item/1005006283071432.html',
    ],
  },
};
