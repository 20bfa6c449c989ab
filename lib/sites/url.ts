import { getDomain } from 'tldts';
import { canonicalFor, parseUrl } from './product-url';

/**
 * Product URLs: which registrable domain a page belongs to, the listing id a URL names, and the
 * canonical product URL without tracking parameters (what a snapshot's `url` and a report's
 * `listing.url` carry, feed-format.md section 6).
 *
 * The registrable domain of any host comes from the public suffix list (tldts). That list is large,
 * so code on the marketplace content script's path uses lib/sites/product-url.ts instead (the same
 * helpers, and siteIn, which knows only the adapters' own domains); this module re-exports those
 * helpers and adds what needs tldts: siteOf and canonicalUrl for any shop.
 *
 * Every function here is pure and total: bad input gives null (or the input unchanged), never
 * an exception.
 */

export { amazonAsinFromUrl, ebayItemIdFromUrl, parseUrl, stripTracking } from './product-url';

/** Second-level labels that are not a registrable name on their own even where the PSL lacks them. */
const GENERIC_SLD = new Set(['com', 'co', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/**
 * The registrable domain ("amazon.co.uk", "tmall.com") of a URL or hostname, lower-cased; null
 * for IP addresses, localhost and junk.
 *
 * The public suffix list has no "com.be", so tldts calls www.amazon.com.be's domain "com.be";
 * a generic second-level label like that is extended by one label ("amazon.com.be"). Trailing dots
 * (a fully qualified "www.amazon.com.") do not count.
 */
export function siteOf(input: URL | string | null | undefined): string | null {
  if (input == null) return null;
  let host: string;
  try {
    host = (
      typeof input === 'string' ? (input.includes('/') ? new URL(input).hostname : input) : input.hostname
    )
      .toLowerCase()
      .replace(/\.+$/, '');
  } catch {
    return null;
  }
  if (host === '' || host.length > 253) return null;
  const domain = getDomain(host);
  if (!domain) return null;
  const labels = domain.split('.');
  if (labels.length === 2 && GENERIC_SLD.has(labels[0] ?? '')) {
    const hostLabels = host.split('.');
    if (hostLabels.length > labels.length) return hostLabels.slice(-3).join('.');
  }
  return domain;
}

/**
 * The canonical product URL for a page (lib/sites/product-url.ts canonicalFor), its site named by
 * siteOf: the marketplace's own short form where one exists (Amazon
 * https://www.amazon.<tld>/dp/<ASIN>, eBay https://www.ebay.<tld>/itm/<id>), otherwise the page's
 * URL with only the listing-identifying parameter kept (Taobao/Tmall `?id=`, Best Buy `skuId`,
 * Flipkart `pid`, Target `preselect`); on other shops, the URL without tracking parameters or
 * fragment. `id` overrides the id read from the URL (the selected variation). Null when the input
 * is not an http(s) URL.
 */
export function canonicalUrl(input: URL | string, id: string | null = null): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  return canonicalFor(u, siteOf(u), id);
}
