import { z } from 'zod';
import { Marketplace } from '../sites/snapshot';
import type { FeedMeta } from './types';

/**
 * What the store keeps in IndexedDB, as zod schemas. Reads from storage are a trust boundary (the
 * database may hold records of an older version of the extension, or be damaged): every record is
 * parsed on read, and one that does not parse reads as absent.
 *
 * Short field names on the bulk rows (sellers, blocked, products) keep a million-row import small.
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
  /** Indexed by the channel's position in the feed, which seller rows refer to. */
  channels: z.array(ChannelRow).max(1000),
  counts: z.object({
    sellers: z.number().int().nonnegative(),
    blocked: z.number().int().nonnegative(),
    products: z.number().int().nonnegative(),
  }),
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

export const GenerationRow = z.object({
  g: z.number().int().nonnegative(),
  url: z.string().max(2048),
  brandId: z.string().max(64),
  /** Retired generations are deleted by `collectGarbage`; readers ignore their rows meanwhile. */
  state: z.enum(['active', 'retired']),
});
export type GenerationRow = z.infer<typeof GenerationRow>;

export const SellerRow = z.object({
  g: z.number().int(),
  m: Marketplace,
  /** Normalized id (or domain on "web"); "" for an entry listed by name only. */
  i: z.string(),
  s: z.number().int(),
  /** Index of the channel in the feed (BrandPart.channels). */
  c: z.number().int().nonnegative(),
  /** Normalized name. */
  n: z.string().optional(),
  e: z.object({
    id: z.string().optional(),
    name: z.string().optional(),
    domain: z.string().optional(),
    relation: z.string().optional(),
    until: z.string().optional(),
  }),
});
export type SellerRow = z.infer<typeof SellerRow>;

export const BlockedRow = z.object({
  g: z.number().int(),
  s: z.number().int(),
  b: z.string(),
  m: Marketplace,
  i: z.string().optional(),
  n: z.string().optional(),
  e: z.object({ id: z.string().optional(), name: z.string().optional(), reason: z.string().optional() }),
});
export type BlockedRow = z.infer<typeof BlockedRow>;

export const ProductRow = z.object({
  g: z.number().int(),
  s: z.number().int(),
  b: z.string(),
  /** 14-digit GTIN. */
  t: z.string().optional(),
  /** [brandId, normalized id] for every id of the product; a multi-entry index. */
  k: z.array(z.tuple([z.string(), z.string()])),
  p: z.unknown(),
});
export type ProductRow = z.infer<typeof ProductRow>;

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
