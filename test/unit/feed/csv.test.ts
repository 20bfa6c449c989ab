import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelsFromCsv, marketplaceOf, mergeChannels, parseCsv, siteOf } from '../../../cli/csv';

const fixture = (name: string) => readFileSync(path.resolve(__dirname, '../../fixtures/feed', name), 'utf8');

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and newlines, CRLF and a BOM', () => {
    const { records, delimiter } = parseCsv(
      '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\nlast,,\n',
    );
    expect(delimiter).toBe(',');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, cells: ['last', '', ''] },
    ]);
  });

  it('detects semicolons and tabs from the header line', () => {
    expect(parseCsv('a;b;"c,d"\n1;2;3').delimiter).toBe(';');
    expect(parseCsv('a\tb\n1\t2').records[1]?.cells).toEqual(['1', '2']);
    expect(parseCsv('"a;b",c\n').delimiter).toBe(',');
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow('line 2: a quoted field is never closed');
  });
});

describe('marketplaceOf and siteOf', () => {
  it('accepts the ids and the usual spellings', () => {
    expect(marketplaceOf('Amazon')).toBe('amazon');
    expect(marketplaceOf('Amazon.com')).toBe('amazon');
    expect(marketplaceOf('Mercado Libre')).toBe('mercadolibre');
    expect(marketplaceOf('Best Buy')).toBe('bestbuy');
    expect(marketplaceOf('JD.com')).toBe('jd');
    expect(marketplaceOf('webshop')).toBe('web');
    expect(marketplaceOf('amazn')).toBeNull();
    expect(marketplaceOf('')).toBeNull();
  });

  it('reduces URLs and hosts to registrable domains', () => {
    expect(siteOf('https://www.amazon.co.uk/shops/x')).toBe('amazon.co.uk');
    expect(siteOf('SMILE.AMAZON.COM')).toBe('amazon.com');
    expect(siteOf('*')).toBe('*');
    expect(siteOf('not a domain')).toBeNull();
    expect(siteOf('amazon')).toBeNull();
  });
});

describe('channelsFromCsv', () => {
  it('groups rows by marketplace and set of sites, normalising ids, dates and names', () => {
    const { records } = parseCsv(fixture('sellers-excel.csv'));
    const result = channelsFromCsv(records, { complete: true, file: 'sellers.csv' });
    expect(result.errors).toEqual([]);
    expect(result.channels).toEqual([
      {
        marketplace: 'amazon',
        sites: ['amazon.ca', 'amazon.com'],
        complete: true,
        sellers: [
          { id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' },
          {
            id: 'A3XYZABCDEFGH1',
            name: 'Big "Retail"; Inc',
            relation: 'retailer',
            until: '2026-12-31T00:00:00Z',
          },
        ],
      },
      {
        marketplace: 'ebay',
        sites: ['ebay.com'],
        complete: true,
        sellers: [{ id: 'acme_store', name: 'ACME Store' }],
      },
      {
        marketplace: 'web',
        complete: true,
        sellers: [{ domain: 'acme.com', name: 'ACME', relation: 'brand' }],
      },
      {
        marketplace: 'amazon',
        sites: ['amazon.co.uk'],
        complete: true,
        sellers: [{ id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' }],
      },
    ]);
    expect(result.warnings).toEqual(['sellers.csv:9: duplicate of line 2 (id A1B2C3D4E5F6G7); dropped']);
    expect(result.rows).toBe(6); // the blank row is skipped
    expect(result.sellers).toBe(5);
  });

  it('reports every bad row with its line and writes nothing usable', () => {
    const { records } = parseCsv(fixture('sellers-bad.csv'));
    const result = channelsFromCsv(records, { complete: false, file: 'bad.csv' });
    expect(result.errors).toEqual([
      'bad.csv:2: unknown marketplace "amazn" (did you mean "amazon"?); expected one of amazon, ebay, walmart, aliexpress, taobao, tmall, jd, etsy, target, bestbuy, shopee, lazada, temu, mercadolibre, rakuten, flipkart, mercari, web',
      'bad.csv:3: site "not" is not a domain such as amazon.co.uk',
      'bad.csv:3: site "a" is not a domain such as amazon.co.uk',
      'bad.csv:3: site "domain!" is not a domain such as amazon.co.uk',
      'bad.csv:4: the row has neither a seller id nor a seller name',
      'bad.csv:5: a web seller needs the domain of its shop',
    ]);
  });

  it('needs a marketplace column and a seller column', () => {
    const result = channelsFromCsv(parseCsv('shop,price\nx,1\n').records, { complete: false });
    expect(result.errors[0]).toMatch(
      /needs a marketplace column and a seller id or seller name column; found: "shop", "price"/,
    );
    expect(channelsFromCsv([], { complete: false }).errors[0]).toMatch(/empty file/);
  });

  it('takes flexible header names and blank sites as every site', () => {
    const csv = 'Platform,Merchant ID,Store Name\nAmazon,a1b2c3d4e5f6g7,ACME\nWalmart,,Big Retail\n';
    const result = channelsFromCsv(parseCsv(csv).records, { complete: false });
    expect(result.errors).toEqual([]);
    expect(result.channels).toEqual([
      {
        marketplace: 'amazon',
        sites: ['*'],
        complete: false,
        sellers: [{ id: 'A1B2C3D4E5F6G7', name: 'ACME' }],
      },
      { marketplace: 'walmart', sites: ['*'], complete: false, sellers: [{ name: 'Big Retail' }] },
    ]);
  });
});

describe('mergeChannels', () => {
  it('replaces channels with the same marketplace and sites and keeps the others', () => {
    const existing = [
      {
        marketplace: 'amazon',
        sites: ['amazon.com', 'amazon.ca'],
        complete: false,
        sellers: [{ id: 'OLD' }],
      },
      { marketplace: 'ebay', complete: false, sellers: [{ id: 'keep' }] },
    ];
    const incoming = [
      {
        marketplace: 'amazon' as const,
        sites: ['amazon.ca', 'amazon.com'],
        complete: true,
        sellers: [{ id: 'NEW' }],
      },
      { marketplace: 'etsy' as const, sites: ['etsy.com'], complete: true, sellers: [{ id: 'shop' }] },
    ];
    const merged = mergeChannels(existing, incoming);
    expect(merged.replaced).toBe(1);
    expect(merged.added).toBe(1);
    expect(merged.channels).toEqual([incoming[0], existing[1], incoming[1]]);
  });
});
