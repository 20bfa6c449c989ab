import { normalizeName, PLAIN_TOKEN } from '../feed/names';
import type { Marketplace } from '../sites/snapshot';

/**
 * How identifiers are compared in the store. Both sides of every comparison (the feed entry when it
 * is imported, the page's value when it is looked up) go through the same function, so a lookup is
 * an exact index hit.
 *
 * Seller ids: Unicode NFKC, trimmed, lower-cased, for every marketplace. The marketplaces whose ids
 * carry letters treat them case-insensitively (Amazon merchant ids are upper-case and eBay user
 * names lower-case, but pages and feeds are not consistent about it); the others use digits. One
 * rule for all is simpler to reason about than a table, and no marketplace of feed-format.md
 * section 5 has two sellers whose ids differ only by case.
 * On the "web" marketplace the id is a domain: also drop a trailing dot and a leading "www.".
 */
export function normalizeSellerId(marketplace: Marketplace | string, id: string): string {
  // Printable ASCII without spaces (nearly every id) is its own NFKC form, with nothing to trim.
  const folded = PLAIN_TOKEN.test(id) ? id.toLowerCase() : id.normalize('NFKC').trim().toLowerCase();
  return marketplace === 'web' ? normalizeSite(folded) : folded;
}

/** Seller names: the one name rule of lib/feed/names.ts (NFKC, case folded, whitespace collapsed). */
export function normalizeSellerName(name: string): string {
  return normalizeName(name);
}

/** Registrable domains as written in `sites` and in snapshots: lower-case, no trailing dot, no "www.". */
export function normalizeSite(site: string): string {
  return site
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^www\./, '');
}

/** Product ids (ASIN, SKU, MPN, item ids): NFKC, trimmed, lower-cased. Which kind of id is not kept. */
export function normalizeProductId(id: string): string {
  return PLAIN_TOKEN.test(id) ? id.toLowerCase() : id.normalize('NFKC').trim().toLowerCase();
}
