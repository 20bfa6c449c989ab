import type { Feed } from '../../../lib/feed/schema';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';

/** The clock of every check test: inside every fixture feed's lifetime except OLDCO's. */
export const NOW = new Date('2026-11-25T12:00:00Z');

const life = { issuedAt: '2026-11-20T00:00:00Z', expiresAt: '2026-12-20T00:00:00Z' };

/** The example feed of feed-format.md section 3, with a few more channels. */
export const ACME: Feed = {
  brandId: 'acme',
  version: 42,
  ...life,
  brand: { name: 'ACME', aliases: ['ACME Corp', 'アクメ', '爱克米'], website: 'https://acme.com' },
  channels: [
    {
      marketplace: 'amazon',
      sites: ['amazon.com', 'amazon.ca'],
      complete: true,
      sellers: [
        { id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' },
        { id: 'A3XYZABCDEFGH1', name: 'Big Retail', relation: 'retailer', until: '2026-12-10T00:00:00Z' },
        { id: 'A0LAPSED00001', name: 'Lapsed Retail', relation: 'retailer', until: '2026-11-01T00:00:00Z' },
        { id: 'A7BOTHLISTED1', name: 'Listed But Caught', relation: 'retailer' },
      ],
    },
    {
      marketplace: 'amazon',
      sites: ['amazon.co.uk'],
      complete: false,
      sellers: [{ id: 'AUKPARTNER001', name: 'UK Partner', relation: 'distributor' }],
    },
    { marketplace: 'ebay', sites: ['*'], complete: true, sellers: [] },
    { marketplace: 'web', complete: false, sellers: [{ domain: 'acme.com', relation: 'brand' }] },
  ],
  blocked: [
    { marketplace: 'amazon', id: 'A9BADBADBAD123', reason: 'test purchase 2026-10' },
    { marketplace: 'amazon', id: 'A7BOTHLISTED1', reason: 'test purchase 2026-11' },
    { marketplace: 'amazon', name: 'Cheap Skates Outlet' },
    { marketplace: 'walmart', id: '999001' },
  ],
  products: [
    {
      gtin: '00614141000012',
      ids: { asin: 'B0EXAMPLE1', sku: 'AC-1001' },
      name: 'ACME Rocket Skates',
      prices: [
        { currency: 'USD', msrp: '199.00', floor: '120.00', condition: 'new' },
        { currency: 'USD', floor: '40.00', condition: 'used' },
        { currency: 'EUR', floor: '100.00' },
      ],
    },
  ],
  report: { endpoint: 'https://acme.com/api/genuine-reports' },
};

/** A brand that lists the marketplace itself (Amazon.com) and sells on Tmall with a Chinese alias. */
export const NIKE: Feed = {
  brandId: 'nike',
  version: 7,
  ...life,
  brand: { name: 'Nike', aliases: ['耐克', 'NIKE Inc'] },
  channels: [
    {
      marketplace: 'amazon',
      sites: ['amazon.com'],
      complete: true,
      sellers: [{ id: 'ATVPDKIKX0DER', name: 'Amazon.com', relation: 'retailer' }],
    },
    {
      marketplace: 'tmall',
      complete: true,
      sellers: [{ id: '2200001', name: 'Nike官方旗舰店', relation: 'brand' }],
    },
  ],
};

/** Another brand whose blocked list names a seller that also sells ACME. */
export const ZETA: Feed = {
  brandId: 'zeta',
  version: 3,
  ...life,
  brand: { name: 'Zeta Optics' },
  channels: [{ marketplace: 'amazon', complete: false, sellers: [] }],
  blocked: [{ marketplace: 'amazon', id: 'AZETACAUGHT01', reason: 'fake Zeta lenses' }],
};

/** Two brands that share an alias, and two more where one's name is the other's alias. */
export const ORION_AUDIO: Feed = {
  brandId: 'orion-audio',
  version: 1,
  ...life,
  brand: { name: 'Orion Audio', aliases: ['Orion'] },
  channels: [{ marketplace: 'amazon', complete: true, sellers: [] }],
};
export const ORION_BIKES: Feed = {
  brandId: 'orion-bikes',
  version: 1,
  ...life,
  brand: { name: 'Orion Bikes', aliases: ['Orion'] },
  channels: [{ marketplace: 'amazon', complete: true, sellers: [] }],
};
export const POLARIS: Feed = {
  brandId: 'polaris',
  version: 1,
  ...life,
  brand: { name: 'Polaris' },
  channels: [{ marketplace: 'amazon', complete: false, sellers: [] }],
};
export const POLARIS_OPTICS: Feed = {
  brandId: 'polaris-optics',
  version: 1,
  ...life,
  brand: { name: 'Polaris Optics', aliases: ['Polaris'] },
  channels: [{ marketplace: 'amazon', complete: true, sellers: [] }],
};

/** A two-letter brand: recognized in the brand field, never in a title. */
export const HP: Feed = {
  brandId: 'hp',
  version: 1,
  ...life,
  brand: { name: 'HP' },
  channels: [{ marketplace: 'amazon', complete: true, sellers: [] }],
};

/** A list past its expiry that still names a blocked seller. */
export const OLDCO: Feed = {
  brandId: 'oldco',
  version: 9,
  issuedAt: '2026-08-01T00:00:00Z',
  expiresAt: '2026-10-01T00:00:00Z',
  brand: { name: 'OldCo' },
  channels: [{ marketplace: 'amazon', complete: true, sellers: [] }],
  blocked: [{ marketplace: 'amazon', id: 'A9BADBADBAD123', reason: 'fakes' }],
  products: [{ gtin: '00614141000029', prices: [{ currency: 'USD', floor: '100.00' }] }],
};

export const ALL_FEEDS = [ACME, NIKE, ZETA, ORION_AUDIO, ORION_BIKES, POLARIS, POLARIS_OPTICS, HP, OLDCO];

/** An Amazon.com listing of ACME Rocket Skates sold by ACME Official at MSRP. */
export function snap(overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    marketplace: 'amazon',
    site: 'amazon.com',
    url: 'https://www.amazon.com/dp/B0EXAMPLE1',
    productId: 'B0EXAMPLE1',
    gtin: '00614141000012',
    title: 'ACME Rocket Skates',
    brand: 'ACME',
    price: { amount: 199, currency: 'USD' },
    seller: { id: 'A1B2C3D4E5F6G7', name: 'ACME Official', isPlatform: false },
    condition: 'new',
    ...overrides,
  };
}
