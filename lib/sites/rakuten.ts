/**
 * Rakuten Ichiba item pages: https://item.rakuten.co.jp/<shop>/<item>/ (and the smartphone
 * item.rakuten.co.jp pages, same path), and Rakuten Books https://books.rakuten.co.jp/rb/<id>/.
 *
 * productId is "<shop>/<item>" on Ichiba (an item code is only unique within its shop) and the
 * Books id on Books. The seller id is the shop code from the URL (Ichiba is a marketplace:
 * isPlatform false); Rakuten Books is sold by Rakuten itself (isPlatform true). Title, brand,
 * GTIN (JAN) and price come from schema.org data (JSON-LD or microdata), then the rendered DOM and
 * meta tags. Prices are JPY.
 *
 * No saved real Rakuten page exists in shared/pages: this adapter is verified on the project's own
 * fixtures only (test/fixtures/sites/rakuten-*.html), written from the public page structure.
 */
import { $, maybeAttr, maybeText, metaContent, text } from './dom';
import { bestOffer, readSchemaProducts } from './jsonld';
import { parseAmount, parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

type Ids = { kind: 'ichiba'; shop: string; item: string } | { kind: 'books'; id: string };

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['rakuten.co.jp']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function idsFromUrl(url: URL): Ids | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  if (url.hostname === 'item.rakuten.co.jp') {
    const m = /^\/([a-z0-9][a-z0-9_-]{1,40})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(url.pathname);
    return m?.[1] && m[2] ? { kind: 'ichiba', shop: m[1], item: m[2] } : null;
  }
  if (url.hostname === 'books.rakuten.co.jp') {
    const m = /^\/rb\/(\d{5,12})\/?$/.exec(url.pathname);
    return m?.[1] ? { kind: 'books', id: m[1] } : null;
  }
  return null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const ids = idsFromUrl(url);
  if (!ids) return null;
  const product = readSchemaProducts(doc).find((p) => p.type === 'Product' || p.type === 'Book') ?? null;
  const offer = bestOffer(product);
  const productId = ids.kind === 'ichiba' ? `${ids.shop}/${ids.item}` : ids.id;

  let price: ProductSnapshot['price'] =
    offer?.price != null && offer.currency ? { amount: offer.price, currency: offer.currency } : null;
  if (!price) {
    const amount = parseAmount(
      maybeAttr(doc, ['meta[itemprop="price"]', 'input[name="price"]'], 'content') ??
        metaContent(doc, 'product:price:amount'),
    );
    if (amount !== null) price = { amount, currency: 'JPY' };
  }
  if (!price) {
    const t = text($(doc, ['.price2', '.price--OX_YW', '[class*="price--"]']), 100);
    price = t ? parsePrice(t, { site: 'rakuten.co.jp', currency: 'JPY' }) : null;
  }

  const seller =
    ids.kind === 'books'
      ? { id: null, name: '楽天ブックス', isPlatform: true }
      : {
          id: ids.shop,
          name:
            offer?.seller?.name ??
            maybeText(doc, ['.shop-name a', '#shopName', '[class*="shop-name"]', '.seller-name']),
          isPlatform: false,
        };

  return {
    marketplace: 'rakuten',
    site: ownSite(url) ?? 'rakuten.co.jp',
    url: canonicalFor(url, ownSite(url), productId) ?? url.href,
    productId,
    gtin: product?.gtin ?? null,
    title:
      product?.name ??
      maybeText(doc, ['h1.item_name', '.item_name', '[class*="normal_reserve_item_name"]', 'h1']) ??
      metaContent(doc, 'og:title')?.replace(/\s*[:：]\s*[^:：]+$/, '') ??
      null,
    brand: product?.brand ?? null,
    price,
    seller,
    condition: offer?.condition ?? null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'rakuten',
  marketplace: 'rakuten',
  domains: [...DOMAINS],
  matches: (url) => idsFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://item.rakuten.co.jp/book/17635312/',
      'https://item.rakuten.co.jp/biccamera/4902370550733/',
      'https://item.rakuten.co.jp/kenkocom/e483138h/?iasid=07rpp_10095___',
      'https://books.rakuten.co.jp/rb/17635312/',
    ],
    noMatch: [
      'https://www.rakuten.co.jp/',
      'https://search.rakuten.co.jp/search/mall/switch/',
      'https://www.rakuten.co.jp/biccamera/',
      'https://item.rakuten.co.jp/biccamera/',
      'https://basket.step.rakuten.co.jp/rms/mall/bs/cartall/',
      'https://jp.mercari.com/item/m96084058332',
      'https://www.amazon.co.jp/dp/B0BDHWDR12',
    ],
  },
};
