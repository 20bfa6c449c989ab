/**
 * eBay item pages (/itm/<id>, /itm/<slug>/<id>) on the main eBay sites, current layout
 * (x-* components, 2021 on) and the older one (#prcIsum, #mbgLink, .itemAttr, ~2012-2021).
 *
 * - productId: the item number from the URL (or the page's item number).
 * - price: the main price (x-price-primary, #prcIsum / #mm-saleDscPrc, itemprop=price), as
 *   shown: an item listed in EUR on ebay.com is EUR, not eBay's converted estimate.
 * - seller: the seller card's user name, lower-cased, as id (from /usr/<name>, ?_ssn=<name>,
 *   /sch/<name>/m.html, or the /str/<store> link as a last resort); the name as shown. eBay
 *   never sells itself: isPlatform is always false.
 * - condition: the condition line (New / Used / Refurbished and their wording on each site).
 * - brand and gtin: item specifics (Brand, Marke, Marque, ...; UPC, EAN, ISBN, GTIN), then the
 *   page's schema.org Product.
 * Catalog pages (/p/<epid>) list many sellers' offers and are not listings: not matched.
 *
 * Try it: https://www.ebay.com/itm/226771798286, https://www.ebay.de/itm/226771798286.
 */
import { normalizeGtin } from '../feed/gtin';
import { $, $$, attr, clean, maybeAttr, maybeOne, maybeText, maybeUrl, metaContent, text } from './dom';
import { readSchemaProducts } from './jsonld';
import { type Price, parseAmount, parsePrice } from './price';
import { canonicalFor, ebayItemIdFromUrl, siteIn } from './product-url';
import type { Condition, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const DOMAINS = [
  'ebay.com',
  'ebay.co.uk',
  'ebay.de',
  'ebay.fr',
  'ebay.it',
  'ebay.es',
  'ebay.ca',
  'ebay.com.au',
  'ebay.at',
  'ebay.ch',
  'ebay.ie',
  'ebay.nl',
  'ebay.be',
  'ebay.pl',
] as const;
const DOMAIN_SET: ReadonlySet<string> = new Set(DOMAINS);

/** The registrable domain of an eBay URL; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAIN_SET);
}

// ---------------------------------------------------------------------------------------------
// Item specifics: label -> value

function specifics(doc: Document): Map<string, string> {
  const out = new Map<string, string>();
  const put = (label: string, value: string) => {
    const k = clean(label, 100)
      .replace(/[:：]\s*$/, '')
      .toLowerCase();
    const v = clean(value, 300);
    if (k && v && !out.has(k)) out.set(k, v);
  };
  // Current layout: <dl class="ux-labels-values"><dt>Label</dt><dd>Value</dd></dl>.
  for (const row of $$(doc, '.ux-labels-values', 400)) {
    const label = maybeText(row, ['.ux-labels-values__labels .ux-textspans', '.ux-labels-values__labels']);
    const value = maybeText(row, ['.ux-labels-values__values .ux-textspans', '.ux-labels-values__values']);
    if (label && value) put(label, value);
  }
  // Older layout: a table of label/value cell pairs.
  for (const cell of $$(doc, '.itemAttr td.attrLabels, #viTabs_0_is td.attrLabels', 400)) {
    const value = cell.nextElementSibling;
    if (value) put(text(cell, 100), text(value, 300));
  }
  // Product-based listings: "About this product" rows.
  for (const row of $$(doc, '.s-name', 200)) {
    const value = row.nextElementSibling;
    if (value) put(text(row, 100), text(value, 300));
  }
  return out;
}

function specific(map: Map<string, string>, labels: RegExp): string | null {
  for (const [k, v] of map) if (labels.test(k)) return v;
  return null;
}

const BRAND_LABELS = /^(brand|marke|marque|marca|merk|marka|hersteller|brand\/manufacturer)$/;
const GTIN_LABELS = /^(upc|ean|isbn|isbn-13|isbn13|gtin|ean-13|ean13|european article number)$/;

// ---------------------------------------------------------------------------------------------
// Price

function readPrice(doc: Document, url: URL): Price | null {
  const hint = { site: url.hostname };
  const shown = [
    '[data-testid="x-price-primary"] .ux-textspans',
    '.x-price-primary .ux-textspans',
    '[data-testid="x-price-primary"]',
    '.x-price-primary',
    '.x-bin-price__content .x-price-primary',
    '.x-bid-price .ux-textspans',
    '#mm-saleDscPrc',
    '#prcIsum',
    '#prcIsum_bidPrice',
    '.vi-price .notranslate',
  ];
  for (const sel of shown) {
    for (const el of $$(doc, sel, 5)) {
      const p = parsePrice(text(el, 120), hint);
      if (p) return p;
    }
  }
  // Microdata on the old layout: <span itemprop="price" content="29.99">, priceCurrency meta.
  const amount = parseAmount(maybeAttr(doc, ['[itemprop="price"][content]'], 'content'));
  const currency = maybeAttr(doc, ['[itemprop="priceCurrency"][content]'], 'content');
  if (amount !== null && currency && /^[A-Z]{3}$/.test(currency)) return { amount, currency };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Seller

const USER = /^[A-Za-z0-9._*-]{2,64}$/;

/** The eBay user name a link names: /usr/<name>, ?_ssn=<name>, /sch/<name>/m.html. */
function userFromHref(href: string | null, base: URL): string | null {
  const u = maybeUrl(href, base);
  if (!u) return null;
  const usr = /^\/usr\/([^/?#]+)/.exec(u.pathname)?.[1];
  const ssn = u.searchParams.get('_ssn');
  const sch = /^\/sch\/([^/?#]+)\/m\.html/.exec(u.pathname)?.[1];
  for (const c of [usr, ssn, sch]) {
    if (!c) continue;
    let v: string;
    try {
      v = decodeURIComponent(c);
    } catch {
      v = c;
    }
    if (USER.test(v)) return v.toLowerCase();
  }
  return null;
}

function storeFromHref(href: string | null, base: URL): string | null {
  const u = maybeUrl(href, base);
  const s = u ? /^\/str\/([^/?#]+)/.exec(u.pathname)?.[1] : undefined;
  return s && USER.test(s) ? s.toLowerCase() : null;
}

const SELLER_CARDS = [
  '[data-testid="x-sellercard-atf"]',
  '.x-sellercard-atf',
  '[data-testid="str-title"]',
  '.x-store-information',
  '#RightSummaryPanel .si-content',
  '.si-inner',
  '#mbgLink',
  '.mbg',
];

function readSeller(doc: Document, url: URL): ProductSnapshot['seller'] {
  let id: string | null = null;
  let store: string | null = null;
  let card: Element | null = null;
  for (const sel of SELLER_CARDS) {
    const c = maybeOne(doc, sel);
    if (!c) continue;
    card = card ?? c;
    const links = c.tagName === 'A' ? [c] : $$(c, 'a[href]', 30);
    for (const a of links) {
      id = id ?? userFromHref(attr(a, 'href'), url);
      store = store ?? storeFromHref(attr(a, 'href'), url);
    }
    if (id) break;
  }
  const name =
    maybeText(card, [
      '.x-sellercard-atf__info__about-seller .ux-textspans--BOLD',
      '.x-sellercard-atf__info__about-seller a',
      '[data-testid="str-title"] a',
      '.mbg-nw',
      '.x-store-information__store-name',
    ]) ??
    maybeText(doc, ['.x-sellercard-atf__info__about-seller .ux-textspans--BOLD', '.mbg-nw', '#mbgLink span']);
  const finalId = id ?? store ?? (name && USER.test(name) ? name.toLowerCase() : null);
  if (!finalId && !name) return null;
  return { id: finalId, name: name ? clean(name, 300) : null, isPlatform: false };
}

// ---------------------------------------------------------------------------------------------
// Condition

const REFURB =
  /refurbished|reconditioned|remanufactured|generalüberholt|überholt|reconditionné|remis à neuf|ricondizionato|rigenerato|reacondicionado|restaurado|gereviseerd|odnowion|refurbished/i;
const USED =
  /^(used|pre-owned|preowned|gebraucht|occasion|d'occasion|usato|usado|de segunda mano|gebruikt|tweedehands|używany|używane|for parts|als ersatzteil|pour pièces|per ricambi|para piezas|like new|very good|good|acceptable|wie neu|sehr gut|gut|akzeptabel)/i;
const NEW =
  /^(new|brand new|neu|neuf|nuovo|nuevo|nieuw|nowy|nowe|neuwertig|new with|new other|new without|open box)/i;

export function ebayCondition(label: string | null): Condition | null {
  if (!label) return null;
  const t = clean(label, 200);
  if (REFURB.test(t)) return 'refurbished';
  if (USED.test(t)) return 'used';
  if (NEW.test(t)) return 'new';
  return null;
}

function readCondition(doc: Document): Condition | null {
  const label = maybeText(doc, [
    '.x-item-condition-text .ux-textspans',
    '.x-item-condition-value .ux-textspans',
    '[data-testid="x-item-condition"] .x-item-condition-text',
    '#vi-itm-cond',
    '[itemprop="itemCondition"]',
    '.ux-labels-values--condition .ux-labels-values__values .ux-textspans',
  ]);
  const fromLabel = ebayCondition(label);
  if (fromLabel) return fromLabel;
  const meta = maybeAttr(doc, ['link[itemprop="itemCondition"]', 'meta[itemprop="itemCondition"]'], 'href');
  return ebayCondition(meta?.replace(/^.*\//, '').replace(/Condition$/, '') ?? null);
}

// ---------------------------------------------------------------------------------------------

function readTitle(doc: Document): string | null {
  const t =
    maybeText(doc, [
      'h1.x-item-title__mainTitle',
      '.x-item-title__mainTitle',
      'h1#itemTitle',
      '#itemTitle',
    ]) ?? metaContent(doc, 'og:title');
  if (!t) return null;
  return (
    clean(
      t
        .replace(
          /^(details about|détails sur|details zu|dettagli su|detalles de acerca de|detalles acerca de)\s+/i,
          '',
        )
        .replace(/\s*\|\s*eBay.*$/i, ''),
      1000,
    ) || null
  );
}

/** Containers every eBay item page layout has had (ids: cheap to look up). */
const ITEM_PAGE = [
  '#mainContent',
  '#CenterPanel',
  '#CenterPanelInternal',
  '#RightSummaryPanel',
  '#LeftSummaryPanel',
  '#itemTitle',
  '#prcIsum',
];

function extract(doc: Document, url: URL): ProductSnapshot | null {
  // Not an item page (an error page, a captcha, a bare document): nothing to read.
  const main = $(doc, ITEM_PAGE);
  if (!main) return null;
  const site = ownSite(url);
  const itemId =
    ebayItemIdFromUrl(url) ??
    (maybeText(doc, ['#descItemNumber', '.ux-layout-section__textual-display--itemId .ux-textspans--BOLD']) ||
      null);
  if (!site || !itemId || !/^\d{9,15}$/.test(itemId)) return null;
  const title = readTitle(doc);
  const price = readPrice(doc, url);
  const seller = readSeller(doc, url);
  // A page with none of these is not an item page (a search page, an error page).
  if (!title && !price && !seller) return null;
  const specs = specifics(doc);
  const schema = readSchemaProducts(doc)[0] ?? null;
  const gtinText = specific(specs, GTIN_LABELS);
  const gtin = (gtinText ? normalizeGtin(gtinText.split(/[,;/\s]+/)[0] ?? '') : null) ?? schema?.gtin ?? null;
  const brandText = specific(specs, BRAND_LABELS) ?? schema?.brand ?? null;
  const brand =
    brandText &&
    !/^(unbranded|does not apply|markenlos|sans marque|senza marca|sin marca|n\/a)$/i.test(brandText)
      ? brandText
      : null;
  return {
    marketplace: 'ebay',
    site,
    url: canonicalFor(url, site, itemId) ?? `https://www.${site}/itm/${itemId}`,
    productId: itemId,
    gtin,
    title,
    brand,
    price,
    seller,
    condition: readCondition(doc),
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'ebay',
  marketplace: 'ebay',
  domains: DOMAINS,
  matches(url: URL): boolean {
    const site = ownSite(url);
    if (!site || !(DOMAINS as readonly string[]).includes(site)) return false;
    return ebayItemIdFromUrl(url) !== null;
  },
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.ebay.com/itm/226771798286',
      'https://www.ebay.com/itm/NVIDIA-GeForce-RTX-5090-FE/226771798286?_skw=rtx&hash=item34',
      'https://www.ebay.co.uk/itm/226771798286',
      'https://www.ebay.de/itm/226771798286',
      'https://www.ebay.fr/itm/226771798286',
      'https://www.ebay.it/itm/226771798286',
      'https://www.ebay.es/itm/226771798286',
      'https://www.ebay.ca/itm/226771798286',
      'https://www.ebay.com.au/itm/226771798286',
      'https://www.ebay.at/itm/226771798286',
      'https://www.ebay.ch/itm/226771798286',
      'https://www.ebay.ie/itm/226771798286',
      'https://www.ebay.nl/itm/226771798286',
      'https://www.ebay.be/itm/226771798286',
      'https://www.ebay.pl/itm/226771798286',
      'https://m.ebay.com/itm/226771798286',
    ],
    noMatch: [
      'https://www.ebay.com/',
      'https://www.ebay.com/p/1701411334',
      'https://www.ebay.com/sch/i.html?_nkw=rtx+5090',
      'https://www.ebay.com/usr/salomon0651',
      'https://www.ebay.com/str/somestore',
      'https://www.ebay.com/b/Electronics/bn_7000259124',
      'https://www.ebay.com/itm/notanumber',
      'https://www.ebay.cn/itm/226771798286',
      'https://www.notebay.com/itm/226771798286',
    ],
  },
};
