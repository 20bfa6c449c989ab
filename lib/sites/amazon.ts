/**
 * Amazon product pages, on every storefront (desktop, mobile and layouts back to ~2015).
 *
 * What is read, and from where (first match wins):
 * - productId: the SELECTED variation's ASIN (input#ASIN of the buy box form, the offer's ASIN,
 *   the twister's selection), not the parent ASIN a variation URL may carry.
 * - price: the offer the buy button buys: the active buy box row's price (accordion layouts),
 *   the buy box's price-to-pay, the add-to-cart form's customerVisiblePrice, then the older
 *   ids (#price_inside_buybox, #newBuyBoxPrice, #priceblock_ourprice/dealprice/saleprice,
 *   #kindle-price, used/new accordion headers). Never the list price (.a-text-price, basis
 *   price), the unit price, instalments or "other sellers" boxes.
 * - seller: the buy box's "Sold by" (#sellerProfileTriggerId, merchant info, tabular buy box,
 *   the "Ships from and sold by X." sentence in a dozen languages); the merchant id from a
 *   `seller=` link or the form's merchantID. Amazon itself -> isPlatform true, id null.
 * - no buy box (unavailable, "See all buying options"): price, seller and condition null.
 * - brand: product overview / details "Brand" row, then the byline ("Visit the X Store",
 *   "Brand: X", "Marke: X", ...); author bylines of books are not brands.
 * - gtin: an ISBN-13 / EAN / UPC / GTIN row of the details, normalised to 14 digits.
 *
 * Try it: https://www.amazon.com/dp/B00OQVZDJM, https://www.amazon.de/dp/B07PGL2ZSL,
 * https://www.amazon.co.jp/dp/B08KGG4BFM.
 */
import { normalizeGtin } from '../feed/gtin';
import { normalizeName } from '../feed/names';
import {
  $,
  $$,
  attr,
  clean,
  labelledPairs,
  maybeAttr,
  maybeOne,
  maybeText,
  maybeUrl,
  metaContent,
  text,
} from './dom';
import { type Price, parseAmount, parsePrice } from './price';
import { amazonAsinFromUrl, canonicalFor, siteIn } from './product-url';
import type { Condition, ProductSnapshot } from './snapshot';
import type { SiteAdapter, SiteReader } from './types';

const DOMAINS = [
  'amazon.com',
  'amazon.ca',
  'amazon.com.mx',
  'amazon.com.br',
  'amazon.co.uk',
  'amazon.de',
  'amazon.fr',
  'amazon.it',
  'amazon.es',
  'amazon.nl',
  'amazon.se',
  'amazon.pl',
  'amazon.com.be',
  'amazon.com.tr',
  'amazon.ae',
  'amazon.sa',
  'amazon.eg',
  'amazon.in',
  'amazon.co.jp',
  'amazon.sg',
  'amazon.com.au',
] as const;
const DOMAIN_SET: ReadonlySet<string> = new Set(DOMAINS);

/** The registrable domain of an Amazon URL; null on any other site. */
function ownSite(url: URL): string | null {
  return siteIn(url, DOMAIN_SET);
}

const ASIN = /^[A-Z0-9]{10}$/;
const MERCHANT_ID = /^[A-Z0-9]{10,16}$/;

/**
 * Merchant ids of Amazon's own retail on its storefronts (amazon.com, .co.uk, .de, .fr, .it,
 * .es, .ca, .co.jp, .com.br). Used only when the page names no seller: the shown name decides
 * otherwise.
 */
const PLATFORM_MERCHANT_IDS = new Set([
  'ATVPDKIKX0DER',
  'A3P5ROKL5A1OLE',
  'A3JWKAKR8XB7XF',
  'A1X6FK5RDHNB96',
  'A11IL2PNWYJU7H',
  'A1AT7YVPFBWXBL',
  'A3DWYIK6Y9EEQB',
  'AN1VRQENFRJN5',
  'A1ZZFT5FULY4LN',
]);

/**
 * "Amazon", "Amazon.com", "Amazon.co.uk", "Amazon EU S.à r.l.", "Amazon Export Sales LLC",
 * "Amazon Digital Services LLC", "Amazon.com Services LLC", "Amazon Warehouse", "Amazon US", ...
 * but not a third-party shop whose name merely starts with the word ("Amazonia Crafts").
 */
const PLATFORM_NAME =
  /^amazon(?:\.[a-z]{2,3}(?:\.[a-z]{2})?)?(?:\s+(?:eu|us|uk|usa|export|digital|media|services?|retail|japan|warehouse|resale|fresh|global|seller services|mexico|méxico|brasil|brazil|canada|australia|sweden|poland|italia|france|deutschland|españa|spain|turkey|türkiye|singapore|india|japan|uae|saudi|egypt|technologies|com|co|llc|inc|gmbh|ltd|s\.?\s?à\.?\s?r\.?\s?l\.?)(?:\b.*)?)?\.?$/u;

export function isAmazonName(name: string | null): boolean {
  if (!name) return false;
  return PLATFORM_NAME.test(normalizeName(name));
}

// ---------------------------------------------------------------------------------------------
// Where the offer lives

/** The part of the page describing the offer the buy button buys (null: no buy box at all). */
function buyBoxScope(doc: Document): Element | null {
  const accordion = maybeOne(doc, '#buyBoxAccordion');
  if (accordion) {
    const rows = $$(accordion, ':scope > .a-box, :scope > div', 50);
    const active = rows.find((r) => r.classList.contains('a-accordion-active')) ?? rows[0];
    if (active) return active;
  }
  return $(doc, ['#buybox', '#desktop_buybox', '#qualifiedBuybox', '#buyBoxInner', '#rightCol', '#ppd']);
}

/** Buttons that mean "this page sells something right here". */
const BUY_BUTTONS = [
  '#add-to-cart-button',
  '#buy-now-button',
  '#add-to-cart-button-ubb',
  '#one-click-button',
  '#bb_to_cfg_button',
  '#submit\\.add-to-cart',
  '#mobile-add-to-cart-button',
  'input[name="submit.add-to-cart"]',
  'input[name="submit.buy-now"]',
  'input[name="submit.one-click-order.x"]',
];

/** Markers of a page with nothing to buy: unavailable, or "See all buying options" only. */
const NO_OFFER = [
  '#outOfStock',
  '#outOfStockBuyBox_feature_div',
  '#unqualifiedBuyBox',
  '#buybox-see-all-buying-choices',
  '#buybox-see-all-buying-choices-announce',
  '#fod-cx-box',
];

function hasNoOffer(doc: Document): boolean {
  const marker = $(doc, NO_OFFER);
  if (!marker) return false;
  return $(doc, BUY_BUTTONS) === null;
}

// ---------------------------------------------------------------------------------------------
// Price

function hintFor(url: URL): { site: string } {
  return { site: url.hostname };
}

/** Is the element inside something that is not the price to pay (list, unit or other offers)? */
function isExcludedPrice(el: Element): boolean {
  for (let e: Element | null = el, depth = 0; e && depth < 12; e = e.parentElement, depth++) {
    const cls = typeof e.className === 'string' ? e.className : '';
    if (e.getAttribute('data-a-strike') === 'true') return true;
    if (/\b(a-text-price|basisPrice|pricePerUnit|a-text-strike|savingsPercentage)\b/.test(cls)) return true;
    if (
      /^(installmentCalculator_feature_div|mbc|moreBuyingChoices_feature_div|olp_feature_div|aod-container|sims-fbt|similarities_feature_div|unifiedPrice_feature_div_unit)$/.test(
        e.id,
      )
    ) {
      return true;
    }
  }
  return false;
}

/** One `.a-price` element: its off-screen text, else symbol + whole + fraction. */
function readAPrice(el: Element, url: URL): Price | null {
  const off = text(maybeOne(el, '.a-offscreen'));
  if (off) {
    const p = parsePrice(off, hintFor(url));
    if (p) return p;
  }
  const whole = text(maybeOne(el, '.a-price-whole')).replace(/[.,\s]+$/, '');
  if (whole) {
    const symbol = text(maybeOne(el, '.a-price-symbol'));
    const fraction = text(maybeOne(el, '.a-price-fraction'));
    const decimal = text(maybeOne(el, '.a-price-decimal')) || '.';
    const composed = `${symbol}${whole}${fraction ? `${decimal}${fraction}` : ''}`;
    const p = parsePrice(composed, hintFor(url));
    if (p) return p;
  }
  return parsePrice(text(el), hintFor(url));
}

/** First acceptable price among the elements matching the selectors inside root. */
function firstPrice(root: Document | Element | null, selectors: readonly string[], url: URL): Price | null {
  for (const sel of selectors) {
    for (const el of $$(root, sel, 20)) {
      if (isExcludedPrice(el)) continue;
      const p = el.classList.contains('a-price')
        ? readAPrice(el, url)
        : parsePrice(text(el, 200), hintFor(url));
      if (p) return p;
    }
  }
  return null;
}

/** The add-to-cart form's own figures: items[0.base][customerVisiblePrice][amount|currencyCode]. */
function formPrice(root: Document | Element | null): Price | null {
  for (const amountEl of $$(root, 'input[name="items[0.base][customerVisiblePrice][amount]"]', 10)) {
    const form = amountEl.closest('form') ?? amountEl.parentElement;
    const amount = parseAmount(attr(amountEl, 'value'), '.');
    const currency = maybeAttr(
      form,
      'input[name="items[0.base][customerVisiblePrice][currencyCode]"]',
      'value',
    );
    if (amount !== null && currency && /^[A-Z]{3}$/.test(currency)) return { amount, currency };
  }
  return null;
}

const SCOPED_PRICE = [
  '#corePrice_feature_div .a-price',
  '#corePriceDisplay_desktop_feature_div .priceToPay',
  '#corePriceDisplay_desktop_feature_div .apexPriceToPay',
  '#corePriceDisplay_mobile_feature_div .priceToPay',
  '#apex_desktop .priceToPay',
  '#apex_desktop .apexPriceToPay',
  '#apex_mobile_feature_div .priceToPay',
  '#newOfferAccordionRow .header-price',
  '#buyNewSection .offer-price',
  '#usedBuySection .offer-price',
  '#price_inside_buybox',
  '#newBuyBoxPrice',
  '#kindle-price',
];

const PAGE_PRICE = [
  '#corePrice_desktop .apexPriceToPay',
  '#corePrice_desktop .priceToPay',
  '#corePriceDisplay_desktop_feature_div .priceToPay',
  '#corePriceDisplay_desktop_feature_div .apexPriceToPay',
  '#price_inside_buybox',
  '#newBuyBoxPrice',
  '#priceblock_dealprice',
  '#priceblock_saleprice',
  '#priceblock_ourprice',
  '#priceblock_pospromoprice',
  '#kindle-price',
  '#buyNewSection .offer-price',
  '#newOfferAccordionRow .header-price',
  '#usedBuySection .offer-price',
  '#tmmSwatches .a-button-selected .slot-price',
  '#tmmSwatches .a-button-selected .a-color-price',
];

function readPrice(doc: Document, scope: Element | null, url: URL): Price | null {
  return (
    firstPrice(scope, SCOPED_PRICE, url) ??
    formPrice(scope) ??
    firstPrice(doc, PAGE_PRICE, url) ??
    formPrice(maybeOne(doc, '#buybox')) ??
    // Old book pages whose buy box lost its figures: the "Frequently bought together" row for
    // this very item states the featured offer's price.
    firstPrice(doc, ['.sims-fbt-this-item'], url)
  );
}

// ---------------------------------------------------------------------------------------------
// Seller

/** "Ships from and sold by X." and its translations; group 1 is the seller's name. */
const SOLD_BY: readonly RegExp[] = [
  /(?:ships from and sold by|dispatched from and sold by|sold by|sold and shipped by)\s+(.+?)(?:\s+and\s+(?:is\s+)?fulfil+ed by\b|\s+and ships from\b|\.(?:\s|$)|$)/i,
  /(?:versand und verkauf durch|verkauf durch|verkauft von|verkäufer:?)\s+(.+?)(?:\s+und\s+versand\b|\.(?:\s|$)|$)/i,
  /(?:expédié et vendu par|vendu par|vendu et expédié par)\s+(.+?)(?:\s+et\s+expédié\b|\.(?:\s|$)|$)/i,
  /(?:vendido y enviado por|enviado y vendido por|vendido por)\s+(.+?)(?:\s+y\s+(?:enviado|gestionado)\b|\.(?:\s|$)|$)/i,
  /(?:venduto e spedito da|spedito e venduto da|venduto da)\s+(.+?)(?:\s+e\s+spedito\b|\.(?:\s|$)|$)/i,
  /(?:verkocht en verzonden door|verzonden en verkocht door|verkocht door)\s+(.+?)(?:\s+en\s+verzonden\b|\.(?:\s|$)|$)/i,
  /(?:vendido e entregue por|enviado e vendido por|vendido por)\s+(.+?)(?:\s+e\s+(?:entregue|enviado)\b|\.(?:\s|$)|$)/i,
  /(?:sprzedawany i wysyłany przez|sprzedawane i wysyłane przez|sprzedawca:?|sprzedawane przez)\s+(.+?)(?:\.(?:\s|$)|$)/i,
  /(?:säljs och skickas av|säljs av)\s+(.+?)(?:\.(?:\s|$)|$)/i,
  /(?:يباع من قبل|يُباع من قِبل|البائع)\s*:?\s*(.+?)(?:\.(?:\s|$)|$)/,
  /^(.+?)\s*が販売(?:、発送)?します/,
  /^(.+?)\s+tarafından satılır/i,
];

function sellerFromSentence(sentence: string): string | null {
  const s = clean(sentence, 400);
  for (const re of SOLD_BY) {
    const m = re.exec(s);
    const name = clean(m?.[1]);
    if (name && name.length <= 200) return name;
  }
  return null;
}

function sellerIdFromHref(href: string | null, url: URL): string | null {
  const u = maybeUrl(href, url);
  const id = u?.searchParams.get('seller') ?? u?.searchParams.get('merchantId') ?? null;
  return id && MERCHANT_ID.test(id) ? id : null;
}

interface SellerRead {
  readonly name: string | null;
  readonly id: string | null;
}

/** The "Sold by" of the buy box, in whichever layout the page uses. */
function readSellerParts(doc: Document, scope: Element | null, url: URL): SellerRead {
  const roots: (Document | Element | null)[] = [scope, maybeOne(doc, '#buybox'), doc];
  for (const root of roots) {
    if (!root) continue;
    // Current layout: offer display features ("Sold by" row) and accordion headers.
    const trigger = maybeOne(root, '#sellerProfileTriggerId');
    const triggerName = text(trigger, 300) || null;
    const triggerId = sellerIdFromHref(attr(trigger, 'href'), url);
    if (triggerName) return { name: triggerName, id: triggerId };
    const odf = maybeText(root, [
      '#merchantInfoFeature_feature_div .offer-display-feature-text-message',
      '#merchantInfoFeature_feature_div .offer-display-feature-text',
      '#tabular-buybox .tabular-buybox-text[tabular-attribute-name="Sold by"] span',
      '#tabular-buybox-truncate-1 .tabular-buybox-text',
      '.print-sold-by .a-color-base',
    ]);
    if (odf) return { name: odf, id: triggerId };
    const sfsb = sfsbSeller(root);
    if (sfsb) return { name: sfsb, id: triggerId };
    // Older layouts: one sentence.
    const info = maybeOne(root, '#merchant-info');
    if (info) {
      const linkId = $$(info, 'a[href*="seller="]', 5)
        .map((a) => sellerIdFromHref(attr(a, 'href'), url))
        .find((x) => x !== null);
      const name = sellerFromSentence(text(info, 400));
      if (name) return { name, id: linkId ?? triggerId };
    }
  }
  return { name: null, id: null };
}

/** "Ships from: X Sold by: Y" accordion header rows (span pairs). */
function sfsbSeller(root: Document | Element): string | null {
  const head = maybeOne(root, '#sfsb_accordion_head');
  if (!head) return null;
  const spans = $$(head, 'span', 10).map((s) => text(s, 300));
  const i = spans.findIndex((t) =>
    /^(sold by|verkauf durch|vendu par|vendido por|venduto da|verkocht door)\s*:?$/i.test(t),
  );
  return i >= 0 ? (spans[i + 1] ?? null) || null : null;
}

function merchantIdInput(scope: Element | null, doc: Document): string | null {
  const form = maybeOne(scope, 'form#addToCart') ?? maybeOne(doc, '#buybox form#addToCart') ?? doc;
  const v = maybeAttr(
    form,
    ['input#merchantID', 'input[name="merchantID"]', 'input#usedMerchantID'],
    'value',
  );
  return v && MERCHANT_ID.test(v) ? v : null;
}

function readSeller(doc: Document, scope: Element | null, url: URL): ProductSnapshot['seller'] {
  const parts = readSellerParts(doc, scope, url);
  const id = parts.id ?? merchantIdInput(scope, doc);
  const name = parts.name ? parts.name.replace(/\.$/, '') || null : null;
  if (!name && !id) return null;
  const isPlatform = name ? isAmazonName(name) : id !== null && PLATFORM_MERCHANT_IDS.has(id);
  return { id: isPlatform ? null : id, name, isPlatform };
}

// ---------------------------------------------------------------------------------------------
// Identity: ASIN, title, brand, GTIN, condition

function readAsin(doc: Document, scope: Element | null, url: URL): string | null {
  const candidates = [
    maybeAttr(scope, ['input#ASIN', 'input[name="ASIN"]', 'input[name="items[0.base][asin]"]'], 'value'),
    maybeAttr(doc, ['#buybox input#ASIN', '#buybox input[name="ASIN"]'], 'value'),
    maybeAttr(doc, 'input[name="items[0.base][asin]"]', 'value'),
    maybeAttr(doc, ['input#ASIN', 'input[name="ASIN"]', 'input[name="ASIN.0"]'], 'value'),
    maybeAttr(doc, '#all-offers-display-params', 'data-asin'),
    maybeAttr(
      doc,
      ['#corePrice_feature_div[data-csa-c-asin]', '#title_feature_div[data-csa-c-asin]'],
      'data-csa-c-asin',
    ),
    maybeAttr(
      doc,
      ['#twister .swatchSelect[data-defaultasin]', '#twister li.selected[data-defaultasin]'],
      'data-defaultasin',
    ),
    maybeAttr(doc, '[data-asin][id="averageCustomerReviews"]', 'data-asin'),
    amazonAsinFromUrl(url),
  ];
  for (const c of candidates) {
    const v = c?.toUpperCase() ?? null;
    if (v && ASIN.test(v)) return v;
  }
  return null;
}

function readTitle(doc: Document): string | null {
  const t =
    maybeText(doc, ['#productTitle', '#ebooksProductTitle', '#title_feature_div h1', '#title']) ??
    metaContent(doc, 'title') ??
    metaContent(doc, 'og:title');
  if (!t) return null;
  return clean(t.replace(/^Amazon(?:\.[a-z.]+)?\s*[:|]\s*/i, ''), 1000) || null;
}

const DETAIL_ROWS = [
  '#productOverview_feature_div tr',
  '#poExpander tr',
  '#productDetails_techSpec_section_1 tr',
  '#productDetails_techSpec_section_2 tr',
  '#productDetails_detailBullets_sections1 tr',
  '#productDetails_expanderTables_depthLeftSections tr',
  '#productDetails_expanderTables_depthRightSections tr',
  '#technicalSpecifications_section_1 tr',
  '#prodDetails table tr',
  '#tech-specs-mobile tr',
  '#detailBullets_feature_div li',
  '#detailBulletsWrapper_feature_div li',
  '#detail_bullets_id li',
  '#detail-bullets li',
  '#productDetailsTable li',
  '#detail_bullets_id tr',
];

/** Every label/value row of the page's product details, overview and bullets (read once). */
function detailPairs(doc: Document): [string, string][] {
  const out: [string, string][] = [];
  for (const sel of DETAIL_ROWS) out.push(...labelledPairs(doc, sel, 500));
  return out;
}

function detailValue(pairs: readonly [string, string][], label: RegExp): string | null {
  for (const [l, v] of pairs) if (label.test(l)) return v;
  return null;
}

const BRAND_LABEL =
  /^(brand|brand name|marke|marca|marque|merk|märke|marka|ブランド|ブランド名|العلامة التجارية|الماركة|品牌|brand name\s*\/\s*marke)$/i;
const MANUFACTURER_LABEL =
  /^(manufacturer|hersteller|fabricant|fabricante|produttore|fabrikant|tillverkare|producent|üretici|メーカー|メーカー名|الشركة المصنعة)$/i;

/** Byline phrasings around a brand name, one capture group each. */
const BYLINE: readonly RegExp[] = [
  /^visit the (.+?) store$/i,
  /^(?:brand|marke|marca|marque|merk|märke|marka|ブランド)\s*[:：]\s*(.+)$/i,
  /^besuche(?:n sie)? den (.+?)-?store$/i,
  /^visitez la boutique (?:de |d['’])?(.+)$/i,
  /^visita la tienda de (.+)$/i,
  /^visita lo store di (.+)$/i,
  /^visite a loja (?:de |da |do )?(.+)$/i,
  /^bezoek de (.+?)-?winkel$/i,
  /^bezoek de (.+?)-?store$/i,
  /^besök (.+?)-?butiken$/i,
  /^odwiedź sklep (.+)$/i,
  /^(.+?) mağazasını ziyaret edin$/i,
  /^(.+?)\s*ストアにアクセス$/,
  /^(.+?)\s*のストアを表示$/,
  /^زيارة متجر (.+)$/,
  /^تفضل بزيارة متجر (.+)$/,
];

function brandFromByline(doc: Document): string | null {
  const el = $(doc, [
    '#bylineInfo',
    'a#brand',
    '#brand',
    '#bylineInfo_feature_div a',
    '#brandByline_feature_div a',
  ]);
  if (!el) return null;
  const href = attr(el, 'href') ?? '';
  const t = text(el, 300);
  if (!t) return null;
  // Author bylines ("by X (Author)") on books and media are not brands.
  if (
    /\/e\/[A-Z0-9]{10}|field-author=|ref=dp_byline_(?:sr|cont)_(?:book|ebooks|audible|music|dvd)/i.test(href)
  )
    return null;
  if ($$(doc, '#bylineInfo .author, #bylineInfo .contribution', 1).length > 0) return null;
  // A link to a browse node that is not a brand filter (e.g. a device family store) names a
  // category, not a brand: "Visite a loja de Echo e Alexa da Amazon".
  if (/\/b\/?\?/.test(href) && !/field-lbr_brands|field-brandtextbin/.test(href)) return null;
  for (const re of BYLINE) {
    const m = re.exec(t);
    if (m?.[1]) return clean(m[1], 200) || null;
  }
  if (/\s(store|boutique|tienda|loja|winkel|butiken|sklep|mağaza)\b/i.test(t)) return null;
  // A bare brand link ("3M", "ChangM").
  return t.length <= 100 ? t : null;
}

function readBrand(doc: Document, pairs: readonly [string, string][]): string | null {
  const row = detailValue(pairs, BRAND_LABEL);
  if (row) return row;
  const byline = brandFromByline(doc);
  if (byline) return byline;
  const el = $(doc, ['#bylineInfo', '#bylineInfo_feature_div a']);
  const href = attr(el, 'href') ?? '';
  const bookish = /\/e\/[A-Z0-9]{10}|field-author=|_book_|_ebooks_/.test(href);
  return bookish ? null : detailValue(pairs, MANUFACTURER_LABEL);
}

const GTIN_LABEL =
  /^(isbn-13|isbn13|ean|ean-13|ean13|upc|upc-a|gtin|gtin-13|gtin-14|jan|international article number|código ean|código upc|ean-code)$/i;

function readGtin(doc: Document, pairs: readonly [string, string][]): string | null {
  const candidates: (string | null)[] = [
    detailValue(pairs, GTIN_LABEL),
    maybeText(doc, '#rpi-attribute-book_details-isbn13 .rpi-attribute-value'),
  ];
  for (const c of candidates) {
    if (!c) continue;
    for (const token of c.split(/[,;/\s]+/)) {
      const g = normalizeGtin(token);
      if (g) return g;
    }
  }
  return null;
}

const REFURBISHED =
  /\b(renewed|refurbished|generalüberholt|reconditionné|ricondizionato|reacondicionado|recondicionado|gereviseerd|odnowiony|yenilenmiş|renovado)\b|整備済み/i;
const USED =
  /^(used|gebraucht|d'occasion|occasion|usato|usado|de segunda mano|tweedehands|gebruikt|używany|begagnad|ikinci el|中古)\b/i;

function readCondition(doc: Document, scope: Element | null, title: string | null): Condition {
  const rowId = scope?.id ?? '';
  if (/used/i.test(rowId)) return 'used';
  if (/renewed|refurb/i.test(rowId)) return 'refurbished';
  if (maybeOne(doc, '#usedOnlyBuybox') && !maybeOne(doc, '#newAccordionRow, #qualifiedBuybox')) return 'used';
  const renewedCaption = maybeText(doc, [
    '#renewedSingleOfferCaption_feature_div',
    '#renewedBuyBoxHeader_feature_div',
  ]);
  if (renewedCaption && REFURBISHED.test(renewedCaption)) return 'refurbished';
  if (
    title &&
    /\((?:[^()]*\s)?(renewed|refurbished|generalüberholt|reconditionné|ricondizionato|reacondicionado|recondicionado)\)\s*$/i.test(
      title,
    )
  ) {
    return 'refurbished';
  }
  const conditionText = maybeText(scope, [
    '#conditionInfoFeature_feature_div .offer-display-feature-text-message',
    '#usedItemConditionInfoLink',
  ]);
  if (conditionText && USED.test(conditionText)) return 'used';
  if (conditionText && REFURBISHED.test(conditionText)) return 'refurbished';
  return 'new';
}

// ---------------------------------------------------------------------------------------------

/** Containers of every Amazon product page layout (ids only: cheap even on a huge page). */
const PRODUCT_PAGE = [
  '#productTitle',
  '#ebooksProductTitle',
  '#dp',
  '#dp-container',
  '#ppd',
  '#buybox',
  '#addToCart',
  '#title_feature_div',
  '#centerCol',
];

function looksLikeProductPage(doc: Document): boolean {
  return $(doc, PRODUCT_PAGE) !== null;
}

function extract(doc: Document, url: URL): ProductSnapshot | null {
  if (!looksLikeProductPage(doc)) return null;
  const site = ownSite(url);
  if (!site) return null;
  const scope = buyBoxScope(doc);
  const productId = readAsin(doc, scope, url);
  const title = readTitle(doc);
  const noOffer = hasNoOffer(doc);
  const price = noOffer ? null : readPrice(doc, scope, url);
  const seller = noOffer ? null : readSeller(doc, scope, url);
  const canonical = canonicalFor(url, site, productId);
  if (!canonical) return null;
  const pairs = detailPairs(doc);
  return {
    marketplace: 'amazon',
    site,
    url: canonical,
    productId,
    gtin: readGtin(doc, pairs),
    title,
    brand: readBrand(doc, pairs),
    price,
    seller,
    condition: noOffer || (price === null && seller === null) ? null : readCondition(doc, scope, title),
  };
}

/** The adapter without its example URLs: what the marketplace content script runs. */
export const reader: SiteReader = {
  name: 'amazon',
  marketplace: 'amazon',
  domains: DOMAINS,
  matches(url: URL): boolean {
    const site = ownSite(url);
    if (!site || !(DOMAINS as readonly string[]).includes(site)) return false;
    return amazonAsinFromUrl(url) !== null;
  },
  extract,
  expected: ['productId', 'title', 'price', 'seller'],
};

export const adapter: SiteAdapter = {
  ...reader,
  examples: {
    match: [
      'https://www.amazon.com/dp/B00OQVZDJM',
      'https://www.amazon.com/Amazon-Kindle-Paperwhite-6-Inch-4GB-eReader/dp/B00OQVZDJM/ref=sr_1_1?qid=1&sr=8-1',
      'https://www.amazon.com/gp/product/B00N150YS4?psc=1',
      'https://www.amazon.com/gp/aw/d/B00N150YS4',
      'https://smile.amazon.com/dp/1937785734',
      'https://www.amazon.ca/dp/B07PGL2ZSL',
      'https://www.amazon.com.mx/dp/B07PGL2ZSL',
      'https://www.amazon.com.br/Novo-Echo-Dot-Max-Preto/dp/B0DKLQT9XR',
      'https://www.amazon.co.uk/Vegetable-Perfection-delicious-recipes-shoots/dp/1849757097',
      'https://www.amazon.de/dp/B07PGL2ZSL',
      'https://www.amazon.fr/Art-Avatar-Way-Water/dp/0241401127',
      'https://www.amazon.it/dp/B07PGL2ZSL',
      'https://www.amazon.es/Cecotec-Excellence-Aspirador-Programable-Limpieza/dp/B01MUGXRT9',
      'https://www.amazon.nl/dp/B07PGL2ZSL',
      'https://www.amazon.se/dp/B07PGL2ZSL',
      'https://www.amazon.pl/dp/B07PGL2ZSL',
      'https://www.amazon.com.be/dp/B07PGL2ZSL',
      'https://www.amazon.com.tr/dp/B07PGL2ZSL',
      'https://www.amazon.ae/dp/B07PGL2ZSL',
      'https://www.amazon.sa/dp/B07PGL2ZSL',
      'https://www.amazon.eg/dp/B07PGL2ZSL',
      'https://www.amazon.in/Apple-iPhone-13-128GB-Green/dp/B09V4B6K53',
      'https://www.amazon.co.jp/dp/B08KGG4BFM',
      'https://www.amazon.sg/dp/B07PGL2ZSL',
      'https://www.amazon.com.au/dp/B07PGL2ZSL',
      'https://m.amazon.de/gp/aw/d/B07PGL2ZSL/',
    ],
    noMatch: [
      'https://www.amazon.com/',
      'https://www.amazon.com/s?k=duct+tape',
      'https://www.amazon.com/gp/cart/view.html',
      'https://www.amazon.com/stores/Gorilla/page/3E69C964-1A91-4CEE-9A26-A6F94E8D85F9',
      'https://www.amazon.com/gp/offer-listing/B00N150YS4',
      'https://www.amazon.com/product-reviews/B00N150YS4',
      'https://www.amazon.cn/dp/B07PGL2ZSL',
      'https://www.notamazon.com/dp/B07PGL2ZSL',
      'https://amazon.example.com/dp/B07PGL2ZSL',
    ],
  },
};
