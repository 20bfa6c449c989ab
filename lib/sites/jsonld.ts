/**
 * schema.org Product and Offer data from a page: JSON-LD and microdata.
 *
 *   readSchemaProducts(doc): SchemaProduct[]   JSON-LD products first, then microdata ones
 *   readJsonLd(doc): SchemaProduct[]           every Product in <script type="application/ld+json">
 *   readMicrodata(doc): SchemaProduct[]        every itemscope itemtype=".../Product"
 *   jsonLdValues(doc): unknown[]               the parsed JSON-LD scripts, for adapters that need
 *                                              other types (BreadcrumbList, Organization, ...)
 *   productFromNode(node): SchemaProduct|null  reads one Product-shaped object (JSON-LD node, or
 *                                              the same shape embedded in a site's own state)
 *   bestOffer(product): SchemaOffer | null     the offer to show: the first single Offer with a
 *                                              price, else an AggregateOffer's, else the first
 *   normalizeCondition(value)                  "https://schema.org/UsedCondition" -> "used"
 *   isbn10To13(isbn10)                         "0241401127" -> "9780241401125"
 *
 * and, for shops that ship their data as JSON inside scripts (read as text, JSON.parse only):
 *   assignedJson(doc, "window.runParams")      the JSON value assigned after a marker
 *   scriptJsonById(doc, "__NEXT_DATA__")       JSON.parse of <script id=...>
 *   scriptMatch(doc, /sellerId\s*:\s*'(\d+)'/)  first capture group in any inline script
 *   balancedJsonAt(text, index)                the balanced {...} or [...] starting there
 *   findKey(json, key, accept?)                first own property `key` anywhere in parsed JSON
 *   pick(json, ["a", "b", 0])                  a nested own property, or undefined
 *   asText(value)                              a trimmed string from a string or number
 *
 * What is read: Product, ProductGroup, IndividualProduct, ProductModel, Book, Vehicle nodes at any
 * depth (top level, arrays, "@graph", nested under WebPage.mainEntity, Offer.itemOffered, ...);
 * name; brand as a string, {name} or an array of either; gtin / gtin8 / gtin12 / gtin13 / gtin14 /
 * isbn (ISBN-10 converted) as the 14-digit GTIN when the check digit is right; sku; mpn; url;
 * offers as an Offer, an AggregateOffer (lowPrice when it has no price; its nested offers too) or
 * an array; each offer's price (or priceSpecification price), priceCurrency (ISO 4217 only),
 * availability (short schema.org name: "InStock", ...), itemCondition, seller ({name, @id} or a
 * string), url.
 *
 * Never throws, whatever the page holds: malformed JSON is skipped (after one lenient retry that
 * drops HTML comment/CDATA wrappers and raw control characters), scripts over 2 MB are skipped,
 * at most 100 scripts are read, objects are walked to depth 32 and 20,000 nodes at most, and page
 * keys are only ever read with own-property checks, so "__proto__" or "constructor" keys are
 * plain data. Nothing is evaluated.
 */
import { normalizeGtin } from '../feed/gtin';
import { parseAmount, parsePrice } from './price';
import type { Condition } from './snapshot';

export type SchemaSeller = { id: string | null; name: string | null };

export interface SchemaOffer {
  price: number | null;
  currency: string | null;
  /** Short schema.org ItemAvailability name ("InStock", "OutOfStock", ...), or null. */
  availability: string | null;
  condition: Condition | null;
  seller: SchemaSeller | null;
  url: string | null;
  sku: string | null;
  gtin: string | null;
  /** True for an AggregateOffer (a summary of offers, price = lowPrice when it has none). */
  aggregate: boolean;
}

export interface SchemaProduct {
  source: 'json-ld' | 'microdata';
  /** The schema.org type read ("Product", "ProductGroup", ...). */
  type: string;
  name: string | null;
  brand: string | null;
  /** 14 digits, check digit verified. */
  gtin: string | null;
  sku: string | null;
  mpn: string | null;
  /** productID as given (not a GTIN unless it parses as one, which then fills gtin). */
  productId: string | null;
  url: string | null;
  condition: Condition | null;
  offers: SchemaOffer[];
}

export const MAX_SCRIPT_CHARS = 2 * 1024 * 1024;
const MAX_SCRIPTS = 100;
const MAX_DEPTH = 32;
const MAX_NODES = 20_000;
const MAX_OFFERS = 200;
const MAX_STRING = 2000;

const PRODUCT_TYPES = new Set([
  'Product',
  'ProductGroup',
  'IndividualProduct',
  'ProductModel',
  'Book',
  'Vehicle',
  'Car',
]);
const OFFER_TYPES = new Set(['Offer', 'AggregateOffer']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own property only: "__proto__", "constructor" and friends are data, never the prototype. */
function get(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the few HTML entities that shops leave in JSON-LD strings ("Tom &amp; Jerry"). */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,5});/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x')
        ? Number.parseInt(lower.slice(2), 16)
        : Number.parseInt(lower.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[lower] ?? whole;
  });
}

/** A non-empty trimmed string (numbers as their decimal text), or null. */
function str(v: unknown): string | null {
  const x = first(v);
  let s: string | null = null;
  if (typeof x === 'string') s = x;
  else if (typeof x === 'number' && Number.isFinite(x)) s = String(x);
  if (s === null) return null;
  const out = decodeEntities(s.slice(0, MAX_STRING))
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
  return out === '' ? null : out;
}

/** "http://schema.org/Product", "schema:Product", "Product" -> "Product". */
function shortName(v: string): string {
  const s = v.trim();
  const cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf(':'), s.lastIndexOf('#'));
  return cut >= 0 ? s.slice(cut + 1) : s;
}

function types(o: Obj): string[] {
  const t = get(o, '@type') ?? get(o, 'type');
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map(shortName);
}

function nameOf(v: unknown): string | null {
  const x = first(v);
  if (isObj(x)) return str(get(x, 'name')) ?? str(get(x, '@name'));
  return str(x);
}

/** ISBN-10 -> ISBN-13 ("978" prefix, new check digit); null when the ISBN-10 is malformed. */
export function isbn10To13(isbn10: string): string | null {
  const s = isbn10.replace(/[\s-]/g, '').toUpperCase();
  if (!/^\d{9}[\dX]$/.test(s)) return null;
  let sum10 = 0;
  for (let i = 0; i < 10; i++) {
    const ch = s[i] as string;
    sum10 += (ch === 'X' ? 10 : Number(ch)) * (10 - i);
  }
  if (sum10 % 11 !== 0) return null;
  const core = `978${s.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(core[i]) * (i % 2 === 0 ? 1 : 3);
  return `${core}${(10 - (sum % 10)) % 10}`;
}

function gtinOf(o: Obj): string | null {
  for (const key of ['gtin14', 'gtin13', 'gtin12', 'gtin', 'gtin8', 'isbn', 'productID', 'productId']) {
    let v = str(get(o, key));
    if (!v) continue;
    v = v.replace(/^(?:gtin\d*|ean|upc|isbn)\s*[:=]?\s*/i, '');
    const g = normalizeGtin(v) ?? (key === 'isbn' ? normalizeGtin(isbn10To13(v) ?? '') : null);
    if (g) return g;
  }
  return null;
}

/** "https://schema.org/UsedCondition", "UsedCondition", "used" -> "used"; null when unknown. */
export function normalizeCondition(value: unknown): Condition | null {
  const s = str(value);
  if (!s) return null;
  const n = shortName(s).toLowerCase();
  if (n === 'newcondition' || n === 'new') return 'new';
  if (n === 'usedcondition' || n === 'used' || n === 'damagedcondition') return 'used';
  if (n === 'refurbishedcondition' || n === 'refurbished') return 'refurbished';
  return null;
}

function currencyOf(v: unknown): string | null {
  const s = str(v)?.toUpperCase() ?? null;
  return s && /^[A-Z]{3}$/.test(s) ? s : null;
}

function amountOf(v: unknown, currency: string | null): number | null {
  const x = first(v);
  const n = parseAmount(x);
  if (n !== null) return n;
  if (typeof x === 'string') {
    const p = parsePrice(x, currency ? { currency } : undefined);
    return p ? p.amount : null;
  }
  return null;
}

function sellerOf(v: unknown): SchemaSeller | null {
  const x = first(v);
  if (typeof x === 'string') {
    const name = str(x);
    return name ? { id: null, name } : null;
  }
  if (!isObj(x)) return null;
  const name = str(get(x, 'name')) ?? str(get(x, 'legalName'));
  const id = str(get(x, '@id')) ?? str(get(x, 'identifier'));
  return name || id ? { id, name } : null;
}

function urlOf(v: unknown): string | null {
  const s = str(v);
  return s && /^https?:\/\//i.test(s) ? s : null;
}

function offersOf(v: unknown, out: SchemaOffer[], depth: number): void {
  if (depth > 6 || out.length >= MAX_OFFERS) return;
  const list = Array.isArray(v) ? v : [v];
  for (const x of list.slice(0, MAX_OFFERS)) {
    if (!isObj(x)) continue;
    const t = types(x);
    let currency = currencyOf(get(x, 'priceCurrency'));
    let price = amountOf(get(x, 'price'), currency);
    const spec = get(x, 'priceSpecification');
    const specs = (Array.isArray(spec) ? spec : [spec]).filter(isObj);
    if (price === null) {
      for (const s of specs) {
        const c = currencyOf(get(s, 'priceCurrency')) ?? currency;
        const p = amountOf(get(s, 'price'), c);
        if (p !== null) {
          price = p;
          currency = c;
          break;
        }
      }
    } else if (!currency) {
      currency = specs.map((s) => currencyOf(get(s, 'priceCurrency'))).find((c) => c !== null) ?? null;
    }
    if (price === null && t.includes('AggregateOffer')) price = amountOf(get(x, 'lowPrice'), currency);
    const availability = str(get(x, 'availability'));
    out.push({
      price,
      currency,
      availability: availability ? shortName(availability) : null,
      condition: normalizeCondition(get(x, 'itemCondition')),
      seller: sellerOf(get(x, 'seller')) ?? sellerOf(get(x, 'offeredBy')),
      url: urlOf(get(x, 'url')),
      sku: str(get(x, 'sku')),
      gtin: gtinOf(x),
      aggregate: t.includes('AggregateOffer'),
    });
    const nested = get(x, 'offers');
    if (nested !== undefined) offersOf(nested, out, depth + 1);
  }
}

/** Reads one Product-shaped object; null when it is not a product (no Product type). */
export function productFromNode(
  node: unknown,
  source: SchemaProduct['source'] = 'json-ld',
): SchemaProduct | null {
  try {
    if (!isObj(node)) return null;
    const type = types(node).find((t) => PRODUCT_TYPES.has(t));
    if (!type) return null;
    const offers: SchemaOffer[] = [];
    offersOf(get(node, 'offers'), offers, 0);
    const productIdRaw = str(get(node, 'productID')) ?? str(get(node, 'productId'));
    return {
      source,
      type,
      name: str(get(node, 'name')),
      brand: nameOf(get(node, 'brand')),
      gtin: gtinOf(node) ?? offers.find((o) => o.gtin)?.gtin ?? null,
      sku: str(get(node, 'sku')),
      mpn: str(get(node, 'mpn')),
      productId: productIdRaw,
      url: urlOf(get(node, 'url')) ?? urlOf(get(node, '@id')),
      condition: normalizeCondition(get(node, 'itemCondition')),
      offers,
    };
  } catch {
    return null;
  }
}

/** Walks parsed JSON for Product nodes (and Offers whose itemOffered is a product). */
function collectProducts(root: unknown, source: SchemaProduct['source'], out: SchemaProduct[]): void {
  let visited = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || visited >= MAX_NODES || out.length >= 50) return;
    visited++;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    if (!isObj(v)) return;
    const t = types(v);
    if (t.some((x) => PRODUCT_TYPES.has(x))) {
      const p = productFromNode(v, source);
      if (p) out.push(p);
      return;
    }
    if (t.some((x) => OFFER_TYPES.has(x))) {
      const item = get(v, 'itemOffered');
      if (isObj(item) && types(item).some((x) => PRODUCT_TYPES.has(x))) {
        const p = productFromNode({ ...item, offers: v }, source);
        if (p) out.push(p);
        return;
      }
    }
    for (const key of Object.keys(v)) walk(get(v, key), depth + 1);
  };
  walk(root, 0);
}

function lenientParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Shops wrap JSON-LD in <!-- --> or CDATA, or leave raw newlines inside strings.
    const cleaned = text
      .replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, '')
      .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)\s*$/, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are the point
      .replace(/[\u0000-\u001f]+/g, ' ');
    try {
      return JSON.parse(cleaned);
    } catch {
      return undefined;
    }
  }
}

/** The parsed value of every JSON-LD script in the page (skipping malformed and oversized ones). */
export function jsonLdValues(doc: Document): unknown[] {
  const out: unknown[] = [];
  try {
    const scripts = doc.querySelectorAll('script[type]');
    let read = 0;
    for (let i = 0; i < scripts.length && read < MAX_SCRIPTS; i++) {
      const s = scripts[i];
      const type = s?.getAttribute('type')?.trim().toLowerCase() ?? '';
      if (!type.startsWith('application/ld+json')) continue;
      read++;
      const text = s?.textContent ?? '';
      if (text.length === 0 || text.length > MAX_SCRIPT_CHARS) continue;
      const value = lenientParse(text);
      if (value !== undefined) out.push(value);
    }
  } catch {
    // a DOM that cannot be queried has no JSON-LD
  }
  return out;
}

/** Every schema.org Product described in the page's JSON-LD, in document order. */
export function readJsonLd(doc: Document): SchemaProduct[] {
  const out: SchemaProduct[] = [];
  for (const value of jsonLdValues(doc)) collectProducts(value, 'json-ld', out);
  return out;
}

const MICRO_DEPTH = 12;
const MICRO_PROPS = 2000;

/** The value of one itemprop element, per the HTML microdata rules (content attribute first). */
function microValue(el: Element, depth: number): unknown {
  if (el.hasAttribute('itemscope')) return microItem(el, depth + 1);
  const content = el.getAttribute('content');
  if (content !== null) return content;
  const tag = el.tagName.toLowerCase();
  if (tag === 'a' || tag === 'link' || tag === 'area') return el.getAttribute('href') ?? '';
  if (tag === 'img' || tag === 'source' || tag === 'video' || tag === 'audio')
    return el.getAttribute('src') ?? '';
  if (tag === 'data' || tag === 'meter' || tag === 'input') return el.getAttribute('value') ?? '';
  if (tag === 'time') return el.getAttribute('datetime') ?? el.textContent ?? '';
  return (el.textContent ?? '').slice(0, MAX_STRING);
}

/** One microdata item as a JSON-LD-shaped object ({"@type": ..., prop: value | value[]}). */
function microItem(scope: Element, depth: number): Obj {
  const item: Obj = Object.create(null);
  const itemtype = scope.getAttribute('itemtype');
  if (itemtype) item['@type'] = itemtype.trim().split(/\s+/);
  if (depth > MICRO_DEPTH) return item;
  const props = scope.querySelectorAll('[itemprop]');
  for (let i = 0; i < props.length && i < MICRO_PROPS; i++) {
    const el = props[i];
    if (!el) continue;
    // Only the properties of this item, not those of items nested inside it.
    const owner = el.parentElement?.closest('[itemscope]');
    if (owner !== scope) continue;
    const value = microValue(el, depth);
    for (const name of (el.getAttribute('itemprop') ?? '').trim().split(/\s+/)) {
      if (!name || name === '__proto__') continue;
      const prev = Object.hasOwn(item, name) ? item[name] : undefined;
      if (prev === undefined) item[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else item[name] = [prev, value];
    }
  }
  return item;
}

/** Every top-level microdata item whose type is a schema.org Product type. */
export function readMicrodata(doc: Document): SchemaProduct[] {
  const out: SchemaProduct[] = [];
  try {
    const scopes = doc.querySelectorAll('[itemscope][itemtype]');
    for (let i = 0; i < scopes.length && i < 500 && out.length < 50; i++) {
      const el = scopes[i];
      if (!el) continue;
      const itemtype = el.getAttribute('itemtype') ?? '';
      if (!/schema\.org\/(?:Product|ProductGroup|IndividualProduct|ProductModel|Book)\b/i.test(itemtype))
        continue;
      // A product nested as another item's property is read as part of that item.
      if (el.hasAttribute('itemprop') && el.parentElement?.closest('[itemscope]')) continue;
      const p = productFromNode(microItem(el, 0), 'microdata');
      if (p) out.push(p);
    }
  } catch {
    // a DOM that cannot be queried has no microdata
  }
  return out;
}

/** JSON-LD products first (shops keep them more exact), then microdata ones. Never throws. */
export function readSchemaProducts(doc: Document): SchemaProduct[] {
  return [...readJsonLd(doc), ...readMicrodata(doc)];
}

/**
 * The offer a shopper would buy: the first single Offer with a price, else the first offer with a
 * price (an AggregateOffer's lowPrice), else the first; null with none.
 */
export function bestOffer(product: SchemaProduct | null | undefined): SchemaOffer | null {
  if (!product) return null;
  return (
    product.offers.find((o) => o.price !== null && !o.aggregate) ??
    product.offers.find((o) => o.price !== null) ??
    product.offers[0] ??
    null
  );
}

/*
 * Embedded page state. Many shops render client-side and ship their data as JSON inside a
 * script: <script id="__NEXT_DATA__" type="application/json">, window.runParams = {...},
 * window.__PRELOADED_STATE__ = {...}. These helpers read such JSON as text and JSON.parse it in a
 * try/catch: nothing is evaluated, and a script that is not plain JSON gives null.
 */

/** Longest script text the embedded-state helpers look at. */
export const MAX_STATE_CHARS = 8 * 1024 * 1024;

/**
 * The JSON object or array that starts at the first "{" or "[" at or after `from` in `text`, cut
 * at its balanced end (strings and escapes respected) and parsed; null when it does not parse.
 */
export function balancedJsonAt(text: string, from: number): unknown {
  try {
    let start = -1;
    for (let i = from; i < text.length && i < from + 200; i++) {
      const ch = text[i];
      if (ch === '{' || ch === '[') {
        start = i;
        break;
      }
      if (ch !== ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t' && ch !== '=' && ch !== ':' && ch !== '(') {
        return null;
      }
    }
    if (start < 0) return null;
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return JSON.parse(text.slice(start, i + 1));
        if (depth < 0) return null;
      }
    }
    return null;
  } catch {
    return null;
  }
}

/** Text of every inline script (no src), capped in count and size. */
export function inlineScripts(doc: Document, limit = 400): string[] {
  const out: string[] = [];
  try {
    const scripts = doc.querySelectorAll('script');
    for (let i = 0; i < scripts.length && out.length < limit; i++) {
      const s = scripts[i];
      if (!s || s.hasAttribute('src')) continue;
      const t = s.textContent ?? '';
      if (t.length > 0 && t.length <= MAX_STATE_CHARS) out.push(t);
    }
  } catch {
    // unreadable DOM: no scripts
  }
  return out;
}

/**
 * The JSON value assigned after `marker` in the first inline script that has it and parses:
 * assignedJson(doc, "window.runParams") reads `window.runParams = {...}`; a marker ending in ":"
 * (such as "data:") reads the value of that key inside an object literal.
 */
export function assignedJson(doc: Document, marker: string): unknown {
  for (const text of inlineScripts(doc)) {
    let at = text.indexOf(marker);
    let tries = 0;
    while (at >= 0 && tries < 5) {
      const value = balancedJsonAt(text, at + marker.length);
      if (value !== null && value !== undefined) return value;
      at = text.indexOf(marker, at + marker.length);
      tries++;
    }
  }
  return null;
}

/** JSON.parse of the script with this id (e.g. "__NEXT_DATA__"), or null. */
export function scriptJsonById(doc: Document, id: string): unknown {
  try {
    const el = doc.getElementById(id);
    const text = el?.tagName.toLowerCase() === 'script' ? (el.textContent ?? '') : '';
    if (text.length === 0 || text.length > MAX_STATE_CHARS) return null;
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The first capture group of `re` in any inline script, or null. */
export function scriptMatch(doc: Document, re: RegExp): string | null {
  for (const text of inlineScripts(doc)) {
    const m = re.exec(text);
    if (m?.[1]) return m[1];
  }
  return null;
}

/**
 * Depth-first search of parsed JSON for the first own property `key` whose value `accept`s
 * (default: any value other than null/undefined). Bounded in depth and nodes; never throws.
 */
export function findKey(
  root: unknown,
  key: string,
  accept: (value: unknown, parent: Record<string, unknown>) => boolean = (v) => v !== null && v !== undefined,
  maxDepth = 24,
): unknown {
  let visited = 0;
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > maxDepth || visited++ > MAX_NODES) return undefined;
    if (Array.isArray(v)) {
      for (const x of v) {
        const r = walk(x, depth + 1);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    if (!isObj(v)) return undefined;
    if (Object.hasOwn(v, key)) {
      const value = v[key];
      try {
        if (accept(value, v)) return value;
      } catch {
        // a rejecting predicate is a no
      }
    }
    for (const k of Object.keys(v)) {
      const r = walk(v[k], depth + 1);
      if (r !== undefined) return r;
    }
    return undefined;
  };
  try {
    return walk(root, 0);
  } catch {
    return undefined;
  }
}

/** Reads a nested own property path (["props", "pageProps", 0]) from parsed JSON; undefined if absent. */
export function pick(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[p];
    } else {
      if (!isObj(v) || !Object.hasOwn(v, p)) return undefined;
      v = v[p];
    }
  }
  return v;
}

/** A trimmed non-empty string from a string or finite number, else null (for embedded state). */
export function asText(v: unknown, max = MAX_STRING): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .slice(0, max);
  return s === '' ? null : s;
}
