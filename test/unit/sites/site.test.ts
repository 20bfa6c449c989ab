/**
 * The marketplace content script names a page's site without the public suffix list
 * (lib/sites/product-url.ts siteIn over the adapters' own domains, lib/sites/marketplaces.ts).
 * These tests hold it to what tldts (lib/sites/url.ts siteOf) answers: for every adapter's
 * domains, for hosts built from them, and for random hosts and URLs (fast-check), the adapter
 * picked, the marketplace test and each adapter's own site are the same as with tldts.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor, extractWithDiagnostics, isMarketplaceSite } from '../../../lib/sites/index';
import { marketplaces } from '../../../lib/sites/marketplaces';
import { siteIn } from '../../../lib/sites/product-url';
import { READERS } from '../../../lib/sites/registry';
import type { SiteAdapter } from '../../../lib/sites/types';
import { parseUrl, siteOf } from '../../../lib/sites/url';

const BY_DOMAIN = new Map<string, SiteAdapter>();
for (const a of ADAPTERS) for (const d of a.domains) BY_DOMAIN.set(d, a);
const DOMAINS = [...BY_DOMAIN.keys()];
/** What the marketplace content script runs (entrypoints/content). */
const CONTENT = marketplaces(READERS);

/** How lib/sites/index.ts picked the adapter before: tldts's registrable domain, then matches(). */
function adapterForWithTldts(url: string): SiteAdapter | null {
  const u = parseUrl(url);
  if (!u) return null;
  const a = BY_DOMAIN.get(siteOf(u) ?? '');
  return a?.matches(u) ? a : null;
}

/** What siteOf (tldts) says, kept only when it is one of `domains`. */
function listedSite(input: URL | string, domains: { has(domain: string): boolean }): string | null {
  const site = siteOf(input);
  return site !== null && domains.has(site) ? site : null;
}

const PREFIXES = [
  '',
  'www.',
  'm.',
  'smile.',
  'de.',
  'item.m.',
  'a.b.c.',
  'x-y.',
  '_x.',
  'xn--bcher-kva.',
  '1.',
];

/** Hosts near the listed domains: prefixes, look-alikes, other suffixes, junk. */
const host: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...PREFIXES, '-a.', 'a-.', 'a..', '.', 'evil', 'evil.', 'EVIL.', 'a!b.', 'ａ.', ''),
    fc.oneof(
      fc.constantFrom(...DOMAINS),
      fc.constantFrom(...DOMAINS).map((d) => d.toUpperCase()),
      fc.constantFrom(...DOMAINS).map((d) => `${d}.evil.com`),
      fc.constantFrom(...DOMAINS).map((d) => d.replace(/^[a-z]+/, (s) => `${s}x`)),
      fc.constantFrom(...DOMAINS).map((d) => d.split('.').slice(1).join('.')),
      fc.constantFrom(
        'com',
        'co.uk',
        'com.be',
        'example.com',
        'shop.com.be',
        'localhost',
        '127.0.0.1',
        '[::1]',
      ),
      fc.stringMatching(/^[a-z0-9_.-]{1,20}$/),
    ),
    fc.constantFrom('', '.', '..'),
  )
  .map(([prefix, domain, suffix]) => `${prefix}${domain}${suffix}`);

const urlPath = fc.constantFrom(
  '/',
  '/dp/B0EXAMPLE1',
  '/gp/product/1937785734',
  '/itm/226771798286',
  '/item.htm?id=562283240178',
  '/ip/Heinz/10292968',
  '/item/32993251330.html',
  '/listing/550571276/x',
  '/100066896338.html',
  '/site/x/6525421.p?skuId=6525421',
  '/p/x/-/A-12345678',
  '/x/p/itm8a1b2c3d4e5f6?pid=ABC',
  '/MLA-123456789-x-_JM',
  '/product/x-i.123.456',
  '/item/m12345678901',
  '/shop/item/1/',
  '/x/p',
);

describe('siteIn', () => {
  it('names every adapter domain, under any subdomain, as tldts does', () => {
    for (const a of ADAPTERS) {
      const own = new Set(a.domains);
      for (const d of a.domains) {
        for (const prefix of PREFIXES) {
          const h = `${prefix}${d}`;
          expect(siteIn(h, own), h).toBe(d);
          expect(siteIn(`https://${h}/x`, BY_DOMAIN), h).toBe(d);
          expect(siteOf(h), h).toBe(d);
        }
      }
    }
  });

  it('takes the longest listed domain at a label boundary', () => {
    const domains = new Set(['amazon.com', 'amazon.com.br', 'amazon.com.be']);
    expect(siteIn('www.amazon.com.br', domains)).toBe('amazon.com.br');
    expect(siteIn('www.amazon.com.be', domains)).toBe('amazon.com.be');
    expect(siteIn('smile.amazon.com', domains)).toBe('amazon.com');
    expect(siteIn('evilamazon.com', domains)).toBeNull();
    expect(siteIn('amazon.com.evil.com', domains)).toBeNull();
    expect(siteIn('www.amazon.com.', domains)).toBe('amazon.com');
    expect(siteIn(new URL('https://WWW.Amazon.COM/dp/X'), domains)).toBe('amazon.com');
  });

  it('answers null for junk, IP addresses and hosts tldts refuses', () => {
    const domains = new Set(['amazon.com']);
    for (const junk of [
      null,
      undefined,
      '',
      'nonsense ://',
      '-a.amazon.com',
      'a-.amazon.com',
      'a..amazon.com',
    ]) {
      expect(siteIn(junk, domains), String(junk)).toBeNull();
    }
    expect(siteIn(`${'a'.repeat(64)}.amazon.com`, domains)).toBeNull();
    expect(siteIn(`${'a.'.repeat(130)}amazon.com`, domains)).toBeNull();
    expect(siteIn('https://127.0.0.1/', domains)).toBeNull();
    expect(siteIn('https://[::1]/', domains)).toBeNull();
  });

  it('agrees with tldts on random hosts, for all adapters and for each one', () => {
    fc.assert(
      fc.property(host, (h) => {
        expect(siteIn(h, BY_DOMAIN), h).toBe(listedSite(h, BY_DOMAIN));
        for (const a of ADAPTERS) {
          const own = new Set(a.domains);
          expect(siteIn(h, own), `${a.name} ${h}`).toBe(listedSite(h, own));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('adapter choice without tldts', () => {
  it('picks the adapter tldts picked, on every example URL', () => {
    for (const a of ADAPTERS) {
      for (const url of [...a.examples.match, ...a.examples.noMatch]) {
        expect(adapterFor(url)?.name ?? null, url).toBe(adapterForWithTldts(url)?.name ?? null);
        expect(CONTENT.adapterFor(url)?.name ?? null, url).toBe(adapterForWithTldts(url)?.name ?? null);
        expect(isMarketplaceSite(url), url).toBe(BY_DOMAIN.has(siteOf(parseUrl(url)) ?? ''));
        expect(CONTENT.isMarketplaceSite(url), url).toBe(BY_DOMAIN.has(siteOf(parseUrl(url)) ?? ''));
      }
    }
  });

  it('picks the adapter tldts picked, on random URLs', () => {
    fc.assert(
      fc.property(fc.constantFrom('https://', 'http://'), host, urlPath, (scheme, h, p) => {
        const url = `${scheme}${h}${p}`;
        const expected = adapterForWithTldts(url)?.name ?? null;
        expect(adapterFor(url)?.name ?? null, url).toBe(expected);
        expect(CONTENT.adapterFor(url)?.name ?? null, url).toBe(expected);
        expect(isMarketplaceSite(url), url).toBe(BY_DOMAIN.has(siteOf(parseUrl(url)) ?? ''));
        expect(CONTENT.isMarketplaceSite(url), url).toBe(isMarketplaceSite(url));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('READERS', () => {
  it('are ADAPTERS without their examples, in the same order', () => {
    expect(READERS.map((r) => r.name)).toEqual(ADAPTERS.map((a) => a.name));
    ADAPTERS.forEach((a, i) => {
      const r = READERS[i];
      const { examples: _examples, ...rest } = a;
      expect(r, a.name).toEqual(rest);
      expect(r?.extract, a.name).toBe(a.extract);
      expect(r?.matches, a.name).toBe(a.matches);
      expect(r && 'examples' in r, a.name).toBe(false);
    });
  });

  it('read every fixture page as ADAPTERS do, in the content script', () => {
    const dir = path.resolve(__dirname, '../../fixtures/sites');
    let read = 0;
    for (const a of ADAPTERS) {
      for (const file of fs.readdirSync(dir).filter((f) => f.startsWith(`${a.name}-`))) {
        const doc = new DOMParser().parseFromString(
          fs.readFileSync(path.join(dir, file), 'utf8'),
          'text/html',
        );
        for (const url of a.examples.match) {
          const expected = extractWithDiagnostics(doc, url);
          expect(CONTENT.extract(doc, url), `${file} ${url}`).toEqual(expected);
          if (expected.snapshot) read++;
        }
      }
    }
    expect(read).toBeGreaterThan(20);
  });
});
