/**
 * JD.com item pages: https://item.jd.com/<sku>.html, the mobile item.m.jd.com/product/<sku>.html,
 * and JD Worldwide npcitem.jd.hk/<sku>.html.
 *
 * productId is the SKU from the path. The page's `var pageConfig = { product: { skuid: ...,
 * shopId: '...', venderId: ... } }` is a JavaScript literal, so its fields are read with regular
 * expressions (never evaluated). JD fills the price in after load (.p-price .price.J-p-<sku>);
 * the content script reads the rendered DOM. Seller: the shop (id = JD shop id, from pageConfig
 * or the shop link mall.jd.com/index-<id>.html). JD self-operated (京东自营: the "自营" badge or a
 * shop name containing 京东自营) is the platform.
 *
 * No saved real JD page exists in shared/pages: this adapter is verified on the project's own
 * fixtures only (test/fixtures/sites/jd-*.html), written from the public page structure.
 */
import { $, $$, attr, maybeAttr, maybeText, metaContent, text } from './dom';
import { bestOffer, inlineScripts, readSchemaProducts } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['jd.com', 'jd.hk']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function skuFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  const host = url.hostname;
  if (/^item\.jd\.(?:com|hk)$|^npcitem\.jd\.hk$|^item\.yiyaojd\.com$/.test(host)) {
    return /^\/(\d{4,15})\.html$/.exec(url.pathname)?.[1] ?? null;
  }
  if (/^item\.m\.jd\.(?:com|hk)$/.test(host)) {
    return /^\/product\/(\d{4,15})\.html$/.exec(url.pathname)?.[1] ?? null;
  }
  return null;
}

function unescapeJs(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** A field of `var pageConfig = { product: {...} }` (the script is searched, never run). */
function pageConfigField(doc: Document, re: RegExp): string | null {
  for (const script of inlineScripts(doc)) {
    const at = script.indexOf('pageConfig');
    if (at < 0) continue;
    const m = re.exec(script.slice(at, at + 200_000));
    if (m?.[1]) return m[1];
  }
  return null;
}

function brandFromParameters(doc: Document): string | null {
  const fromBrandList =
    maybeAttr(doc, ['#parameter-brand li[title]'], 'title') ?? maybeText(doc, ['#parameter-brand li a']);
  if (fromBrandList) return fromBrandList;
  for (const li of $$(doc, '.p-parameter li, .parameter2 li, [class*="specification"] li', 200)) {
    const m = /^品牌\s*[:：]\s*(.+)$/.exec(text(li, 200));
    if (m?.[1]) return attr(li, 'title') ?? m[1].trim();
  }
  return null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const sku = skuFromUrl(url);
  if (!sku) return null;
  const schema = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;

  const shopLink = $(doc, [
    '.J-hove-wrap .name a',
    '.shopName .name a',
    '#popbox .mt h3 a',
    '.popbox-inner .mt h3 a',
    '.contact .name a',
    'a[href*="mall.jd.com/index-"]',
  ]);
  const shopName =
    (text(shopLink, 300) || null) ??
    attr(shopLink, 'title') ??
    maybeText(doc, ['.shop-name', '.seller-infor .name']);
  const shopId =
    pageConfigField(doc, /\bshopId\s*:\s*'?(\d{1,15})'?/) ??
    /mall\.jd\.(?:com|hk)\/index-(\d{1,15})\.html/.exec(attr(shopLink, 'href') ?? '')?.[1] ??
    null;
  const selfBadge = maybeText(doc, ['.u-jd', 'em.u-jd', '.goods-base .self', '[class*="selfOperated"]']);
  const isPlatform = /自营/.test(selfBadge ?? '') || /京东自营/.test(shopName ?? '');

  const priceText = text($(doc, [`.J-p-${sku}`, '.p-price .price', '.summary-price .p-price']), 100);
  const offer = bestOffer(schema);
  let price = priceText
    ? parsePrice(/[¥￥]/.test(priceText) ? priceText : `¥${priceText}`, { site: 'jd.com' })
    : null;
  if (!price && offer?.price != null && offer.currency)
    price = { amount: offer.price, currency: offer.currency };

  const configName = pageConfigField(doc, /\bname\s*:\s*'((?:[^'\\]|\\.){1,500})'/);
  return {
    marketplace: 'jd',
    site: ownSite(url) ?? 'jd.com',
    url: canonicalFor(url, ownSite(url), sku) ?? `https://${url.host}${url.pathname}`,
    productId: sku,
    gtin: schema?.gtin ?? null,
    title:
      maybeText(doc, ['.sku-name', '.itemInfo-wrap .sku-name', '#itemName']) ??
      (configName ? unescapeJs(configName) : null) ??
      schema?.name ??
      metaContent(doc, 'og:title'),
    brand: brandFromParameters(doc) ?? schema?.brand ?? null,
    price,
    seller: shopName || shopId || isPlatform ? { id: shopId, name: shopName, isPlatform } : null,
    condition: null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'jd',
  marketplace: 'jd',
  domains: [...DOMAINS],
  matches: (url) => skuFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://item.jd.com/100012043978.html',
      'https://item.jd.com/100012043978.html?bbtf=1',
      'https://item.m.jd.com/product/100012043978.html',
      'https://npcitem.jd.hk/100012043978.html',
    ],
    noMatch: [
      'https://www.jd.com/',
      'https://search.jd.com/Search?keyword=iphone',
      'https://list.jd.com/list.html?cat=9987,653,655',
      'https://mall.jd.com/index-1000000127.html',
      'https://cart.jd.com/cart_index',
      'https://item.jd.com/',
      'https://item.taobao.com/item.htm?id=562283240178',
      'https://detail.tmall.com/item.htm?id=609912580834',
    ],
  },
};
