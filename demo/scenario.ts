import type { Level } from '../lib/check/types';
import type { Feed } from '../lib/feed';

/**
 * The demo world's data, shared by `npm run demo` and the real-browser tests: one made-up brand,
 * "ACME (demo)", whose signed feed says who may sell it on Amazon and eBay, at what prices, and
 * which seller it caught selling fakes; and the demo shop pages (demo/pages/) that show each
 * verdict. Nothing here is a real brand, seller or listing.
 */

export const ACME_BRAND_ID = 'acme-demo';
export const ACME_NAME = 'ACME (demo)';

/** Seller ids on the demo pages (Amazon merchant ids are 10-16 uppercase letters and digits). */
export const SELLERS = {
  official: { id: 'A1DEMOACMEOFFL', name: 'ACME Demo Official' },
  unauthorized: { id: 'A7DEMOUNAUTH01', name: 'Discount Boots Outlet (demo)' },
  blocked: { id: 'A9DEMOBLOCKED1', name: 'Too Good Deals (demo)' },
  ebayOfficial: { id: 'acme_demo_official', name: 'acme_demo_official' },
  ebayOther: { id: 'skates_and_more_demo', name: 'skates_and_more_demo' },
} as const;

export interface AcmeFeedOptions {
  version: number;
  issuedAt: string;
  expiresAt: string;
  reportEndpoint: string;
  /** Version 2 of the story: the brand adds the "unauthorized" seller as a retailer. */
  authorizeOutlet?: boolean;
}

export function acmeFeed(o: AcmeFeedOptions): Feed {
  const amazonSellers: Feed['channels'][number]['sellers'] = [
    { id: SELLERS.official.id, name: SELLERS.official.name, relation: 'brand' },
  ];
  if (o.authorizeOutlet) {
    amazonSellers.push({
      id: SELLERS.unauthorized.id,
      name: SELLERS.unauthorized.name,
      relation: 'retailer',
    });
  }
  return {
    brandId: ACME_BRAND_ID,
    version: o.version,
    issuedAt: o.issuedAt,
    expiresAt: o.expiresAt,
    brand: { name: ACME_NAME, aliases: ['ACME Demo'], website: 'https://acme-demo.genuine.test' },
    channels: [
      { marketplace: 'amazon', sites: ['amazon.com'], complete: true, sellers: amazonSellers },
      // A sample, not the whole list: anyone else on eBay is "not verified", never "not authorized".
      {
        marketplace: 'ebay',
        sites: ['ebay.com'],
        complete: false,
        sellers: [{ id: SELLERS.ebayOfficial.id, name: SELLERS.ebayOfficial.name, relation: 'brand' }],
      },
    ],
    blocked: [{ marketplace: 'amazon', id: SELLERS.blocked.id, reason: 'demo: test purchase was a fake' }],
    products: [
      {
        gtin: '00614141000012',
        ids: { asin: 'B0DEMOACM1' },
        name: 'ACME (demo) Rocket Skates',
        prices: [{ currency: 'USD', msrp: '199.00', floor: '120.00', condition: 'new' }],
      },
      {
        ids: { asin: 'B0DEMOACM2' },
        name: 'ACME (demo) Jet Boots',
        prices: [{ currency: 'USD', msrp: '249.00', floor: '150.00', condition: 'new' }],
      },
      {
        ids: { asin: 'B0DEMOACM3' },
        name: 'ACME (demo) Giant Horseshoe Magnet',
        prices: [{ currency: 'USD', msrp: '149.00', floor: '90.00', condition: 'new' }],
      },
      {
        ids: { asin: 'B0DEMOACM4' },
        name: 'ACME (demo) Portable Hole',
        prices: [{ currency: 'USD', msrp: '129.00', floor: '80.00', condition: 'new' }],
      },
    ],
    report: { endpoint: o.reportEndpoint },
  };
}

export interface DemoListing {
  /** Short name used in file names and tables. */
  id: string;
  /** The real-looking URL the page is served at (the local server answers for the host). */
  url: string;
  expected: Level;
  why: string;
}

/** The demo pages (demo/pages/) and the verdict each should get with acmeFeed({version: 1}). */
export const DEMO_LISTINGS: readonly DemoListing[] = [
  {
    id: 'amazon-ok',
    url: 'https://www.amazon.com/dp/B0DEMOACM1',
    expected: 'ok',
    why: 'sold by the brand itself, listed in its signed feed, price above the floor',
  },
  {
    id: 'amazon-danger-unauthorized',
    url: 'https://www.amazon.com/dp/B0DEMOACM2',
    expected: 'danger',
    why: 'seller not on the brand’s complete list of Amazon sellers',
  },
  {
    id: 'amazon-caution-price',
    url: 'https://www.amazon.com/dp/B0DEMOACM3',
    expected: 'caution',
    why: 'authorized seller, but the new item costs far below the brand’s price floor',
  },
  {
    id: 'amazon-danger-blocked',
    url: 'https://www.amazon.com/dp/B0DEMOACM4',
    expected: 'danger',
    why: 'seller the brand caught selling fakes (blocked list)',
  },
  {
    id: 'ebay-caution-not-verified',
    url: 'https://www.ebay.com/itm/190000000001',
    expected: 'caution',
    why: 'seller not on the brand’s eBay list, which is only a sample: "not verified", never "not authorized"',
  },
  {
    id: 'amazon-unknown-brand',
    url: 'https://www.amazon.com/dp/B0DEMONIM1',
    expected: 'unknown',
    why: 'a brand that publishes no list',
  },
];
