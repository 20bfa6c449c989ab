import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../lib/feed/names';
import { normalizeProductId, normalizeSellerId } from '../../../lib/store/keys';

/**
 * normalizeName, normalizeSellerId and normalizeProductId skip Unicode normalization for plain
 * ASCII (a speed-up on import): they must give exactly what the full rule gives, for any input.
 */

const fullName = (input: string) =>
  input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u00df/g, 'ss')
    .normalize('NFKC')
    .replace(/(?:\s|\u200b|\u200c|\u200d|\ufeff)+/g, ' ')
    .trim();
const fullId = (input: string) => input.normalize('NFKC').trim().toLowerCase();

/** Mostly ASCII (where the shortcut applies), with spaces, tabs and some non-ASCII mixed in. */
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', 'B', 'z', 'Q', '0', '-', '.', ' ', '  ', '\t', '\n', '~', '!'),
    maxLength: 30,
  }),
  fc.string({
    unit: fc.constantFrom('a', 'B', ' ', 'ß', 'Ａ', 'ﬁ', '\u00a0', '\u200b', 'é', 'e\u0301', 'İ'),
    maxLength: 20,
  }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

describe('name and id normalization', () => {
  it('the ASCII shortcut agrees with the full rule', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(normalizeName(s)).toBe(fullName(s));
        expect(normalizeProductId(s)).toBe(fullId(s));
        expect(normalizeSellerId('amazon', s)).toBe(fullId(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('examples', () => {
    expect(normalizeName('ＡＣＭＥ  Corp')).toBe('acme corp');
    expect(normalizeName('Acme Corp')).toBe('acme corp');
    expect(normalizeName(' Acme Corp')).toBe('acme corp');
    expect(normalizeName('Straße')).toBe('strasse');
    expect(normalizeSellerId('amazon', 'A1B2C3')).toBe('a1b2c3');
    expect(normalizeSellerId('web', 'WWW.Shop.Example.')).toBe('shop.example');
    expect(normalizeProductId(' B0ABC ')).toBe('b0abc');
  });
});
