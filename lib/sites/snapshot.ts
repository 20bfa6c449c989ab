import * as z from 'zod/mini';

/*
 * zod/mini (Zod 4's tree-shakable API) rather than classic zod: these schemas are on the content
 * script's path (extractProduct validates its result with ProductSnapshot), which runs on every
 * product page a shopper opens, and classic zod would add ~90 kB gzipped to it. They are core
 * Zod types, so classic code embeds them as usual (z.object({ snapshot: z.nullable(ProductSnapshot) }))
 * and calls .parse/.safeParse on them; only classic's chained methods (.nullable(), .optional())
 * are not available on them: use the functional forms z.nullable(X), z.optional(X).
 */

/** Marketplace ids, shared/design/feed-format.md section 5. */
export const MARKETPLACES = [
  'amazon',
  'ebay',
  'walmart',
  'aliexpress',
  'taobao',
  'tmall',
  'jd',
  'etsy',
  'target',
  'bestbuy',
  'shopee',
  'lazada',
  'temu',
  'mercadolibre',
  'rakuten',
  'flipkart',
  'mercari',
  'web',
] as const;
export const Marketplace = z.enum(MARKETPLACES);
export type Marketplace = z.infer<typeof Marketplace>;

export const Condition = z.enum(['new', 'used', 'refurbished']);
export type Condition = z.infer<typeof Condition>;

/**
 * What a product page says, as read by a site adapter (shared/design/contracts.md).
 * The schema is the trust boundary between the page and everything else: the content script
 * parses its own output with it before sending, and the background parses every message again.
 */
export const ProductSnapshot = z.object({
  marketplace: Marketplace,
  site: z.string().check(z.minLength(1), z.maxLength(253)),
  url: z.url().check(z.maxLength(2048)),
  productId: z.nullable(z.string().check(z.minLength(1), z.maxLength(128))),
  gtin: z.nullable(z.string().check(z.regex(/^\d{14}$/))),
  title: z.nullable(z.string().check(z.maxLength(1000))),
  brand: z.nullable(z.string().check(z.maxLength(200))),
  price: z.nullable(
    z.object({
      // z.number() rejects NaN and infinities already.
      amount: z.number().check(z.nonnegative()),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    }),
  ),
  seller: z.nullable(
    z.object({
      id: z.nullable(z.string().check(z.minLength(1), z.maxLength(200))),
      name: z.nullable(z.string().check(z.minLength(1), z.maxLength(300))),
      isPlatform: z.boolean(),
    }),
  ),
  condition: z.nullable(Condition),
});
export type ProductSnapshot = z.infer<typeof ProductSnapshot>;

/** Fields a known page type should have but that the adapter could not find (issue 5.6). */
export const ExtractionDiagnostics = z.object({
  adapter: z.string().check(z.maxLength(64)),
  missing: z
    .array(z.enum(['productId', 'title', 'brand', 'price', 'seller', 'gtin', 'condition']))
    .check(z.maxLength(8)),
});
export type ExtractionDiagnostics = z.infer<typeof ExtractionDiagnostics>;
