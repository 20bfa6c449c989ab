import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProduct, worstLevel } from '../../../lib/check';
import { Verdict } from '../../../lib/check/types';
import { MARKETPLACES, type ProductSnapshot } from '../../../lib/sites/snapshot';
import { REASON_ARGS } from '../../../lib/ui/reasons';
import { ALL_FEEDS, NOW } from './fixtures';
import { createMemoryStore } from './memory-store';

const store = createMemoryStore(ALL_FEEDS.map((feed) => ({ feed })));

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

/** Snapshots mixing the fixtures' real names and ids with arbitrary text. */
const snapshot: fc.Arbitrary<ProductSnapshot> = fc.record({
  marketplace: pick(MARKETPLACES),
  site: pick([
    'amazon.com',
    'amazon.co.uk',
    'amazon.de',
    'ebay.com',
    'tmall.com',
    'acme.com',
    'shop.example',
  ]),
  url: fc.constant('https://www.amazon.com/dp/B0EXAMPLE1'),
  productId: maybe(pick(['B0EXAMPLE1', 'AC-1001', 'X'])),
  gtin: maybe(pick(['00614141000012', '00614141000029', '00000000000000'])),
  title: maybe(
    fc.oneof(
      pick(['ACME skates', '耐克男鞋', 'Orion speaker', 'HP toner', '']),
      fc.string({ maxLength: 40 }),
    ),
  ),
  brand: maybe(
    fc.oneof(
      pick(['ACME', 'Nike', 'OldCo', 'Orion', 'Polaris', '爱克米', 'Generic']),
      fc.string({ maxLength: 20 }),
    ),
  ),
  price: maybe(
    fc.record({
      amount: fc.double({ min: 0, max: 1e6, noNaN: true }),
      currency: pick(['USD', 'EUR', 'CNY']),
    }),
  ),
  seller: maybe(
    fc.record({
      id: maybe(pick(['A1B2C3D4E5F6G7', 'A9BADBADBAD123', 'AZETACAUGHT01', 'ATVPDKIKX0DER', '2200001', 'Z'])),
      name: maybe(
        fc.oneof(pick(['ACME Official', 'Cheap Skates Outlet', 'Amazon.com']), fc.string({ minLength: 1 })),
      ),
      isPlatform: fc.boolean(),
    }),
  ),
  condition: maybe(pick(['new', 'used', 'refurbished'] as const)),
});

const clock = fc.date({
  min: new Date('2026-09-01T00:00:00Z'),
  max: new Date('2027-01-31T00:00:00Z'),
  noInvalidDate: true,
});

describe('checkProduct over arbitrary listings', () => {
  it('always returns a valid verdict whose level is its worst reason', async () => {
    await fc.assert(
      fc.asyncProperty(snapshot, clock, async (s, now) => {
        const v = await checkProduct(s, store, now);
        Verdict.parse(v);
        expect(v.reasons.length).toBeGreaterThan(0);
        expect(v.level).toBe(worstLevel(v.reasons));
        for (const r of v.reasons) {
          // One sentence per code, plus the platform's own wording of seller-not-verified.
          const own = `reason_${r.code.replace(/-/g, '_')}`;
          if (r.messageKey === 'reason_platform_not_listed') {
            expect(r.code).toBe('seller-not-verified');
            expect(r.evidence).toMatchObject({ platform: true, channelComplete: true });
          } else {
            expect(r.messageKey).toBe(own);
          }
          // The locales' placeholders (lib/ui/reasons.ts) are filled from these, in order.
          expect(r.messageArgs.length, r.code).toBe(REASON_ARGS[r.code].length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never says danger without a readable seller, a detected brand and a current list', async () => {
    await fc.assert(
      fc.asyncProperty(snapshot, clock, async (s, now) => {
        const v = await checkProduct(s, store, now);
        if (v.level !== 'danger') return;
        expect(v.brand).not.toBeNull();
        expect(Date.parse(v.brand?.expiresAt ?? '')).toBeGreaterThan(now.getTime());
        if (s.marketplace !== 'web') {
          expect(s.seller).not.toBeNull();
          expect(s.seller?.id !== null || s.seller?.name !== null || s.seller?.isPlatform).toBe(true);
        }
        const dangerous = v.reasons.filter((r) => r.level === 'danger').map((r) => r.code);
        expect(dangerous.every((c) => c === 'seller-blocked' || c === 'seller-not-authorized')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('an expired list only ever says feed-expired', async () => {
    await fc.assert(
      fc.asyncProperty(snapshot, async (s) => {
        const v = await checkProduct({ ...s, brand: 'OldCo' }, store, NOW);
        expect(v.reasons.map((r) => r.code)).toEqual(['feed-expired']);
        expect(v.level).toBe('unknown');
      }),
      { numRuns: 200 },
    );
  });
});
