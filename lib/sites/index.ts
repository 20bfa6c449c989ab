/**
 * Reading a product page (shared/design/contracts.md, "Reading a product page").
 *
 *     extractProduct(doc, url)                    -> ProductSnapshot | null
 *     extractProduct(doc, url, { generic: true }) -> also reads schema.org data on other shops
 *
 * The marketplace adapter is picked by the URL's registrable domain (tldts) and the adapter's
 * own matches(url), never by the page's content, so a page cannot pose as another marketplace.
 *
 * The generic schema.org adapter is NOT picked by hostname: it runs only on shops the user
 * granted through an optional host permission, so by default (the contract's behaviour) a page
 * that is not a product page of a supported marketplace gives null even if it carries JSON-LD.
 * Callers that know the user granted the site pass { generic: true } or call extractGeneric().
 *
 * Pure: no browser.*, no network, no timers, no logging. Never throws: every adapter call is
 * wrapped, and the result is clipped to the schema's limits and validated with the zod
 * ProductSnapshot schema (null when it does not validate). What an adapter could not find is
 * returned as diagnostics by extractWithDiagnostics() for the content script to log.
 */
import { ADAPTERS } from './registry';
import { adapter as schemaOrg } from './schema-org';
import { ExtractionDiagnostics, ProductSnapshot } from './snapshot';
import type { SiteAdapter } from './types';
import { parseUrl, siteOf } from './url';

export { ADAPTERS } from './registry';
export type { SiteAdapter } from './types';
export { canonicalUrl, siteOf } from './url';

export interface ExtractOptions {
  /**
   * Also read schema.org Product data on pages of shops no marketplace adapter owns. Pass true
   * only for sites the user granted (optional host permission). Default false.
   */
  readonly generic?: boolean;
}

export interface ExtractionResult {
  readonly snapshot: ProductSnapshot | null;
  /** Expected fields the adapter could not find; null when no adapter claimed the URL. */
  readonly diagnostics: ExtractionDiagnostics | null;
  /** Name of the adapter that claimed the URL ("amazon", "schema-org", ...), or null. */
  readonly adapter: string | null;
}

/** The generic schema.org adapter (not in ADAPTERS; see the module comment). */
export const GENERIC_ADAPTER: SiteAdapter = schemaOrg;

const BY_DOMAIN: ReadonlyMap<string, SiteAdapter> = (() => {
  const map = new Map<string, SiteAdapter>();
  for (const a of ADAPTERS) for (const d of a.domains) if (!map.has(d)) map.set(d, a);
  return map;
})();

/**
 * The marketplace adapter whose domain owns the URL and which recognises it as a product page;
 * null otherwise (including for shops only the generic adapter could read).
 */
export function adapterFor(url: string | URL): SiteAdapter | null {
  try {
    const u = parseUrl(url);
    if (!u) return null;
    const site = siteOf(u);
    if (!site) return null;
    const a = BY_DOMAIN.get(site);
    return a?.matches(u) ? a : null;
  } catch {
    return null;
  }
}

/** True when some marketplace adapter owns the URL's domain (product page or not). */
export function isMarketplaceSite(url: string | URL): boolean {
  try {
    const site = siteOf(parseUrl(url));
    return site !== null && BY_DOMAIN.has(site);
  } catch {
    return false;
  }
}

/** An identifier is either whole or absent: one cut short would name something else. */
function whole(s: string | null, max: number): string | null {
  if (s === null) return null;
  const t = s.trim();
  return t === '' || t.length > max ? null : t;
}

/** Only http(s) URLs; one over the schema's limit loses its query, then gives up. */
function fitUrl(s: string | null): string | null {
  if (s === null) return null;
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (s.length <= 2048) return s;
    const short = `${u.origin}${u.pathname}`;
    return short.length <= 2048 ? short : null;
  } catch {
    return null;
  }
}

function clip(s: string | null, max: number): string | null {
  if (s === null) return null;
  const t = s.trim();
  if (t === '') return null;
  return t.length > max ? t.slice(0, max).trim() : t;
}

/**
 * Clips text (title, brand, seller name) to the schema's lengths, drops identifiers too long to
 * be real rather than cutting them, shortens an over-long URL to origin + path, and drops
 * values that cannot be right (a negative or non-finite price, a malformed currency or GTIN),
 * then validates with the zod schema. Null when it still fails.
 */
export function finishSnapshot(raw: unknown): ProductSnapshot | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Partial<Record<keyof ProductSnapshot, unknown>>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const price = r.price as { amount?: unknown; currency?: unknown } | null | undefined;
  const seller = r.seller as { id?: unknown; name?: unknown; isPlatform?: unknown } | null | undefined;
  const amount = price && typeof price.amount === 'number' ? price.amount : Number.NaN;
  const currency = price ? str(price.currency) : null;
  const candidate = {
    marketplace: r.marketplace,
    site: str(r.site),
    url: fitUrl(str(r.url)),
    productId: whole(str(r.productId), 128),
    gtin: typeof r.gtin === 'string' && /^\d{14}$/.test(r.gtin) ? r.gtin : null,
    title: clip(str(r.title), 1000),
    brand: clip(str(r.brand), 200),
    price:
      Number.isFinite(amount) && amount >= 0 && currency !== null && /^[A-Z]{3}$/.test(currency)
        ? { amount, currency }
        : null,
    seller:
      seller && typeof seller === 'object'
        ? {
            id: whole(str(seller.id), 200),
            name: clip(str(seller.name), 300),
            isPlatform: seller.isPlatform === true,
          }
        : null,
    condition: r.condition ?? null,
  };
  const parsed = ProductSnapshot.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** A DOM Document we can query (anything else, including a hostile object, is not a page). */
function isDocument(doc: unknown): doc is Document {
  try {
    if (!doc || typeof doc !== 'object') return false;
    const d = doc as Document;
    return (
      d.nodeType === 9 && typeof d.querySelector === 'function' && typeof d.querySelectorAll === 'function'
    );
  } catch {
    return false;
  }
}

function run(adapter: SiteAdapter, doc: Document, u: URL): ExtractionResult {
  let snapshot: ProductSnapshot | null = null;
  try {
    snapshot = finishSnapshot(adapter.extract(doc, u));
  } catch {
    snapshot = null;
  }
  const missing = snapshot
    ? adapter.expected.filter((field) => snapshot[field] === null)
    : [...adapter.expected];
  const diagnostics = ExtractionDiagnostics.safeParse({ adapter: adapter.name.slice(0, 64), missing });
  return { snapshot, diagnostics: diagnostics.success ? diagnostics.data : null, adapter: adapter.name };
}

/**
 * Like extractProduct, plus which adapter read the page and which expected fields it could not
 * find (for the content script's "[genuine]" log line, so a broken selector is visible). On a
 * page with no buy box, price and seller are listed too: the log line says so, nothing fails.
 */
export function extractWithDiagnostics(
  doc: Document,
  url: string,
  options: ExtractOptions = {},
): ExtractionResult {
  try {
    const u = parseUrl(url);
    if (!u || !isDocument(doc)) return { snapshot: null, diagnostics: null, adapter: null };
    const adapter = adapterFor(u);
    if (adapter) return run(adapter, doc, u);
    if (options?.generic === true && !isMarketplaceSite(u) && GENERIC_ADAPTER.matches(u)) {
      return run(GENERIC_ADAPTER, doc, u);
    }
    return { snapshot: null, diagnostics: null, adapter: null };
  } catch {
    return { snapshot: null, diagnostics: null, adapter: null };
  }
}

/**
 * What the product page at `url` says, or null when it is not a product detail page of a
 * supported marketplace (or, with { generic: true }, a page with schema.org Product data).
 * Never throws.
 */
export function extractProduct(
  doc: Document,
  url: string,
  options: ExtractOptions = {},
): ProductSnapshot | null {
  return extractWithDiagnostics(doc, url, options).snapshot;
}

/**
 * The generic schema.org reading of any shop's page (marketplace "web"), for shops the user
 * granted. Marketplace domains are left to their own adapters (null here). Never throws.
 */
export function extractGeneric(doc: Document, url: string): ProductSnapshot | null {
  try {
    const u = parseUrl(url);
    if (!u || !isDocument(doc) || isMarketplaceSite(u) || !GENERIC_ADAPTER.matches(u)) return null;
    return run(GENERIC_ADAPTER, doc, u).snapshot;
  } catch {
    return null;
  }
}
