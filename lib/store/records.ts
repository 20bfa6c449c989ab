import { z } from 'zod';
import { Marketplace } from '../sites/snapshot';
import type { FeedMeta } from './types';

/**
 * What the store keeps in IndexedDB, as zod schemas. Reads from storage are a trust boundary (the
 * database may hold records of an older version of the extension, or be damaged): every record is
 * parsed on read, and one that does not parse reads as absent.
 *
 * The bulk data (lib/store/layout.ts) is JSON text in few rows; short field names keep it small.
 */

const Text = z.string().max(4096);
const Timestamp = z.string().max(64);

export const SyncErrorRecord = z.object({ code: z.string().max(64), message: Text, at: Timestamp });

export const FeedMetaRecord = z.object({
  url: z.string().max(2048),
  brandId: z.string().max(64),
  source: z.enum(['directory', 'user']),
  keys: z.array(z.string().max(128)).max(16),
  version: z.number().int().nonnegative().nullable(),
  sha256: z.string().max(128).nullable(),
  etag: z.string().max(1024).nullable(),
  issuedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  lastAttempt: Timestamp.nullable(),
  lastSuccess: Timestamp.nullable(),
  lastError: SyncErrorRecord.nullable(),
  nextSync: Timestamp.nullable(),
  failures: z.number().int().nonnegative(),
  generation: z.number().int().nonnegative().nullable(),
}) satisfies z.ZodType<FeedMeta>;

/** Unchanged checks recorded by `recordChecks`, under the `state` store's "checks" key, by feed URL. */
export const FeedChecks = z.record(
  z.string().max(2048),
  z.object({ lastAttempt: Timestamp, lastSuccess: Timestamp, nextSync: Timestamp }),
);
export type FeedChecks = z.infer<typeof FeedChecks>;

/** A channel of one imported feed, kept on the brand row so that sites need no lookup of their own. */
export const ChannelRow = z.object({
  marketplace: Marketplace,
  /** Normalized registrable domains; null when the feed gave none or "*" (every site). */
  sites: z.array(z.string().max(253)).nullable(),
  complete: z.boolean(),
  sellerCount: z.number().int().nonnegative(),
});
export type ChannelRow = z.infer<typeof ChannelRow>;

const Count = z.number().int().nonnegative();

/** How many sellers, blocked sellers and products a feed (generation) holds. */
export const PartCounts = z.object({ sellers: Count, blocked: Count, products: Count });
export type PartCounts = z.infer<typeof PartCounts>;

/**
 * Where one generation's bulk rows are (lib/store/layout.ts): how many lookup buckets and entry
 * chunks it has, and how many entries a chunk holds.
 */
export const Layout = z.object({
  /** Lookup buckets [g, "k", 0 .. k-1]; 0 when the feed has no seller or product. */
  k: Count,
  /** Seller entry chunks [g, "s", 0 .. s-1]. */
  s: Count,
  /** Product chunks [g, "p", 0 .. p-1]. */
  p: Count,
  /** Seller entries a chunk holds: entry seq lives in chunk floor(seq / sc). */
  sc: z.number().int().positive(),
  /** Products a chunk holds. */
  pc: z.number().int().positive(),
  /** All of it packed in one row [g, "a", 0] (k, s and p are then at most 1). */
  a: z.boolean(),
});
export type Layout = z.infer<typeof Layout>;

/** One feed URL's contribution to a brand: its active generation and the brand fields it declared. */
export const BrandPart = z.object({
  url: z.string().max(2048),
  generation: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  name: z.string().max(300),
  aliases: z.array(z.string().max(300)).max(100),
  website: z.string().max(2048).nullable(),
  contact: z.string().max(300).nullable(),
  reportEndpoint: z.string().max(2048).nullable(),
  /** Indexed by the channel's position in the feed, which seller entries refer to. */
  channels: z.array(ChannelRow).max(1000),
  counts: PartCounts,
  layout: Layout,
  /** Its `blocked` rows' keys (GenerationRow.blocked), handed to the generation row on retirement. */
  blocked: z.string(),
});
export type BrandPart = z.infer<typeof BrandPart>;

/**
 * The brand's pointer record: which generation of each of its feeds is readable. Swapping a feed
 * in is rewriting this row (and the generation rows) in the import's transaction.
 */
export const BrandRow = z.object({
  brandId: z.string().max(64),
  /** Normalized names and aliases over all parts; the `names` rows mirror them. */
  nameKeys: z.array(z.string().max(300)).max(6500),
  parts: z.array(BrandPart).min(1).max(64),
});
export type BrandRow = z.infer<typeof BrandRow>;

/** A retired generation, awaiting deletion by `collectGarbage`. Active generations are brand parts. */
export const GenerationRow = z.object({
  g: z.number().int().nonnegative(),
  url: z.string().max(2048),
  brandId: z.string().max(64),
  state: z.literal('retired'),
  counts: PartCounts,
  /**
   * The keys of the generation's `blocked` rows without g, as JSON text of [marketplace, "i"|"n",
   * key, seq] lists: one string, however many sellers the feed blocks; only collectGarbage parses it.
   */
  blocked: z.string(),
});
export type GenerationRow = z.infer<typeof GenerationRow>;

export const NameRow = z.object({ key: z.string(), brandId: z.string() });
export type NameRow = z.infer<typeof NameRow>;

/** The last accepted directory and its sync state, kept under the `state` store's "directory" key. */
export const DirectoryState = z.object({
  url: z.string().max(2048),
  version: z.number().int().nonnegative().nullable(),
  sha256: z.string().max(128).nullable(),
  etag: z.string().max(1024).nullable(),
  issuedAt: Timestamp.nullable(),
  expiresAt: Timestamp.nullable(),
  lastAttempt: Timestamp.nullable(),
  lastSuccess: Timestamp.nullable(),
  lastError: SyncErrorRecord.nullable(),
  nextSync: Timestamp.nullable(),
  failures: z.number().int().nonnegative(),
  /** Every brand of the last accepted directory, revoked ones included. */
  brands: z
    .array(
      z.object({
        brandId: z.string().max(64),
        status: z.enum(['active', 'revoked']),
        feeds: z.array(z.string().max(2048)).max(64),
      }),
    )
    .max(100_000),
  /** Feed URLs that answered 410 Gone; not subscribed again until a newer directory version. */
  gone: z.array(z.string().max(2048)).max(100_000),
});
export type DirectoryState = z.infer<typeof DirectoryState>;

/** Counts for the options page and the benchmark. Rows of retired generations count until collected. */
export interface StoreStats {
  feeds: number;
  brands: number;
  names: number;
  sellers: number;
  blocked: number;
  products: number;
  retiredGenerations: number;
}
