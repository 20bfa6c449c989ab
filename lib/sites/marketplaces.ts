/**
 * Reading a marketplace's product page, without the public suffix list: what the marketplace
 * content script (entrypoints/content) runs on every product page, and what lib/sites/index.ts
 * (extractProduct) builds on.
 *
 * The adapter is picked by the URL's registrable domain, named from the adapters' own domain lists
 * (product-url.ts siteIn: the longest listed domain the hostname ends with at a label boundary, so
 * amazon.com.br before amazon.com, and amazon.com.be although the public suffix list lacks com.be),
 * and by the adapter's own matches(url), never by the page's content, so a page cannot pose as
 * another marketplace. That names the same adapter tldts would (test/unit/sites/site.test.ts), and
 * keeps tldts and its ~48 kB gzipped suffix list out of the content script.
 *
 * `marketplaces(list)` works on any list of adapters: lib/sites/index.ts passes ADAPTERS, the
 * content script READERS (the same adapters without their example URLs, lib/sites/registry.ts).
 *
 * Pure: no browser.*, no network, no timers, no logging. Never throws: every adapter call is
 * wrapped, and the result is clipped to the schema's limits and validated with the zod
 * ProductSnapshot schema (null when it does not validate).
 */

import { parseUrl, siteIn } from './product-url';
import { ExtractionDiagnostics, ProductSnapshot } from './snapshot';
import type { SiteReader } from './types';

export interface ExtractionResult {
  readonly snapshot: ProductSnapshot | null;
  /** Expected fields the adapter could not find; null when no adapter claimed the URL. */
  readonly diagnostics: ExtractionDiagnostics | null;
  /** Name of the adapter that claimed the URL ("amazon", "schema-org", ...), or null. */
  readonly adapter: string | null;
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
export function isDocument(doc: unknown): doc is Document {
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

/** Runs one adapter on the page and finishes its result; never throws. */
export function readWith(adapter: SiteReader, doc: Document, u: URL): ExtractionResult {
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

/** Nothing read: no page, or no adapter for it. */
export function nothingRead(): ExtractionResult {
  return { snapshot: null, diagnostics: null, adapter: null };
}

export interface Marketplaces<A extends SiteReader> {
  /**
   * The adapter whose domain owns the URL and which recognises it as a product page; null
   * otherwise (including for shops only the generic adapter could read).
   */
  adapterFor(url: string | URL): A | null;
  /** True when some adapter owns the URL's domain (product page or not). */
  isMarketplaceSite(url: string | URL): boolean;
  /**
   * What a marketplace's product page says, which adapter read it and which expected fields it
   * could not find: lib/sites/index.ts extractWithDiagnostics without the generic schema.org
   * reading. Never throws.
   */
  extract(doc: Document, url: string): ExtractionResult;
}

/** Adapter choice and reading over `adapters` (the first adapter listing a domain owns it). */
export function marketplaces<A extends SiteReader>(adapters: readonly A[]): Marketplaces<A> {
  const byDomain = new Map<string, A>();
  for (const a of adapters) for (const d of a.domains) if (!byDomain.has(d)) byDomain.set(d, a);

  function adapterFor(url: string | URL): A | null {
    try {
      const u = parseUrl(url);
      if (!u) return null;
      const site = siteIn(u, byDomain);
      if (!site) return null;
      const a = byDomain.get(site);
      return a?.matches(u) ? a : null;
    } catch {
      return null;
    }
  }

  return {
    adapterFor,
    isMarketplaceSite(url) {
      try {
        return siteIn(parseUrl(url), byDomain) !== null;
      } catch {
        return false;
      }
    },
    extract(doc, url) {
      try {
        const u = parseUrl(url);
        if (!u || !isDocument(doc)) return nothingRead();
        const adapter = adapterFor(u);
        return adapter ? readWith(adapter, doc, u) : nothingRead();
      } catch {
        return nothingRead();
      }
    },
  };
}
