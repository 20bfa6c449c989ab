import { z } from 'zod';

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
  site: z.string().min(1).max(253),
  url: z.string().url().max(2048),
  productId: z.string().min(1).max(128).nullable(),
  gtin: z
    .string()
    .regex(/^\d{14}$/)
    .nullable(),
  title: z.string().max(1000).nullable(),
  brand: z.string().max(200).nullable(),
  price: z
    .object({
      amount: z.number().finite().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/),
    })
    .nullable(),
  seller: z
    .object({
      id: z.string().min(1).max(200).nullable(),
      name: z.string().min(1).max(300).nullable(),
      isPlatform: z.boolean(),
    })
    .nullable(),
  condition: Condition.nullable(),
});
export type ProductSnapshot = z.infer<typeof ProductSnapshot>;

/** Fields a known page type should have but that the adapter could not find (issue 5.6). */
export const ExtractionDiagnostics = z.object({
  adapter: z.string().max(64),
  missing: z.array(z.enum(['productId', 'title', 'brand', 'price', 'seller', 'gtin', 'condition'])).max(8),
});
export type ExtractionDiagnostics = z.infer<typeof ExtractionDiagnostics>;
