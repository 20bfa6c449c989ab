import { describe, expect, it } from 'vitest';
import { guessKind, type LintMessage, lintDocument } from '../../../lib/feed/lint';
import { DAY, iso, keys, NOW, validDirectory, validFeed } from './helpers';

const lines = (messages: LintMessage[]) => messages.map((m) => `${m.path}: ${m.message}`);

describe('lintDocument', () => {
  it('finds nothing wrong in the sample feed', () => {
    const result = lintDocument(validFeed(), 'feed', { now: NOW });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('lists every schema problem with its JSON path', () => {
    const sellers: unknown[] = Array.from({ length: 15 }, (_, i) => ({
      id: `A${String(i).padStart(13, '0')}`,
    }));
    sellers[14] = { id: 7 };
    const feed = validFeed({
      channels: [
        { marketplace: 'amazon', complete: true, sellers: [{ id: 'A1B2C3D4E5F6G7' }] },
        { marketplace: 'ebay', complete: 'yes', sellers: [] },
        { marketplace: 'amazon', sites: ['amazon.de'], complete: false, sellers },
      ],
      products: [{ gtin: '00614141000013' }],
    });
    const errors = lines(lintDocument(feed, 'feed', { now: NOW }).errors);
    expect(errors).toContain('channels[2].sellers[14].id: expected string, received number');
    expect(errors).toContain('channels[1].complete: expected boolean, received string');
    expect(errors).toContain(
      'products[0].gtin: expected a GTIN with a valid GS1 check digit (got "00614141000013")',
    );
  });

  it('warns about duplicates, empty complete lists, floors above msrp, foreign sites and typos', () => {
    const feed = validFeed({
      channels: [
        {
          marketplace: 'amazon',
          sites: ['amazon.com', 'ebay.com', 'https://www.amazon.de/'],
          complete: true,
          sellers: [
            { id: 'A1B2C3D4E5F6G7' },
            { name: 'X' },
            { id: 'A1B2C3D4E5F6G7', name: 'again' },
            { id: 'lowercase' },
          ],
        },
        { marketplace: 'walmart', complete: true, sellers: [] },
        {
          marketplace: 'ebay',
          complete: false,
          sellers: [{ id: 'ACME_Store', untill: '2027-01-01T00:00:00Z' }],
        },
      ],
      products: [{ gtin: '614141000012', prices: [{ currency: 'USD', msrp: '99.99', floor: '120.00' }] }],
      blocked: [{ marketplace: 'amazon', id: 'A1B2C3D4E5F6G7' }],
    });
    const result = lintDocument(feed, 'feed', { now: NOW });
    expect(result.errors).toEqual([]);
    const warnings = lines(result.warnings);
    expect(warnings).toContain(
      'channels[0].sellers[2]: duplicate of channels[0].sellers[0] (id A1B2C3D4E5F6G7)',
    );
    expect(
      warnings.some((w) =>
        w.startsWith('channels[1]: complete is true and sellers is empty: nobody is authorized'),
      ),
    ).toBe(true);
    expect(warnings).toContain('products[0].prices[0]: floor 120.00 is above msrp 99.99 USD');
    expect(warnings).toContain('channels[0].sites[1]: "ebay.com" is not a site of the marketplace "amazon"');
    expect(
      warnings.some((w) =>
        w.startsWith('channels[0].sites[2]: "https://www.amazon.de/" is not a registrable domain'),
      ),
    ).toBe(true);
    expect(
      warnings.some((w) =>
        w.startsWith('channels[0].sellers[3].id: "lowercase" does not look like an Amazon merchant id'),
      ),
    ).toBe(true);
    expect(warnings).toContain(
      'channels[2].sellers[0].untill: unknown field, ignored by readers (did you mean "until"?)',
    );
    expect(
      warnings.some((w) =>
        w.startsWith('channels[2].sellers[0].id: eBay user names are written in lower case'),
      ),
    ).toBe(true);
    expect(warnings).toContain('blocked[0]: this seller is also authorized at channels[0].sellers[0]');
  });

  it('reports an unknown marketplace as an error, naming the known ones', () => {
    const feed = validFeed({ channels: [{ marketplace: 'amazone', complete: false, sellers: [] }] });
    const errors = lines(lintDocument(feed, 'feed', { now: NOW }).errors);
    expect(errors[0]).toMatch(
      /^channels\[0\]\.marketplace: expected one of "amazon"\|"ebay".*\(got "amazone"\)$/,
    );
  });

  it('lets an unsigned document leave out version and dates, and checks the dates of a signed one', () => {
    const { version: _v, issuedAt: _i, expiresAt: _e, ...bare } = validFeed();
    const unsigned = lintDocument(bare, 'feed', { now: NOW, unsigned: true });
    expect(unsigned.errors).toEqual([]);
    expect(lines(unsigned.notes)).toContain(
      '(document): issuedAt, expiresAt, version absent: sign sets them',
    );
    const signed = lintDocument(bare, 'feed', { now: NOW });
    expect(lines(signed.errors)).toContain('version: missing (expected number)');

    const old = validFeed({ issuedAt: iso(NOW.getTime() - 100 * DAY), expiresAt: iso(NOW.getTime() - DAY) });
    expect(lines(lintDocument(old, 'feed', { now: NOW }).errors)).toEqual([
      'expiresAt: more than 90 days after issuedAt: rejected as expired',
      'expiresAt: already past: rejected as expired',
    ]);
    expect(lintDocument(old, 'feed', { now: NOW, unsigned: true }).errors).toEqual([]);
  });

  it('compares the envelope size with the limit', () => {
    expect(
      lines(lintDocument(validFeed(), 'feed', { now: NOW, envelopeBytes: 6_000_000 }).errors)[0],
    ).toMatch(/over the 5242880 byte limit/);
    expect(
      lines(lintDocument(validFeed(), 'feed', { now: NOW, envelopeBytes: 4_500_000 }).warnings)[0],
    ).toMatch(/close to/);
  });

  it('lints the directory: duplicate brands, keys shared between brands', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const directory = validDirectory(a.publicKey);
    const brands = directory.brands as Record<string, unknown>[];
    const doubled = {
      ...directory,
      brands: [...brands, { ...brands[0], name: 'Other' }, { ...brands[0], brandId: 'other' }],
    };
    const result = lintDocument(doubled, 'directory', { now: NOW });
    expect(result.errors).toEqual([]);
    const warnings = lines(result.warnings);
    expect(warnings).toContain('brands[1].brandId: brandId "acme" is also brands[0]');
    expect(warnings).toContain('brands[2].keys[0].publicKey: this key is also pinned for brand "acme"');
  });

  it('never throws on non-objects and caps repeated messages', () => {
    for (const input of [null, 1, 'x', [], undefined]) {
      expect(lintDocument(input, 'feed').errors).toHaveLength(1);
    }
    const sellers = Array.from({ length: 80 }, () => ({ id: 'A1B2C3D4E5F6G7' }));
    const result = lintDocument(
      validFeed({ channels: [{ marketplace: 'amazon', complete: true, sellers }] }),
      'feed',
      { now: NOW },
    );
    expect(result.warnings).toHaveLength(51);
    expect(result.warnings.at(-1)?.message).toBe('29 more "duplicate seller" messages not shown');
  });

  it('guesses the kind of a document', () => {
    expect(guessKind(validFeed())).toBe('feed');
    expect(guessKind({ brands: [] })).toBe('directory');
    expect(guessKind({})).toBeNull();
    expect(guessKind([])).toBeNull();
  });
});
