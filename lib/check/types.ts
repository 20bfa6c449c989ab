import { z } from 'zod';

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
  brandId: z.string().optional(),
  feedUrl: z.string().optional(),
  feedVersion: z.number().optional(),
  marketplace: z.string().optional(),
  site: z.string().optional(),
  channelComplete: z.boolean().optional(),
  seller: z.object({ id: z.string().nullable(), name: z.string().nullable() }).optional(),
  /** True when the marketplace itself sells (seller.isPlatform on the page). */
  platform: z.boolean().optional(),
  /** The listing's condition when it is not new ("used", "refurbished"). */
  condition: z.string().optional(),
  sellerEntry: z
    .object({
      id: z.string().optional(),
      name: z.string().optional(),
      relation: z.string().optional(),
      until: z.string().optional(),
    })
    .optional(),
  blockedReason: z.string().optional(),
  price: z.object({ amount: z.number(), currency: z.string() }).optional(),
  floor: z.number().optional(),
  msrp: z.number().optional(),
  /** Whole percent below MSRP (or below the floor when no MSRP is known). */
  percentBelow: z.number().optional(),
  expiredAt: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Reason = z.object({
  code: ReasonCode,
  level: Level,
  /** i18n key in public/_locales/<lang>/messages.json. */
  messageKey: z.string(),
  /** Substitutions for the message, in order. */
  messageArgs: z.array(z.string()).max(9),
  evidence: Evidence,
});
export type Reason = z.infer<typeof Reason>;

export const BrandInfo = z.object({
  brandId: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  contact: z.string().nullable(),
  reportEndpoint: z.string().nullable(),
  feedUrl: z.string(),
  feedVersion: z.number(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  lastSync: z.string().nullable(),
});
export type BrandInfo = z.infer<typeof BrandInfo>;

export const Verdict = z.object({
  level: Level,
  brand: BrandInfo.nullable(),
  reasons: z.array(Reason),
  checkedAt: z.string(),
});
export type Verdict = z.infer<typeof Verdict>;
