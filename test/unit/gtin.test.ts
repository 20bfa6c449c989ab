import { describe, expect, it } from 'vitest';
import { normalizeGtin } from '../../lib/feed/gtin';
import { normalizeName } from '../../lib/feed/names';

describe('normalizeGtin', () => {
  it('pads every GTIN length to 14 digits', () => {
    expect(normalizeGtin('614141000012')).toBe('00614141000012');
    expect(normalizeGtin('00614141000012')).toBe('00614141000012');
    expect(normalizeGtin('978-0-306-40615-7')).toBe('09780306406157');
    expect(normalizeGtin('96385074')).toBe('00000096385074');
  });
  it('rejects bad check digits and lengths', () => {
    expect(normalizeGtin('614141000013')).toBeNull();
    expect(normalizeGtin('12345')).toBeNull();
    expect(normalizeGtin('abcdefghijkl')).toBeNull();
  });
});

describe('normalizeName', () => {
  it('folds width, case and whitespace', () => {
    expect(normalizeName('  ＡＣＭＥ\n Corp ')).toBe('acme corp');
    expect(normalizeName('Straße')).toBe(normalizeName('STRASSE'));
  });
});
