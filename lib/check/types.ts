import * as z from 'zod/mini';

/*
 * zod/mini, like lib/sites/snapshot.ts: the content script validates the verdicts the background
 * sends it with these schemas, and classic zod is too large for a script that runs on every
 * product page. Classic code embeds them as usual; use z.nullable(Verdict), not Verdict.nullable().
 */

export const Level = z.enum(['ok', 'caution', 'danger', 'unknown']);
export type Level = z.infer<typeof Level>;

/** Stable reason codes. Reports carry them; locales hold one message per code (reason_<code with _>). */
export const ReasonCode = z.enum([
  'seller-blocked', // on the brand's blocked list: danger
  'seller-not-authorized', // not listed on a complete channel: danger
  'seller-not-verified', // not listed on an incomplete channel: caution
  'seller-authorized', // listed: ok
  'platform-authorized', // the marketplace itself sells and the brand lists it: ok
  'price-below-floor', // new item below the brand's floor: at least caution
  'used-item', // used or refurbished: price floors for new items do not apply
  'no-channel', // the brand publishes nothing for this marketplace: unknown
  'no-feed', // no list for this brand: unknown
  'feed-expired', // the brand's list is past its expiry: unknown
  'seller-unreadable', // the page did not show the seller: unknown
  'no-brand', // the brand could not be decided: unknown
  'not-for-sale', // nothing to buy on this page: unknown
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const Evidence = z.object({
  brandId: z.optional(z.string()),
  feedUrl: z.optional(z.string()),
  feedVersion: z.optional(z.number()),
  marketplace: z.optional(z.string()),
  site: z.optional(z.string()),
  channelComplete: z.optional(z.boolean()),
  seller: z.optional(z.object({ id: z.nullable(z.string()), name: z.nullable(z.string()) })),
  /** True when the marketplace itself sells (seller.isPlatform on the page). */
  platform: z.optional(z.boolean()),
  /** The listing's condition when it is not new ("used", "refurbished"). */
  condition: z.optional(z.string()),
  sellerEntry: z.optional(
    z.object({
      id: z.optional(z.string()),
      name: z.optional(z.string()),
      relation: z.optional(z.string()),
      until: z.optional(z.string()),
    }),
  ),
  blockedReason: z.optional(z.string()),
  price: z.optional(z.object({ amount: z.number(), currency: z.string() })),
  floor: z.optional(z.number()),
  msrp: z.optional(z.number()),
  /** Whole percent below MSRP (or below the floor when no MSRP is known). */
  percentBelow: z.optional(z.number()),
  expiredAt: z.optional(z.string()),
});
export type Evidence = z.infer<typeof Evidence>;

export const Reason = z.object({
  code: ReasonCode,
  level: Level,
  /** i18n key in public/_locales/<lang>/messages.json. */
  messageKey: z.string(),
  /** Substitutions for the message, in order. */
  messageArgs: z.array(z.string()).check(z.maxLength(9)),
  evidence: Evidence,
});
export type Reason = z.infer<typeof Reason>;

export const BrandInfo = z.object({
  brandId: z.string(),
  name: z.string(),
  website: z.nullable(z.string()),
  contact: z.nullable(z.string()),
  reportEndpoint: z.nullable(z.string()),
  feedUrl: z.string(),
  feedVersion: z.number(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  lastSync: z.nullable(z.string()),
});
export type BrandInfo = z.infer<typeof BrandInfo>;

export const Verdict = z.object({
  level: Level,
  brand: z.nullable(BrandInfo),
  reasons: z.array(Reason),
  checkedAt: z.string(),
});
export type Verdict = z.infer<typeof Verdict>;
