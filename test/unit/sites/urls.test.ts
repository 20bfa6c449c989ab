/**
 * URL detection: each adapter claims its own example URLs and no adapter claims another's
 * (cross-negatives), nor any of the noMatch examples; domains never overlap; canonical URLs
 * drop tracking parameters and keep only what identifies the listing.
 */
import { describe, expect, it } from 'vitest';
import { ADAPTERS, adapterFor, GENERIC_ADAPTER, isMarketplaceSite } from '../../../lib/sites/index';
import { MARKETPLACES } from '../../../lib/sites/snapshot';
import {
  amazonAsinFromUrl,
  canonicalUrl,
  ebayItemIdFromUrl,
  siteOf,
  stripTracking,
} from '../../../lib/sites/url';

describe('adapter registry', () => {
  it('has one adapter per marketplace name, each with examples', () => {
    const names = ADAPTERS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ADAPTERS) {
      expect(MARKETPLACES).toContain(a.marketplace);
      expect(a.examples.match.length, a.name).toBeGreaterThan(0);
      expect(a.examples.noMatch.length, a.name).toBeGreaterThan(0);
      expect(a.domains.length, a.name).toBeGreaterThan(0);
      expect(a.expected.length, a.name).toBeGreaterThan(0);
    }
  });

  it('lists every adapter file of lib/sites', async () => {
    const files = import.meta.glob('../../../lib/sites/*.ts');
    const notAdapters = new Set([
      'anchors',
      'dom',
      'index',
      'jsonld',
      'price',
      'registry',
      'schema-org',
      'snapshot',
      'types',
      'url',
    ]);
    const adapterFiles = Object.keys(files)
      .map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, ''))
      .filter((n) => !notAdapters.has(n));
    for (const name of adapterFiles) {
      const mod = (await files[`../../../lib/sites/${name}.ts`]?.()) as
        | { adapter?: { name: string } }
        | undefined;
      if (!mod?.adapter) continue; // a helper module shared by adapters, not an adapter
      expect(
        ADAPTERS.map((a) => a.name),
        `${name}.ts exports an adapter that lib/sites/registry.ts does not list`,
      ).toContain(mod.adapter.name);
    }
  });

  it('gives every registrable domain to at most one adapter, written as tldts sees it', () => {
    const owner = new Map<string, string>();
    for (const a of ADAPTERS) {
      for (const d of a.domains) {
        expect(owner.get(d), `${d} is claimed by ${owner.get(d)} and ${a.name}`).toBeUndefined();
        owner.set(d, a.name);
        expect(siteOf(`https://www.${d}/`), `${a.name}: ${d} is not a registrable domain`).toBe(d);
      }
    }
  });
});

describe('example URLs (cross-negatives)', () => {
  const all = ADAPTERS.flatMap((a) => a.examples.match.map((u) => [a.name, u] as const));

  it.each(all)('%s claims %s, and no other adapter does', (name, url) => {
    const u = new URL(url);
    for (const a of ADAPTERS) expect(a.matches(u), `${a.name} on ${url}`).toBe(a.name === name);
    expect(adapterFor(url)?.name).toBe(name);
    expect(isMarketplaceSite(url)).toBe(true);
  });

  const negatives = ADAPTERS.flatMap((a) => a.examples.noMatch.map((u) => [a.name, u] as const));

  // An adapter's noMatch list holds its own non-product pages and, often, other marketplaces'
  // product URLs: it must claim none of them (and those others' adapters may).
  it.each(negatives)('%s does not claim its noMatch %s', (name, url) => {
    let u: URL | null = null;
    try {
      u = new URL(url);
    } catch {
      u = null;
    }
    const own = ADAPTERS.find((a) => a.name === name);
    if (u) expect(own?.matches(u), `${name} on ${url}`).toBe(false);
    expect(adapterFor(url)?.name ?? null).not.toBe(name);
  });

  it('the generic adapter claims its examples, and no marketplace adapter claims them', () => {
    for (const url of GENERIC_ADAPTER.examples.match) {
      expect(GENERIC_ADAPTER.matches(new URL(url)), url).toBe(true);
      expect(adapterFor(url), url).toBeNull();
    }
    for (const url of GENERIC_ADAPTER.examples.noMatch) {
      let u: URL | null = null;
      try {
        u = new URL(url);
      } catch {
        u = null;
      }
      if (u) expect(GENERIC_ADAPTER.matches(u), url).toBe(false);
    }
  });

  it('answers null for junk instead of throwing', () => {
    for (const junk of [
      '',
      'not a url',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://',
      '//amazon.com/dp/B00OQVZDJM',
    ]) {
      expect(adapterFor(junk)).toBeNull();
    }
  });
});

describe('siteOf', () => {
  it('gives the registrable domain, also where the public suffix list has a gap', () => {
    expect(siteOf('https://www.amazon.co.uk/dp/X')).toBe('amazon.co.uk');
    expect(siteOf('https://he.aliexpress.com/item/1.html')).toBe('aliexpress.com');
    expect(siteOf('https://www.amazon.com.be/dp/B07PGL2ZSL')).toBe('amazon.com.be');
    expect(siteOf('https://smile.amazon.com/dp/B07PGL2ZSL')).toBe('amazon.com');
    expect(siteOf('www.ebay.com.au')).toBe('ebay.com.au');
    expect(siteOf('http://localhost:8080/')).toBeNull();
    expect(siteOf('https://127.0.0.1/')).toBeNull();
    expect(siteOf('nonsense ://')).toBeNull();
  });
});

describe('canonical URLs', () => {
  it('Amazon: https://www.amazon.<tld>/dp/<ASIN>, the selected variation winning', () => {
    expect(
      canonicalUrl(
        'https://www.amazon.com/Darong-Womens-Casual-Shoulder-Blouses/dp/B0D1KHSGRB/ref=sr_1_3?crid=2X&keywords=top&qid=1&th=1&psc=1',
      ),
    ).toBe('https://www.amazon.com/dp/B0D1KHSGRB');
    expect(canonicalUrl('https://www.amazon.com/dp/B0D1KHSGRB?th=1', 'B0CFR36HR9')).toBe(
      'https://www.amazon.com/dp/B0CFR36HR9',
    );
    expect(canonicalUrl('http://smile.amazon.com/gp/product/1937785734?tag=aff-20#reviews')).toBe(
      'https://www.amazon.com/dp/1937785734',
    );
    expect(canonicalUrl('https://m.amazon.co.jp/gp/aw/d/B08KGG4BFM/')).toBe(
      'https://www.amazon.co.jp/dp/B08KGG4BFM',
    );
    expect(canonicalUrl('https://www.amazon.com.be/-/en/dp/B07PGL2ZSL')).toBe(
      'https://www.amazon.com.be/dp/B07PGL2ZSL',
    );
    expect(amazonAsinFromUrl('https://www.amazon.com/gp/offer-listing/B00N150YS4')).toBeNull();
    expect(amazonAsinFromUrl('https://www.amazon.com/s?k=B00N150YS4')).toBeNull();
  });

  it('eBay: /itm/<id>', () => {
    expect(
      canonicalUrl('https://www.ebay.com/itm/NVIDIA-RTX-5090/226771798286?_trkparms=x&hash=item34&var=5'),
    ).toBe('https://www.ebay.com/itm/226771798286');
    expect(canonicalUrl('https://m.ebay.de/itm/226771798286')).toBe('https://www.ebay.de/itm/226771798286');
    expect(ebayItemIdFromUrl('https://www.ebay.com/p/1701411334')).toBeNull();
  });

  it('keeps only the listing-identifying parameter elsewhere', () => {
    expect(canonicalUrl('https://item.taobao.com/item.htm?spm=a1z10&id=562283240178&ns=1&abbucket=2')).toBe(
      'https://item.taobao.com/item.htm?id=562283240178',
    );
    expect(canonicalUrl('https://detail.tmall.com/item.htm?id=600000000001&skuId=1&spm=x')).toBe(
      'https://detail.tmall.com/item.htm?id=600000000001',
    );
    expect(canonicalUrl('https://item.jd.com/100066896338.html?bbtf=1#crumb-wrap')).toBe(
      'https://item.jd.com/100066896338.html',
    );
    expect(
      canonicalUrl(
        'https://www.bestbuy.com/site/apple-iphone-6s-64gb/4447801.p?skuId=4447801&intl=nosplash&ref=199',
      ),
    ).toBe('https://www.bestbuy.com/site/apple-iphone-6s-64gb/4447801.p?skuId=4447801');
    expect(
      canonicalUrl('https://www.walmart.com/ip/Heinz-Ketchup-32-oz/10292968?athbdg=L1600&from=/search'),
    ).toBe('https://www.walmart.com/ip/10292968');
    expect(canonicalUrl('https://www.etsy.com/es/listing/550571276/el-original?ref=hp_rv&frs=1')).toBe(
      'https://www.etsy.com/listing/550571276',
    );
    expect(
      canonicalUrl('https://he.aliexpress.com/item/32993251330.html?spm=a2g0o&gatewayAdapt=glo2isr'),
    ).toBe('https://he.aliexpress.com/item/32993251330.html');
    expect(
      canonicalUrl(
        'https://www.flipkart.com/realme-narzo-70-pro/p/itm2742a62e69f5a?pid=MOBGY&lid=LST&marketplace=FLIPKART',
      ),
    ).toBe('https://www.flipkart.com/realme-narzo-70-pro/p/itm2742a62e69f5a?pid=MOBGY');
  });

  it('on other shops, drops tracking parameters and the fragment but keeps the rest', () => {
    expect(
      stripTracking(
        'http://shop.example.com/products/skates?variant=42&utm_source=x&utm_medium=y&gclid=z&fbclid=w#top',
      ),
    ).toBe('https://shop.example.com/products/skates?variant=42');
    expect(canonicalUrl('https://shop.example.com/p?id=7&ref=newsletter')).toBe(
      'https://shop.example.com/p?id=7',
    );
    expect(canonicalUrl('not a url')).toBeNull();
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
  });
});
