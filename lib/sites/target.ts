/**
 * Target product pages: https://www.target.com/p/<slug>/-/A-<TCIN> (?preselect=<child TCIN> picks
 * a variation).
 *
 * productId is the TCIN in Target's own "A-<TCIN>" form (the selected variation's when the URL
 * preselects one). Data, in order: the server-rendered state `__TGT_DATA__` (a JSON string passed
 * to JSON.parse in the page: the string literal is decoded and parsed here, never evaluated),
 * schema.org JSON-LD, then the rendered DOM (h1[data-test="product-title"],
 * [data-test="product-price"], the specifications' "TCIN:" and "UPC:" rows). Target sells
 * itself (isPlatform true) except Target Plus partner items ("Sold and shipped by <partner>").
 *
 * No saved real Target page exists in shared/pages: this adapter is verified on the project's own
 * fixtures only (test/fixtures/sites/target-*.html), written from the public page structure.
 */
import { normalizeGtin } from '../feed/gtin';
import { $$, maybeText, metaContent, text } from './dom';
import { asText, bestOffer, findKey, inlineScripts, pick, readSchemaProducts } from './jsonld';
import { parsePrice } from './price';
import { canonicalFor, siteIn } from './product-url';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const PRODUCT_PATH = /^\/p\/(?:[^/]+\/)?-\/A-(\d{6,10})\/?$/;

/** Registrable domains this adapter owns; URLs elsewhere are never claimed. */
const DOMAINS: ReadonlySet<string> = new Set(['target.com']);

/** The registrable domain of a URL on this marketplace; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAINS);
}

function tcinFromUrl(url: URL): string | null {
  if (!DOMAINS.has(ownSite(url) ?? '')) return null;
  const tcin = PRODUCT_PATH.exec(url.pathname)?.[1];
  if (!tcin) return null;
  const preselect = url.searchParams.get('preselect');
  return preselect && /^\d{6,10}$/.test(preselect) ? preselect : tcin;
}

/** Decodes the body of a double-quoted JavaScript string literal (JSON escapes plus \' and \xHH). */
function decodeJsStringBody(body: string): string | null {
  try {
    const jsonish = body
      .replace(/\\'/g, "'")
      .replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => `\\u00${h}`)
      .replace(/\\\//g, '/');
    return JSON.parse(`"${jsonish}"`) as string;
  } catch {
    return null;
  }
}

/** The product object of __TGT_DATA__'s preloaded queries, or null. */
function tgtProduct(doc: Document, tcin: string): Record<string, unknown> | null {
  for (const script of inlineScripts(doc)) {
    const at = script.indexOf('__TGT_DATA__');
    if (at < 0) continue;
    const open = script.indexOf('JSON.parse("', at);
    if (open < 0 || open - at > 500) continue;
    const start = open + 'JSON.parse("'.length;
    let end = start;
    while (end < script.length && script[end] !== '"') end += script[end] === '\\' ? 2 : 1;
    const inner = decodeJsStringBody(script.slice(start, end));
    if (!inner) continue;
    let data: unknown;
    try {
      data = JSON.parse(inner);
    } catch {
      continue;
    }
    const product = findKey(
      data,
      'product',
      (v) => typeof v === 'object' && v !== null && asText(pick(v, ['tcin'])) !== null,
    );
    if (product && typeof product === 'object') {
      // A parent product lists its children; the preselected child wins.
      const children = pick(product, ['children']);
      if (Array.isArray(children)) {
        const child = children.find((c) => asText(pick(c, ['tcin'])) === tcin);
        if (child && typeof child === 'object')
          return { ...(product as object), ...(child as object) } as Record<string, unknown>;
      }
      return product as Record<string, unknown>;
    }
  }
  return null;
}

function specValue(doc: Document, label: RegExp): string | null {
  for (const row of $$(
    doc,
    '[data-test="item-details-specifications"] div, [data-test="item-details-specifications"] li',
    200,
  )) {
    const m = label.exec(text(row, 200));
    if (m?.[1]) return m[1].trim();
  }
  return null;
}

function partnerSeller(doc: Document): string | null {
  for (const el of $$(
    doc,
    '[data-test*="targetPlus"], [data-test*="soldAndShipped"], [data-test*="SoldAndShipped"]',
    20,
  )) {
    const m = /sold (?:and shipped )?by\s+(.{1,120})$/i.exec(text(el, 200));
    if (m?.[1] && !/^target\b/i.test(m[1])) return m[1].trim();
  }
  return null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  const tcin = tcinFromUrl(url);
  if (!tcin) return null;
  const data = tgtProduct(doc, tcin);
  const schema = readSchemaProducts(doc).find((p) => p.type === 'Product') ?? null;
  const offer = bestOffer(schema);

  const current = pick(data, ['price', 'current_retail']);
  let price: ProductSnapshot['price'] =
    typeof current === 'number' && Number.isFinite(current) && current >= 0
      ? { amount: current, currency: 'USD' }
      : null;
  if (!price) {
    const shown =
      asText(pick(data, ['price', 'formatted_current_price'])) ??
      maybeText(doc, '[data-test="product-price"]');
    price = shown ? parsePrice(shown, { site: 'target.com' }) : null;
  }
  if (!price && offer?.price != null && offer.currency)
    price = { amount: offer.price, currency: offer.currency };

  const barcode =
    asText(pick(data, ['item', 'primary_barcode'])) ?? specValue(doc, /^UPC\s*:\s*(\d{8,14})$/i);
  const partner = partnerSeller(doc);
  return {
    marketplace: 'target',
    site: ownSite(url) ?? 'target.com',
    url: canonicalFor(url, ownSite(url), tcin) ?? url.href,
    productId: `A-${tcin}`,
    gtin: (barcode ? normalizeGtin(barcode) : null) ?? schema?.gtin ?? null,
    title:
      asText(pick(data, ['item', 'product_description', 'title'])) ??
      maybeText(doc, ['h1[data-test="product-title"]', 'h1']) ??
      schema?.name ??
      metaContent(doc, 'og:title'),
    brand:
      asText(pick(data, ['item', 'primary_brand', 'name'])) ??
      schema?.brand ??
      maybeText(doc, ['a[data-test="@web/ProductDetailPageBrandLink"]', '[data-test="product-brand"]']),
    price,
    seller: partner
      ? { id: null, name: partner, isPlatform: false }
      : { id: null, name: 'Target', isPlatform: true },
    condition: offer?.condition ?? null,
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'target',
  marketplace: 'target',
  domains: [...DOMAINS],
  matches: (url) => tcinFromUrl(url) !== null,
  extract,
  expected: ['productId', 'title', 'brand', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.target.com/p/heinz-tomato-ketchup-38oz/-/A-12935836',
      'https://www.target.com/p/-/A-12935836',
      'https://www.target.com/p/women-s-short-sleeve-t-shirt/-/A-88062345?preselect=88062399#lnk=sametab',
    ],
    noMatch: [
      'https://www.target.com/',
      'https://www.target.com/s?searchTerm=ketchup',
      'https://www.target.com/c/condiments-pantry/-/N-5xt0y',
      'https://www.target.com/cart',
      'https://www.target.com/p/heinz-tomato-ketchup-38oz',
      'https://www.walmart.com/ip/5146249010',
      'https://www.bestbuy.com/site/6505727.p',
    ],
  },
};
