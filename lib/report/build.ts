import type { BrandInfo, Verdict } from '../check/types';
import { isCurrency } from '../feed/currency';
import { Report, type ReportReason } from '../feed/schema';
import type { Marketplace, ProductSnapshot } from '../sites/snapshot';

/**
 * What one click sends (shared/design/feed-format.md section 6), built from what the page showed
 * and what the check decided. Pure: the clock and the id generator are injected.
 *
 * Nothing about the shopper goes in beyond the listing itself, the reason they picked, an optional
 * comment and the extension's version and browser family: the listing URL loses its query string
 * and fragment (only the parameter that names the listing stays), and the result is parsed with
 * the strict zod Report schema, so no extra field can slip in.
 */

export const COMMENT_MAX = 500;

export interface ClientInfo {
  /** The extension's version, e.g. "1.0.0". */
  version: string;
  browser: 'chrome' | 'firefox' | 'other';
}

export interface BuildReportInput {
  snapshot: ProductSnapshot;
  verdict: Verdict;
  brand: BrandInfo;
  reason: ReportReason;
  comment?: string | undefined;
  now: Date;
  uuid: () => string;
  client: ClientInfo;
}

/** A report cannot be built from this input; `message` says why in plain English. */
export class ReportBuildError extends Error {
  override name = 'ReportBuildError';
}

/** The reason the popup preselects: what the verdict found, else "looks fake". */
export function defaultReason(verdict: Verdict): ReportReason {
  const codes = new Set(verdict.reasons.map((r) => r.code));
  if (codes.has('seller-blocked') || codes.has('seller-not-authorized')) return 'seller-not-authorized';
  if (codes.has('price-below-floor')) return 'price-too-low';
  return 'looks-fake';
}

/** ISO 4217 minor units where they differ from 2. */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/**
 * A price as the decimal string of the wire format: 39.99 USD -> "39.99", 1980 JPY -> "1980",
 * 1.5 KWD -> "1.500". Rounded half away from zero to the currency's minor unit, computed in
 * integers so that binary floating point cannot turn 39.99 into "39.98". Null for negative,
 * non-finite or absurd (>= 10^12) amounts.
 */
export function formatAmount(amount: number, currency: string): string | null {
  if (!Number.isFinite(amount) || amount < 0 || amount >= 1e12) return null;
  const digits = minorUnits(currency);
  const factor = 10 ** digits;
  const minor = Math.round(Number((amount * factor).toPrecision(15)));
  if (!Number.isSafeInteger(minor)) return null;
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Query parameters that name the listing, per marketplace; every other parameter is dropped. */
const LISTING_PARAMS: Partial<Record<Marketplace, readonly string[]>> = {
  tmall: ['id'],
  taobao: ['id'],
  bestbuy: ['skuId'],
  // The selected variation (itm... names the product page, pid the offered variation).
  flipkart: ['pid'],
  // The preselected child item of a variation page (the snapshot's canonical URL keeps it too).
  target: ['preselect'],
};

const AMAZON_ASIN =
  /\/(?:dp|gp\/product|gp\/aw\/d|gp\/offer-listing|exec\/obidos\/(?:ASIN|tg\/detail\/-)|o\/ASIN|d)\/([A-Za-z0-9]{10})(?:[/?#;]|$)/;

/**
 * The listing URL a report carries: scheme, host and path of the page, no user name or password,
 * no fragment, and no query string except the parameter that names the listing (Tmall/Taobao
 * `id`, Best Buy `skuId`, Flipkart `pid`, Target `preselect`). Amazon URLs become
 * https://<host>/dp/<ASIN> (their paths carry "ref=" tracking segments). Null when the input is
 * not an absolute http(s) URL.
 */
export function stripListingUrl(url: string, marketplace: Marketplace): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const origin = `${u.protocol}//${u.host}`;
  if (marketplace === 'amazon') {
    const asin = AMAZON_ASIN.exec(u.pathname)?.[1];
    if (asin) return `${origin}/dp/${asin.toUpperCase()}`;
    // No ASIN in the path: keep the path without Amazon's ";"/"ref=" suffixes.
    const path = u.pathname.replace(/\/ref=[^/]*$/, '').replace(/;.*$/, '');
    return `${origin}${path}`;
  }
  const out = new URL(`${origin}${u.pathname}`);
  for (const name of LISTING_PARAMS[marketplace] ?? []) {
    const value = u.searchParams.get(name);
    if (value) out.searchParams.set(name, value);
  }
  return out.href;
}

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

function clipOrNull(text: string | null | undefined, max: number): string | null {
  if (text == null) return null;
  const t = text.trim();
  return t === '' ? null : clip(t, max);
}

/** The key the per-listing daily limit counts by: marketplace, site and listing id (or URL). */
export function listingKey(listing: Report['listing']): string {
  return `${listing.marketplace}|${listing.site}|${listing.productId ?? listing.url}`;
}

/** Removes ISO milliseconds: "2026-11-21T10:00:00.123Z" -> "2026-11-21T10:00:00Z". */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The report for one listing, validated with the zod Report schema. Throws ReportBuildError when
 * the input cannot make a valid report (an invalid date, a URL that is not http(s), ...).
 */
export function buildReport(input: BuildReportInput): Report {
  const { snapshot, verdict, brand, reason, now, client } = input;
  if (Number.isNaN(now.getTime())) throw new ReportBuildError('the clock gave an invalid date');
  const url = stripListingUrl(snapshot.url, snapshot.marketplace);
  if (url === null) throw new ReportBuildError('the listing URL is not an http(s) URL');

  // A price the wire format cannot carry (unknown currency, absurd amount) is left out, not guessed.
  const currency = snapshot.price?.currency.toUpperCase() ?? '';
  const amount =
    snapshot.price && isCurrency(currency) ? formatAmount(snapshot.price.amount, currency) : null;
  const codes = [...new Set(verdict.reasons.map((r) => r.code))].slice(0, 20);
  const comment = input.comment === undefined ? '' : clip(input.comment.trim(), COMMENT_MAX);

  const candidate = {
    reportId: input.uuid(),
    createdAt: isoSeconds(now),
    brandId: brand.brandId,
    feedVersion: brand.feedVersion,
    verdict: { level: verdict.level, codes },
    listing: {
      marketplace: snapshot.marketplace,
      site: snapshot.site,
      url,
      productId: clipOrNull(snapshot.productId, 128),
      gtin: snapshot.gtin,
      title: clipOrNull(snapshot.title, 1000),
      brand: clipOrNull(snapshot.brand, 200),
      seller: snapshot.seller
        ? { id: clipOrNull(snapshot.seller.id, 200), name: clipOrNull(snapshot.seller.name, 300) }
        : null,
      price: amount !== null ? { amount, currency } : null,
      condition: snapshot.condition,
    },
    reason,
    ...(comment === '' ? {} : { comment }),
    client: { version: clip(client.version, 32), browser: client.browser },
  };

  const parsed = Report.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new ReportBuildError(
      `the report is not valid: ${where ? `${where}: ` : ''}${issue?.message ?? 'unknown'}`,
    );
  }
  return parsed.data;
}
