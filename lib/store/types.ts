import type { Channel, Feed, Product } from '../feed/schema';
import type { Marketplace } from '../sites/snapshot';

/** Where a feed comes from: the signed directory, or a user subscription trusted on first use. */
export type FeedSource = 'directory' | 'user';

export interface SyncError {
  code: string;
  message: string;
  at: string;
}

/** Per-feed state kept beside the data (issue 4.2). Also what the options page lists. */
export interface FeedMeta {
  url: string;
  brandId: string;
  source: FeedSource;
  /** Trusted keys for this feed: the directory's pins, or the key trusted on first use. */
  keys: string[];
  version: number | null;
  sha256: string | null;
  etag: string | null;
  issuedAt: string | null;
  expiresAt: string | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: SyncError | null;
  nextSync: string | null;
  failures: number;
  /** Generation currently readable; null until the first import. */
  generation: number | null;
}

/** A brand as the check engine sees it: the active generation of its feed. */
export interface BrandRecord {
  brandId: string;
  name: string;
  aliases: string[];
  website: string | null;
  contact: string | null;
  reportEndpoint: string | null;
  feedUrl: string;
  feedVersion: number;
  issuedAt: string;
  expiresAt: string;
  lastSync: string | null;
  /** Marketplaces the brand publishes a channel for. */
  marketplaces: Marketplace[];
}

export interface ChannelRecord {
  brandId: string;
  marketplace: Marketplace;
  sites: string[] | null;
  complete: boolean;
  sellerCount: number;
}

export interface SellerKey {
  id: string | null;
  name: string | null;
}

export interface SellerMatch {
  brandId: string;
  channel: ChannelRecord;
  entry: { id?: string; name?: string; relation?: string; until?: string };
}

export interface BlockedMatch {
  brandId: string;
  marketplace: Marketplace;
  id?: string;
  name?: string;
  reason?: string;
}

export interface ProductKeys {
  gtin: string | null;
  /** Marketplace product id (ASIN, SKU, ...) as read off the page. */
  productId: string | null;
}

/**
 * Read side used by lib/check. Every question is one index lookup (issue 4.2). Implemented by the
 * IndexedDB store and by an in-memory fake in unit tests.
 */
export interface StoreReader {
  /** Brands whose name or alias normalizes (lib/feed/names.ts) to exactly this key. */
  findBrandsByName(normalizedName: string): Promise<BrandRecord[]>;
  /** All brand name and alias keys, for title matching; small (one row per brand alias). */
  brandNameKeys(): Promise<{ key: string; brandId: string }[]>;
  getBrand(brandId: string): Promise<BrandRecord | null>;
  /** Channels of a brand on a marketplace that cover the site (sites missing or "*" cover all). */
  channels(brandId: string, marketplace: Marketplace, site: string): Promise<ChannelRecord[]>;
  /** Is the seller listed for the brand on that marketplace and site (by id, else by name)? */
  findSeller(
    brandId: string,
    marketplace: Marketplace,
    site: string,
    seller: SellerKey,
  ): Promise<SellerMatch | null>;
  /** Is the seller blocked by any brand on that marketplace? */
  findBlocked(marketplace: Marketplace, seller: SellerKey): Promise<BlockedMatch[]>;
  /** The brand's product by GTIN, else by any id (asin, sku, mpn...). */
  findProduct(brandId: string, keys: ProductKeys): Promise<Product | null>;
}

/**
 * A feed that was checked and found unchanged (HTTP 304, or the same bytes again): only its
 * schedule moves on. lib/sync hands a whole run's checks to `recordChecks` at once.
 */
export interface FeedCheck {
  url: string;
  lastAttempt: string;
  lastSuccess: string;
  nextSync: string;
}

/** Write side used by lib/sync. */
export interface StoreWriter {
  /** Import a verified feed as a new generation and swap it in, in one transaction. */
  importFeed(meta: FeedMeta, feed: Feed): Promise<void>;
  dropFeed(url: string): Promise<void>;
  getMeta(url: string): Promise<FeedMeta | null>;
  putMeta(meta: FeedMeta): Promise<void>;
  listMeta(): Promise<FeedMeta[]>;
  /**
   * Records unchanged checks of many feeds in ONE write (a single row of the `state` store, with
   * the id of that write beside it), not one write per feed, so that an unchanged re-sync of 5,000
   * feeds writes nothing per feed.
   * getMeta and listMeta return each meta with its newest check merged in (lastAttempt,
   * lastSuccess, nextSync from the check, failures 0, lastError null) when the check is newer than
   * the meta's own lastAttempt. Checks of URLs that have no meta are ignored.
   */
  recordChecks(checks: FeedCheck[]): Promise<void>;
}

export type { Channel };
