import type { Marketplace, ProductSnapshot } from './snapshot';

/**
 * One marketplace, one pure file (shared/design/style.md). An adapter never calls browser.*,
 * never touches the network, never uses timers and never throws: lib/sites/index.ts wraps it.
 */
export interface SiteAdapter extends SiteReader {
  /** URLs a person can open to try it; the URL test checks each adapter claims these and no others'. */
  readonly examples: { readonly match: readonly string[]; readonly noMatch: readonly string[] };
}

/**
 * An adapter without its example URLs: what the marketplace content script ships (each adapter
 * file exports both, `reader` and `adapter = { ...reader, examples }`), so that test data does not
 * ride along on every product page.
 */
export interface SiteReader {
  /** Stable name used in logs and diagnostics: "amazon", "ebay", "schema-org", ... */
  readonly name: string;
  readonly marketplace: Marketplace;
  /** Registrable domains this adapter owns, e.g. ["amazon.com", "amazon.co.uk"] (as tldts names them). */
  readonly domains: readonly string[];
  /** True when the URL is a product detail page of this marketplace. */
  matches(url: URL): boolean;
  /** Reads the page. Returns null when the page is not a product page after all. */
  extract(doc: Document, url: URL): ProductSnapshot | null;
  /** Fields a product page of this site should always show; missing ones are logged (issue 5.6). */
  readonly expected: readonly ('productId' | 'title' | 'brand' | 'price' | 'seller')[];
}
