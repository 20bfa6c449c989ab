/**
 * Mercari item pages: Japan https://jp.mercari.com/item/m<digits> (and Mercari Shops
 * /shops/product/<id>), United States https://www.mercari.com/us/item/m<digits>/.
 *
 * Reads schema.org JSON-LD (name, brand, offer price and currency) and the rendered page: the
 * seller block's profile link (/user/profile/<id> in Japan, /u/<id> in the US, /shops/profile/<id>
 * for Mercari Shops) gives the seller id, and the "商品の状態" (item condition) row gives the
 * condition: "新品、未使用" is new, every other grade is used. A sold item still shows its price
 * and seller; both are reported (the snapshot says what the page shows).
 */
import { $, attr, maybeText, metaContent, text } from './dom';
import { bestOffer, readSchemaProducts } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { Condition, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['mercari.com']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function itemIdFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  const p = url.pathname;
  return (
    /^\/item\/(m\d{6,15})\/?$/.exec(p)?.[1] ??
    /^\/us\/item\/(m\d{6,15})\/?$/.exec(p)?.[1] ??
    /^\/shops\/product\/([A-Za-z0-9]{10,40})\/?$/.exec(p)?.[1] ??
    null
  );
}

function conditionFromText(t: string | null): Condition | null {
  if (!t) return null;
  if (/^新品|^new\b|未使用$/i.test(t) && !/に近い|like new/i.test(t)) return 'new';
  return 'used';
}

function sellerFromPage(doc: Document): { id: string | null; name: string | null } | null {
  const link = $(doc, [
    'a[data-location="item_details:seller_info"]',
    'a[href^="/user/profile/"]',
    'a[href*="/shops/profile/"]',
    'a[data-testid="ItemDetailsSellerInfo"]',
    'a[href^="/u/"]',
  ]);
  if (!link) return null;
  const href = attr(link, 'href') ?? '';
  const id = /\/(?:user\/profile|shops\/profile|u)\/([A-Za-z0-9]{3,40})/.exec(href)?.[1] ?? null;
  const name =
    maybeText(link, ['[data-testid="seller-link"] p', '.merUserObject p', 'p']) ??
    (attr(link, 'aria-label')?.split(/[,、]/)[0]?.trim() || null);
  return id || name ? { id, name } : null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const id = itemIdFromUrl(url);
  if (!id) return null;
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(product);
  let price: ProductSnapshot['price'] =
    offer?.price != null && offer.currency ? { amount: offer.price, currency: offer.currency } : null;
  if (!price) {
    const t = text($(doc, ['[data-testid="price"]', '[data-testid="ItemPrice"]']), 100);
    price = t ? parsePrice(t, { site: url.hostname }) : null;
  }
  const seller = sellerFromPage(doc);
  const conditionText = maybeText(doc, [
    '[data-testid="商品の状態"]',
    '[data-testid="ItemDetailsCondition"]',
    '[data-testid="item-condition"]',
  ]);
  return {
    marketplace: 'mercari',
    site: ownSite(url) ?? 'mercari.com',
    url: canonicalFor(url, ownSite(url), id) ?? url.href,
    productId: id,
    gtin: product?.gtin ?? null,
    title:
      product?.name ??
      maybeText(doc, ['[data-testid="name"] h1', 'h1']) ??
      metaContent(doc, 'og:title')?.replace(/\s+by メルカリ$/, '') ??
      null,
    brand:
      product?.brand ??
      maybeText(doc, [
        '[data-testid="item-size-and-brand-container"] a[href*="brand"]',
        '[data-testid="ItemDetailsBrand"]',
      ]),
    price,
    seller: seller ? { id: seller.id, name: seller.name, isPlatform: false } : null,
    condition: offer?.condition ?? conditionFromText(conditionText),
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'mercari',
  marketplace: 'mercari',
  domains: [...DOMAINS],
  matches: (url) => itemIdFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://jp.mercari.com/item/m96084058332',
      'https://jp.mercari.com/shops/product/2VxYkyQ8LkTrhcFcDzBfKz',
      'https://www.mercari.com/us/item/m12345678901/',
    ],
    noMatch: [
      'https://jp.mercari.com/',
      'https://jp.mercari.com/search?keyword=switch',
      'https://jp.mercari.com/user/profile/291998903',
      'https://www.mercari.com/us/search/?keyword=switch',
      'https://www.mercari.com/u/291998903/',
      'https://www.ebay.com/itm/226771798286',
      'https://www.etsy.com/listing/550571276',
    ],
  },
};
