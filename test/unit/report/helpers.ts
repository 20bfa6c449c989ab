import type { BrandInfo, Level, Reason, ReasonCode, Verdict } from '../../../lib/check/types';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';

/** Builders for the report tests: a listing, a brand and verdicts as the check engine makes them. */

export const T0 = new Date('2026-11-21T10:00:00.000Z');

export function brand(overrides: Partial<BrandInfo> = {}): BrandInfo {
  return {
    brandId: 'acme',
    name: 'ACME',
    website: 'https://acme.com',
    contact: 'brand-protection@acme.com',
    reportEndpoint: 'https://acme.com/api/genuine-reports',
    feedUrl: 'https://acme.com/.well-known/genuine-feed.json',
    feedVersion: 42,
    issuedAt: '2026-11-20T00:00:00Z',
    expiresAt: '2026-12-20T00:00:00Z',
    lastSync: '2026-11-21T09:00:00.000Z',
    ...overrides,
  };
}

export function snapshot(overrides: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    marketplace: 'amazon',
    site: 'amazon.com',
    url: 'https://www.amazon.com/dp/B0EXAMPLE1',
    productId: 'B0EXAMPLE1',
    gtin: '00614141000012',
    title: 'ACME Rocket Skates',
    brand: 'ACME',
    price: { amount: 39.99, currency: 'USD' },
    seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates', isPlatform: false },
    condition: 'new',
    ...overrides,
  };
}

function reason(code: ReasonCode, level: Level): Reason {
  return { code, level, messageKey: `reason_${code.replaceAll('-', '_')}`, messageArgs: [], evidence: {} };
}

export function verdict(level: Level, codes: ReasonCode[], b: BrandInfo | null = brand()): Verdict {
  return { level, brand: b, reasons: codes.map((c) => reason(c, level)), checkedAt: T0.toISOString() };
}

/** Deterministic uuid v4 values: 00000000-0000-4000-8000-000000000001, ...02, ... */
export function uuidCounter(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}

export const CLIENT = { version: '1.0.0', browser: 'chrome' } as const;

/** A clock the test moves by hand. */
export function manualClock(start: Date = T0) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set(date: Date | number) {
      t = typeof date === 'number' ? date : date.getTime();
    },
    advance(ms: number) {
      t += ms;
    },
    get ms() {
      return t;
    },
  };
}
