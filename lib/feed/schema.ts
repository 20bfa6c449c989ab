import { z } from 'zod';
import { Condition, Marketplace } from '../sites/snapshot';
import { isCurrency } from './currency';
import { normalizeGtin } from './gtin';

/**
 * The documents of shared/design/feed-format.md as zod schemas. Objects are not strict: unknown
 * fields are dropped (forward compatibility), while known fields with the wrong type reject the
 * whole document. JSON Schemas for brands are generated from these (lib/feed/json-schema.ts).
 */

export const PAYLOAD_TYPES = {
  feed: 'application/vnd.genuine.feed+json; version=1',
  directory: 'application/vnd.genuine.directory+json; version=1',
} as const;
export type DocumentKind = keyof typeof PAYLOAD_TYPES;

/** Lifetime limits, section 2 and 3. */
export const MAX_LIFETIME_MS = { feed: 90 * 86_400_000, directory: 14 * 86_400_000 } as const;
/** Body limits, section 4. */
export const MAX_BYTES = { feed: 5 * 1024 * 1024, directory: 1024 * 1024 } as const;

const Timestamp = z.iso.datetime({ offset: true });
const BrandId = z.string().regex(/^[a-z0-9-]{2,64}$/, 'expected [a-z0-9-]{2,64}');
const Version = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const HttpsUrl = z
  .string()
  .url()
  .max(2048)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/)/.test(u), {
    message: 'expected an https:// URL',
  });
/** base64 of the raw 32 bytes of an Ed25519 public key. */
export const PublicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'expected base64 of 32 bytes');
const Decimal = z.string().regex(/^\d{1,12}(\.\d{1,4})?$/, 'expected a decimal string such as "199.00"');
export const Currency = z.string().refine(isCurrency, { message: 'expected an ISO 4217 currency code' });
export const Gtin = z.string().transform((value, ctx) => {
  const gtin = normalizeGtin(value);
  if (gtin === null) {
    ctx.addIssue({ code: 'custom', message: 'expected a GTIN with a valid GS1 check digit' });
    return z.NEVER;
  }
  return gtin;
});
const Name = z.string().min(1).max(300);

export const DirectoryBrand = z.object({
  brandId: BrandId,
  name: Name,
  keys: z
    .array(z.object({ keyid: z.string().max(128), publicKey: PublicKey }))
    .min(1)
    .max(16),
  feeds: z.array(HttpsUrl).min(1).max(64),
  status: z.enum(['active', 'revoked']),
});
export type DirectoryBrand = z.infer<typeof DirectoryBrand>;

export const Directory = z.object({
  version: Version,
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  brands: z.array(DirectoryBrand).max(100_000),
});
export type Directory = z.infer<typeof Directory>;

export const SellerEntry = z
  .object({
    id: z.string().min(1).max(200).optional(),
    name: Name.optional(),
    domain: z.string().min(1).max(253).optional(),
    relation: z.string().max(64).optional(),
    until: Timestamp.optional(),
  })
  .refine((s) => s.id !== undefined || s.name !== undefined || s.domain !== undefined, {
    message: 'a seller needs an id, a name or a domain',
  });
export type SellerEntry = z.infer<typeof SellerEntry>;

export const Channel = z.object({
  marketplace: Marketplace,
  sites: z.array(z.string().min(1).max(253)).max(500).optional(),
  complete: z.boolean(),
  sellers: z.array(SellerEntry).max(2_000_000),
});
export type Channel = z.infer<typeof Channel>;

export const BlockedEntry = z
  .object({
    marketplace: Marketplace,
    id: z.string().min(1).max(200).optional(),
    name: Name.optional(),
    reason: z.string().max(500).optional(),
  })
  .refine((b) => b.id !== undefined || b.name !== undefined, {
    message: 'a blocked seller needs an id or a name',
  });
export type BlockedEntry = z.infer<typeof BlockedEntry>;

export const PriceEntry = z
  .object({
    currency: Currency,
    msrp: Decimal.optional(),
    floor: Decimal.optional(),
    condition: z.optional(Condition),
  })
  .refine((p) => p.msrp !== undefined || p.floor !== undefined, {
    message: 'a price needs an msrp or a floor',
  });
export type PriceEntry = z.infer<typeof PriceEntry>;

export const Product = z.object({
  gtin: Gtin.optional(),
  ids: z.record(z.string().max(32), z.string().min(1).max(128)).optional(),
  name: z.string().max(500).optional(),
  prices: z.array(PriceEntry).max(50).optional(),
});
export type Product = z.infer<typeof Product>;

export const Feed = z.object({
  brandId: BrandId,
  version: Version,
  issuedAt: Timestamp,
  expiresAt: Timestamp,
  brand: z.object({
    name: Name,
    aliases: z.array(Name).max(100).optional(),
    website: HttpsUrl.optional(),
    contact: z.string().max(300).optional(),
  }),
  channels: z.array(Channel).max(1000),
  blocked: z.array(BlockedEntry).max(1_000_000).optional(),
  products: z.array(Product).max(1_000_000).optional(),
  report: z.object({ endpoint: HttpsUrl }).optional(),
});
export type Feed = z.infer<typeof Feed>;

export const ReportReason = z.enum([
  'seller-not-authorized',
  'price-too-low',
  'looks-fake',
  'received-fake',
  'other',
]);
export type ReportReason = z.infer<typeof ReportReason>;

/** Section 6: what one click sends. Strict, so that nothing extra about the shopper can slip in. */
export const Report = z.strictObject({
  reportId: z.uuid({ version: 'v4' }),
  createdAt: Timestamp,
  brandId: BrandId,
  feedVersion: Version,
  verdict: z.strictObject({
    level: z.enum(['ok', 'caution', 'danger', 'unknown']),
    codes: z.array(z.string().max(64)).max(20),
  }),
  listing: z.strictObject({
    marketplace: Marketplace,
    site: z.string().max(253),
    url: z
      .string()
      .url()
      .max(2048)
      .refine((u) => !u.includes('#'), { message: 'no fragment' }),
    productId: z.string().max(128).nullable(),
    gtin: z
      .string()
      .regex(/^\d{14}$/)
      .nullable(),
    title: z.string().max(1000).nullable(),
    brand: z.string().max(200).nullable(),
    seller: z
      .strictObject({ id: z.string().max(200).nullable(), name: z.string().max(300).nullable() })
      .nullable(),
    price: z.strictObject({ amount: Decimal, currency: Currency }).nullable(),
    condition: z.nullable(Condition),
  }),
  reason: ReportReason,
  comment: z.string().max(500).optional(),
  client: z.strictObject({ version: z.string().max(32), browser: z.enum(['chrome', 'firefox', 'other']) }),
});
export type Report = z.infer<typeof Report>;
