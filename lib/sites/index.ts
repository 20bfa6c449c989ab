/**
 * Reading a product page (shared/design/contracts.md, "Reading a product page").
 *
 *     extractProduct(doc, url)                    -> ProductSnapshot | null
 *     extractProduct(doc, url, { generic: true }) -> also reads schema.org data on other shops
 *
 * The marketplace adapter is picked by the URL's registrable domain and the adapter's own
 * matches(url), never by the page's content, so a page cannot pose as another marketplace. That
 * part lives in lib/sites/marketplaces.ts, without the public suffix list, because the marketplace
 * content script runs it on every product page; this module adds the generic reading, which needs
 * tldts for any shop's domain (entrypoints/generic.content runs it on shops the user granted).
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
import { type ExtractionResult, isDocument, marketplaces, nothingRead, readWith } from './marketplaces';
import { ADAPTERS } from './registry';
import { adapter as schemaOrg } from './schema-org';
import type { ProductSnapshot } from './snapshot';
import type { SiteAdapter } from './types';
import { parseUrl } from './url';

export { type ExtractionResult, finishSnapshot } from './marketplaces';
export { ADAPTERS } from './registry';
export type { SiteAdapter, SiteReader } from './types';
export { canonicalUrl, siteOf } from './url';

const MARKETPLACE_ADAPTERS = marketplaces(ADAPTERS);

/**
 * The marketplace adapter whose domain owns the URL and which recognises it as a product page;
 * null otherwise (including for shops only the generic adapter could read).
 */
export function adapterFor(url: string | URL): SiteAdapter | null {
  return MARKETPLACE_ADAPTERS.adapterFor(url);
}

/** True when some marketplace adapter owns the URL's domain (product page or not). */
export function isMarketplaceSite(url: string | URL): boolean {
  return MARKETPLACE_ADAPTERS.isMarketplaceSite(url);
}

export interface ExtractOptions {
  /**
   * Also read schema.org Product data on pages of shops no marketplace adapter owns. Pass true
   * only for sites the user granted (optional host permission). Default false.
   */
  readonly generic?: boolean;
}

/** The generic schema.org adapter (not in ADAPTERS; see the module comment). */
export const GENERIC_ADAPTER: SiteAdapter = schemaOrg;

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
    if (!u || !isDocument(doc)) return nothingRead();
    const adapter = adapterFor(u);
    if (adapter) return readWith(adapter, doc, u);
    if (options?.generic === true && !isMarketplaceSite(u) && GENERIC_ADAPTER.matches(u)) {
      return readWith(GENERIC_ADAPTER, doc, u);
    }
    return nothingRead();
  } catch {
    return nothingRead();
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
  return extractGenericWithDiagnostics(doc, url).snapshot;
}

/** extractGeneric, plus the adapter's name and the fields it could not find (the generic content script's log line). */
export function extractGenericWithDiagnostics(doc: Document, url: string): ExtractionResult {
  try {
    const u = parseUrl(url);
    if (!u || !isDocument(doc) || isMarketplaceSite(u) || !GENERIC_ADAPTER.matches(u)) return nothingRead();
    return readWith(GENERIC_ADAPTER, doc, u);
  } catch {
    return nothingRead();
  }
}
