/**
 * Price text -> { amount, currency }, for every way shops write a price.
 *
 *   parsePrice(text, hint?)  "1.499,99 €" -> { amount: 1499.99, currency: "EUR" }
 *   parseAmount(value, decimalHint?)  "1499.99" | 1499.99 -> 1499.99 (structured data: JSON-LD,
 *                                      embedded state; no currency)
 *   siteCurrency(site)  "amazon.com.mx" -> "MXN": the currency a site prices in, when it has one
 *
 * Rules (all pure, never throw):
 * - Digits: ASCII, full-width, Arabic-Indic, Persian, Devanagari and Bengali digits are read; the
 *   Arabic decimal (U+066B) and thousands (U+066C) separators too. Every kind of space (no-break,
 *   thin, narrow no-break) may group thousands: "1 299,00 zł".
 * - Separators: the last "." or "," is the decimal separator when the other separators differ
 *   ("1.499,99", "1,279.00", "1'299.00") or when it is followed by other than three digits
 *   ("12,99"). A lone separator followed by exactly three digits ("1,279", "5.499") groups
 *   thousands, unless the currency has three decimals (KWD, BHD, ...) or the locale hint says that
 *   character is the decimal separator. "1.299,-" and "1 299:-" are whole amounts.
 * - Exactly one number: ranges ("$10 - $20"), unit prices ("$5 ($0.50/oz)") and any text with
 *   two numbers give null, since they are not the one offer the buy button buys. Negative
 *   amounts, text with no digits ("Free", "Gratis") and absurd amounts (>= 1e12) give null.
 * - Currency: a marker right before or after the number ("$", "US $", "R$", "¥", "kr", "zł",
 *   "ر.س", "EUR", ...). Ambiguous markers ($, C$, ¥, kr, Rs, £, ₨) take hint.currency when it is a
 *   currency written that way, else the site's currency when it is (amazon.com.mx "$" -> MXN,
 *   amazon.ca "$" -> CAD, taobao "¥" -> CNY, jp.mercari "¥" -> JPY, amazon.se "kr" -> SEK), else
 *   the marker's usual currency (USD, CAD, JPY, SEK, INR, GBP). With no marker: hint.currency,
 *   then the site's currency, else null. Two markers naming different currencies give null.
 * - The result's amount is finite and >= 0 and its currency an ISO 4217 code (isCurrency).
 */
import { isCurrency } from '../feed/currency';

export type Price = { amount: number; currency: string };
export type PriceHint = { currency?: string; locale?: string; site?: string };

/** Longest text parsePrice looks at; price labels are short. */
const MAX_TEXT = 400;
const MAX_AMOUNT = 1e12;

/** Currencies whose minor unit has three digits: "1,250" is one and a quarter. */
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Currencies that several markers share; the site or hint picks among them. */
const DOLLARS = new Set([
  'USD',
  'CAD',
  'AUD',
  'NZD',
  'HKD',
  'TWD',
  'SGD',
  'MXN',
  'ARS',
  'CLP',
  'COP',
  'UYU',
  'DOP',
  'CUP',
  'BSD',
  'BBD',
  'BZD',
  'BMD',
  'BND',
  'FJD',
  'GYD',
  'JMD',
  'KYD',
  'LRD',
  'NAD',
  'SBD',
  'SRD',
  'TTD',
  'XCD',
  'NIO',
  'BRL',
]);
const YENS = new Set(['JPY', 'CNY']);
const KRONER = new Set(['SEK', 'NOK', 'DKK', 'ISK']);
const RUPEES = new Set(['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR']);
const POUNDS = new Set(['GBP', 'EGP', 'GIP', 'FKP', 'SHP', 'SYP', 'LBP', 'SDG']);
const CORDOBA_OR_CAD = new Set(['CAD', 'NIO']);

type Marker = { text: string; currency: string; ambiguous?: ReadonlySet<string> };

/** Markers as written next to a price. Letters compare case-insensitively. */
const MARKERS: Marker[] = [
  // Dollars and pesos
  { text: 'US$', currency: 'USD' },
  { text: 'US $', currency: 'USD' },
  { text: 'U$S', currency: 'USD' },
  { text: 'U$', currency: 'USD' },
  { text: 'CA$', currency: 'CAD' },
  { text: 'CA $', currency: 'CAD' },
  { text: 'CDN$', currency: 'CAD' },
  { text: 'C$', currency: 'CAD', ambiguous: CORDOBA_OR_CAD },
  { text: 'C $', currency: 'CAD', ambiguous: CORDOBA_OR_CAD },
  { text: 'AU$', currency: 'AUD' },
  { text: 'AU $', currency: 'AUD' },
  { text: 'A$', currency: 'AUD' },
  { text: 'A $', currency: 'AUD' },
  { text: 'NZ$', currency: 'NZD' },
  { text: 'NZ $', currency: 'NZD' },
  { text: 'HK$', currency: 'HKD' },
  { text: 'HK $', currency: 'HKD' },
  { text: 'NT$', currency: 'TWD' },
  { text: 'NT $', currency: 'TWD' },
  { text: 'S$', currency: 'SGD' },
  { text: 'SG$', currency: 'SGD' },
  { text: 'MX$', currency: 'MXN' },
  { text: 'MX $', currency: 'MXN' },
  { text: 'R$', currency: 'BRL' },
  { text: 'RD$', currency: 'DOP' },
  { text: '$U', currency: 'UYU' },
  { text: 'COL$', currency: 'COP' },
  { text: 'CLP$', currency: 'CLP' },
  { text: 'ARS$', currency: 'ARS' },
  { text: 'TT$', currency: 'TTD' },
  { text: 'J$', currency: 'JMD' },
  { text: '$', currency: 'USD', ambiguous: DOLLARS },
  // Yen and yuan
  { text: 'JP¥', currency: 'JPY' },
  { text: 'CN¥', currency: 'CNY' },
  { text: 'RMB', currency: 'CNY' },
  { text: '元', currency: 'CNY' },
  { text: '円', currency: 'JPY' },
  { text: '¥', currency: 'JPY', ambiguous: YENS },
  // Europe
  { text: '€', currency: 'EUR' },
  { text: '£', currency: 'GBP', ambiguous: POUNDS },
  { text: 'CHF', currency: 'CHF' },
  { text: 'SFr.', currency: 'CHF' },
  { text: 'Fr.', currency: 'CHF' },
  { text: 'zł', currency: 'PLN' },
  { text: 'Kč', currency: 'CZK' },
  { text: 'Ft', currency: 'HUF' },
  { text: 'lei', currency: 'RON' },
  { text: 'лв.', currency: 'BGN' },
  { text: 'лв', currency: 'BGN' },
  { text: 'kr.', currency: 'SEK', ambiguous: KRONER },
  { text: 'kr', currency: 'SEK', ambiguous: KRONER },
  { text: '₽', currency: 'RUB' },
  { text: 'руб.', currency: 'RUB' },
  { text: 'руб', currency: 'RUB' },
  { text: '₴', currency: 'UAH' },
  { text: 'грн', currency: 'UAH' },
  { text: '₺', currency: 'TRY' },
  { text: 'TL', currency: 'TRY' },
  // Asia and the Pacific
  { text: '₹', currency: 'INR' },
  { text: 'Rs.', currency: 'INR', ambiguous: RUPEES },
  { text: 'Rs', currency: 'INR', ambiguous: RUPEES },
  { text: '₨', currency: 'INR', ambiguous: RUPEES },
  { text: '₩', currency: 'KRW' },
  { text: '원', currency: 'KRW' },
  { text: 'RM', currency: 'MYR' },
  { text: 'Rp', currency: 'IDR' },
  { text: '₱', currency: 'PHP' },
  { text: '฿', currency: 'THB' },
  { text: '₫', currency: 'VND' },
  { text: '৳', currency: 'BDT' },
  { text: '₸', currency: 'KZT' },
  { text: '₪', currency: 'ILS' },
  // Middle East and Africa
  { text: 'د.إ', currency: 'AED' },
  { text: 'درهم', currency: 'AED' },
  { text: 'ر.س', currency: 'SAR' },
  { text: 'ريال', currency: 'SAR' },
  { text: '﷼', currency: 'SAR' },
  { text: 'ج.م', currency: 'EGP' },
  { text: 'جنيه', currency: 'EGP' },
  { text: 'E£', currency: 'EGP' },
  { text: 'د.ك', currency: 'KWD' },
  { text: 'ر.ق', currency: 'QAR' },
  { text: 'د.ب', currency: 'BHD' },
  { text: 'ر.ع', currency: 'OMR' },
  { text: 'د.ا', currency: 'JOD' },
  { text: 'د.م', currency: 'MAD' },
  { text: 'د.ت', currency: 'TND' },
  { text: '₦', currency: 'NGN' },
  { text: 'KSh', currency: 'KES' },
  { text: 'S/.', currency: 'PEN' },
  { text: 'S/', currency: 'PEN' },
];

type PreparedMarker = Marker & { key: string; letterStart: boolean; letterEnd: boolean };
const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);
const PREPARED: PreparedMarker[] = MARKERS.map((m) => ({
  ...m,
  key: m.text.toLowerCase(),
  letterStart: isLetter(m.text[0]),
  letterEnd: isLetter(m.text[m.text.length - 1]),
})).sort((a, b) => b.key.length - a.key.length);

/** Registrable domains (or host names) whose prices are in one currency. */
const SITE_CURRENCY: Record<string, string> = {
  'taobao.com': 'CNY',
  'tmall.com': 'CNY',
  'tmall.hk': 'CNY',
  'jd.com': 'CNY',
  'jd.hk': 'CNY',
  '1688.com': 'CNY',
  'jp.mercari.com': 'JPY',
  'mercari.com': 'USD',
  'flipkart.com': 'INR',
  'amazon.com': 'USD',
  'walmart.com': 'USD',
  'target.com': 'USD',
  'bestbuy.com': 'USD',
  'ebay.com': 'USD',
  'newegg.com': 'USD',
  'rakuten.com': 'USD',
};

/** Country-code top-level domains (last label) and the currency their shops price in. */
const TLD_CURRENCY: Record<string, string> = {
  uk: 'GBP',
  de: 'EUR',
  fr: 'EUR',
  es: 'EUR',
  it: 'EUR',
  nl: 'EUR',
  be: 'EUR',
  at: 'EUR',
  ie: 'EUR',
  pt: 'EUR',
  fi: 'EUR',
  gr: 'EUR',
  sk: 'EUR',
  si: 'EUR',
  ee: 'EUR',
  lv: 'EUR',
  lt: 'EUR',
  lu: 'EUR',
  mt: 'EUR',
  cy: 'EUR',
  hr: 'EUR',
  se: 'SEK',
  no: 'NOK',
  dk: 'DKK',
  is: 'ISK',
  pl: 'PLN',
  cz: 'CZK',
  hu: 'HUF',
  ro: 'RON',
  bg: 'BGN',
  ch: 'CHF',
  tr: 'TRY',
  ae: 'AED',
  sa: 'SAR',
  eg: 'EGP',
  qa: 'QAR',
  kw: 'KWD',
  bh: 'BHD',
  om: 'OMR',
  jo: 'JOD',
  ma: 'MAD',
  il: 'ILS',
  in: 'INR',
  pk: 'PKR',
  lk: 'LKR',
  bd: 'BDT',
  jp: 'JPY',
  cn: 'CNY',
  hk: 'HKD',
  tw: 'TWD',
  kr: 'KRW',
  sg: 'SGD',
  my: 'MYR',
  id: 'IDR',
  ph: 'PHP',
  th: 'THB',
  vn: 'VND',
  au: 'AUD',
  nz: 'NZD',
  ca: 'CAD',
  mx: 'MXN',
  br: 'BRL',
  ar: 'ARS',
  cl: 'CLP',
  pe: 'PEN',
  uy: 'UYU',
  ve: 'VES',
  ec: 'USD',
  ni: 'NIO',
  za: 'ZAR',
  ng: 'NGN',
  ke: 'KES',
  ru: 'RUB',
  ua: 'UAH',
  kz: 'KZT',
};

/**
 * The currency a site prices in, from its host name or registrable domain, or null when the site
 * sells in several (etsy.com, aliexpress.com). "www.amazon.com.mx" -> "MXN".
 */
export function siteCurrency(site: string | undefined): string | null {
  if (!site) return null;
  const host = site.toLowerCase().replace(/\.$/, '');
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const suffix = labels.slice(i).join('.');
    const known = SITE_CURRENCY[suffix];
    if (known) return known;
  }
  const last = labels[labels.length - 1] ?? '';
  // ".co" is used worldwide; only "com.co" (mercadolibre.com.co) means Colombia.
  if (last === 'co') return labels[labels.length - 2] === 'com' ? 'COP' : null;
  return TLD_CURRENCY[last] ?? null;
}

const DIGIT_BLOCKS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10];

/** NFKC, every digit system to ASCII, every space to " ", direction marks dropped. */
function normalizeText(text: string): string {
  let s = text.slice(0, MAX_TEXT).normalize('NFKC');
  s = s.replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef]/g, (ch) => {
    const code = ch.charCodeAt(0);
    for (const base of DIGIT_BLOCKS) if (code >= base && code <= base + 9) return String(code - base);
    return ch;
  });
  return s
    .replace(/\u066b/g, '.')
    .replace(/\u066c/g, ',')
    .replace(/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u200b\ufeff]/g, '')
    .replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/[\u2019\u02bc]/g, "'");
}

type NumberToken = { start: number; end: number; groups: string[]; seps: string[] };

/** Every run of digits with its separators; a space joins only a following group of three. */
function tokenize(s: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s[i])) {
      i++;
      continue;
    }
    const start = i;
    const groups: string[] = [];
    const seps: string[] = [];
    let j = i;
    while (j < s.length && isDigit(s[j])) j++;
    groups.push(s.slice(i, j));
    for (;;) {
      const sep = s[j];
      if (sep !== '.' && sep !== ',' && sep !== "'" && sep !== ' ') break;
      let k = j + 1;
      while (k < s.length && isDigit(s[k])) k++;
      const run = s.slice(j + 1, k);
      if (run.length === 0) break;
      if (sep === ' ' && run.length !== 3) break;
      seps.push(sep);
      groups.push(run);
      j = k;
    }
    tokens.push({ start, end: j, groups, seps });
    i = j;
  }
  return tokens;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Grouping is "1,234,567" or Indian "12,34,567": later groups 3 digits, or 2 then a last 3. */
function validGrouping(groups: string[]): boolean {
  const [first, ...rest] = groups;
  if (!first || first.length > 3 || rest.length === 0) return rest.length === 0;
  const last = rest[rest.length - 1];
  if (last?.length !== 3) return false;
  const middle = rest.slice(0, -1);
  return middle.every((g) => g.length === 3) || middle.every((g) => g.length === 2);
}

function localeDecimal(locale: string | undefined): string | null {
  if (!locale) return null;
  try {
    const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
    return parts.find((p) => p.type === 'decimal')?.value ?? null;
  } catch {
    return null;
  }
}

/** The value of one number token, or null when its separators make no sense. */
function tokenValue(token: NumberToken, currency: string | null, decimalHint: string | null): number | null {
  const { groups, seps } = token;
  if (groups.join('').length > 18) return null;
  let intGroups = groups;
  let fraction = '';
  const lastSep = seps[seps.length - 1];
  if (lastSep === '.' || lastSep === ',') {
    const others = seps.slice(0, -1);
    const after = groups[groups.length - 1] ?? '';
    let decimal: boolean;
    if (others.includes(lastSep)) decimal = false;
    else if (others.length > 0) decimal = true;
    else if (after.length !== 3) decimal = true;
    else if (currency && THREE_DECIMALS.has(currency)) decimal = true;
    else if (decimalHint === lastSep) decimal = true;
    else decimal = (groups[0] ?? '').length > 3 || groups[0] === '0';
    if (decimal) {
      intGroups = groups.slice(0, -1);
      fraction = after;
    }
  }
  if (!validGrouping(intGroups)) return null;
  const value = Number(`${intGroups.join('')}${fraction ? `.${fraction}` : ''}`);
  return Number.isFinite(value) && value >= 0 && value < MAX_AMOUNT ? value : null;
}

type Found = { marker: PreparedMarker | null; iso: string | null; conflict: boolean };

/** "USD $12" agrees; "EUR $12" does not. */
function agrees(marker: PreparedMarker | null, iso: string | null): boolean {
  if (!marker || !iso) return true;
  return marker.currency === iso || (marker.ambiguous?.has(iso) ?? false);
}

function markerBefore(before: string): Found {
  const text = before.replace(/[\s:]+$/, '');
  const lower = text.toLowerCase();
  let marker: PreparedMarker | null = null;
  let rest = text;
  for (const m of PREPARED) {
    if (!lower.endsWith(m.key)) continue;
    if (m.letterStart && isLetter(text[text.length - m.key.length - 1])) continue;
    marker = m;
    rest = text.slice(0, text.length - m.key.length).trimEnd();
    break;
  }
  // An ISO code right before the number or before its symbol ("USD 12", "USD $12").
  const code = /(?:^|[^A-Za-z])([A-Z]{3})$/.exec(marker ? rest : text)?.[1] ?? null;
  const iso = code && isCurrency(code) ? code : null;
  return { marker, iso, conflict: !agrees(marker, iso) };
}

function markerAfter(after: string): Found {
  const text = after.replace(/^(?:[.,:]-|[.,:]–|[.,:]—)/, '').replace(/^\s+/, '');
  const lower = text.toLowerCase();
  let marker: PreparedMarker | null = null;
  for (const m of PREPARED) {
    if (!lower.startsWith(m.key)) continue;
    if (m.letterEnd && isLetter(text[m.key.length])) continue;
    marker = m;
    break;
  }
  const code = /^([A-Z]{3})(?![A-Za-z])/.exec(text)?.[1] ?? null;
  const iso = code && isCurrency(code) ? code : null;
  return { marker, iso, conflict: false };
}

function resolveMarker(marker: PreparedMarker, hint: PriceHint | undefined, site: string | null): string {
  if (!marker.ambiguous) return marker.currency;
  const hinted = hint?.currency?.toUpperCase();
  if (hinted && marker.ambiguous.has(hinted) && isCurrency(hinted)) return hinted;
  if (site && marker.ambiguous.has(site)) return site;
  return marker.currency;
}

/**
 * Reads one price from the text of a price label. Returns null for anything that is not exactly
 * one non-negative amount with a currency known from the text or the hint. Never throws.
 */
export function parsePrice(text: string, hint?: PriceHint): Price | null {
  try {
    if (typeof text !== 'string') return null;
    const s = normalizeText(text);
    const tokens = tokenize(s);
    if (tokens.length !== 1) return null;
    const token = tokens[0] as NumberToken;
    const before = s.slice(0, token.start);
    const after = s.slice(token.end);
    // "-$5", "−12 €", "- 5": a discount, not a price.
    const lead = before.trim();
    if (/[-−‐‑–]$/.test(lead) || (/^[-−‐‑–]/.test(lead) && lead.length <= 6)) return null;
    const site = siteCurrency(hint?.site);
    // "$.99": a leading decimal point.
    let leadingPoint = false;
    if (/[.,]$/.test(before) && !isDigit(before[before.length - 2]) && token.seps.length === 0) {
      const digits = token.groups[0] ?? '';
      if (digits.length <= 2) {
        leadingPoint = true;
        token.groups = ['0', digits];
        token.seps = ['.'];
      }
    }
    const pre = markerBefore(leadingPoint ? before.slice(0, -1) : before);
    const post = markerAfter(after);
    if (pre.conflict || post.conflict) return null;
    const candidates: string[] = [];
    for (const f of [pre, post]) {
      if (f.iso) candidates.push(f.iso);
      else if (f.marker) candidates.push(resolveMarker(f.marker, hint, site));
    }
    let currency: string | null = null;
    if (candidates.length > 0) {
      const unique = new Set(candidates);
      if (unique.size > 1) {
        // "US $12.99 USD" agrees; "$12 €" does not. An ISO code beats an ambiguous symbol's guess.
        const isoCodes = [pre.iso, post.iso].filter((c): c is string => c !== null);
        const isoSet = new Set(isoCodes);
        if (isoSet.size !== 1) return null;
        currency = isoCodes[0] as string;
        const other = [pre, post].find((f) => !f.iso && f.marker);
        if (other?.marker && !other.marker.ambiguous?.has(currency) && other.marker.currency !== currency) {
          return null;
        }
      } else {
        currency = candidates[0] as string;
      }
    } else {
      const hinted = hint?.currency?.toUpperCase();
      currency = hinted && isCurrency(hinted) ? hinted : site;
    }
    if (!currency || !isCurrency(currency)) return null;
    const amount = tokenValue(token, currency, localeDecimal(hint?.locale));
    if (amount === null) return null;
    return { amount, currency };
  } catch {
    return null;
  }
}

/**
 * Reads a bare amount from structured data: a finite non-negative number, or a string holding
 * exactly one number and nothing else ("1499.99", "1,499.99", "1.499,99", " 12 "). A single "."
 * is the decimal separator, as schema.org asks ("1.279" is 1.279); a single "," is one unless
 * three digits follow ("12,5" is 12.5, "1,279" is 1279). decimalHint, when given, names the
 * decimal separator outright. Returns null otherwise. Never throws.
 */
export function parseAmount(value: unknown, decimalHint?: '.' | ','): number | null {
  try {
    if (typeof value === 'number') {
      return Number.isFinite(value) && value >= 0 && value < MAX_AMOUNT ? value : null;
    }
    if (typeof value !== 'string') return null;
    const s = normalizeText(value).trim();
    if (s.length === 0 || s.length > 40) return null;
    const tokens = tokenize(s);
    const token = tokens[0];
    if (tokens.length !== 1 || !token || token.start !== 0 || token.end !== s.length) return null;
    const lone = token.seps.length === 1 ? token.seps[0] : null;
    if (lone === '.' || lone === ',') {
      const [a = '', b = ''] = token.groups;
      const decimal = decimalHint ? lone === decimalHint : lone === '.' || b.length !== 3;
      if (decimal || b.length !== 3) {
        const n = Number(`${a}.${b}`);
        return Number.isFinite(n) && n < MAX_AMOUNT ? n : null;
      }
      const n = Number(`${a}${b}`);
      return Number.isFinite(n) && n < MAX_AMOUNT ? n : null;
    }
    return tokenValue(token, null, decimalHint ?? '.');
  } catch {
    return null;
  }
}
