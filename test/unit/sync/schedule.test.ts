import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKOFF_CAP_MS,
  backoffInterval,
  DEFAULT_INTERVAL_MS,
  HOUR_MS,
  MAX_INTERVAL_MS,
  maxAgeSeconds,
  successInterval,
  withJitter,
} from '../../../lib/sync/schedule';

const MIN = 60_000;

describe('Cache-Control', () => {
  it('reads max-age among other directives', () => {
    expect(maxAgeSeconds('public, max-age=7200, must-revalidate')).toBe(7200);
    expect(maxAgeSeconds('MAX-AGE="600"')).toBe(600);
    expect(maxAgeSeconds('no-cache')).toBe(0);
    expect(maxAgeSeconds('public')).toBeNull();
    expect(maxAgeSeconds('max-age=abc')).toBeNull();
    expect(maxAgeSeconds(null)).toBeNull();
  });

  it('floors at 1 hour, defaults to 24 hours, caps at 7 days', () => {
    expect(successInterval('max-age=60')).toBe(HOUR_MS);
    expect(successInterval('no-store')).toBe(HOUR_MS);
    expect(successInterval('max-age=7200')).toBe(2 * HOUR_MS);
    expect(successInterval(null)).toBe(DEFAULT_INTERVAL_MS);
    expect(DEFAULT_INTERVAL_MS).toBe(24 * HOUR_MS);
    expect(successInterval('max-age=31536000')).toBe(MAX_INTERVAL_MS);
  });
});

describe('backoff', () => {
  it('starts at 15 minutes, doubles, and stops at 24 hours', () => {
    const sequence = Array.from({ length: 10 }, (_, i) => backoffInterval(i + 1) / MIN);
    expect(sequence).toEqual([15, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440]);
    expect(backoffInterval(1000)).toBe(BACKOFF_CAP_MS);
    expect(backoffInterval(0)).toBe(15 * MIN);
  });
});

describe('jitter', () => {
  it('adds between 0 and 10 percent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 * 24 * HOUR_MS }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (delay, r) => {
          const jittered = withJitter(delay, () => r);
          return jittered >= delay && jittered <= Math.round(delay * 1.1);
        },
      ),
    );
    expect(withJitter(1000, () => 0)).toBe(1000);
    expect(withJitter(1000, () => 0.5)).toBe(1050);
    // A broken random source cannot push the schedule outside the bounds.
    expect(withJitter(1000, () => 7)).toBe(1100);
    expect(withJitter(1000, () => Number.NaN)).toBe(1000);
  });
});
