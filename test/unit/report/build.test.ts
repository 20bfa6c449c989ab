import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Report } from '../../../lib/feed/schema';
import {
  buildReport,
  defaultReason,
  formatAmount,
  ReportBuildError,
  stripListingUrl,
} from '../../../lib/report/build';
import { MARKETPLACES, type Marketplace } from '../../../lib/sites/snapshot';
import { brand, CLIENT, snapshot, T0, uuidCounter, verdict } from './helpers';

const UUID1 = '00000000-0000-4000-8000-000000000001';

function build(
  v = verdict('danger', ['seller-not-authorized']),
  extra: { comment?: string; reason?: Report['reason'] } = {},
) {
  return buildReport({
    snapshot: snapshot(),
    verdict: v,
    brand: brand(),
    reason: extra.reason ?? defaultReason(v),
    comment: extra.comment,
    now: T0,
    uuid: uuidCounter(),
    client: CLIENT,
  });
}

describe('defaultReason and the payload from each verdict', () => {
  it('danger, seller on the blocked list: seller-not-authorized', () => {
    const v = verdict('danger', ['seller-blocked']);
    expect(defaultReason(v)).toBe('seller-not-authorized');
    const r = build(v);
    expect(r.verdict).toEqual({ level: 'danger', codes: ['seller-blocked'] });
    expect(r.reason).toBe('seller-not-authorized');
  });

  it('danger, seller not on a complete channel: seller-not-authorized', () => {
    const v = verdict('danger', ['seller-not-authorized', 'price-below-floor']);
    expect(defaultReason(v)).toBe('seller-not-authorized');
    expect(build(v).verdict).toEqual({
      level: 'danger',
      codes: ['seller-not-authorized', 'price-below-floor'],
    });
  });

  it('caution, price below the floor: price-too-low', () => {
    const v = verdict('caution', ['seller-not-verified', 'price-below-floor']);
    expect(defaultReason(v)).toBe('price-too-low');
    const r = build(v);
    expect(r.reason).toBe('price-too-low');
    expect(r.verdict.level).toBe('caution');
  });

  it('ok: looks-fake by default, and the shopper may pick another reason', () => {
    const v = verdict('ok', ['seller-authorized']);
    expect(defaultReason(v)).toBe('looks-fake');
    expect(build(v).reason).toBe('looks-fake');
    expect(build(v, { reason: 'other' }).reason).toBe('other');
    expect(build(v, { reason: 'received-fake' }).reason).toBe('received-fake');
  });

  it('unknown or not verified: looks-fake', () => {
    expect(defaultReason(verdict('caution', ['seller-not-verified']))).toBe('looks-fake');
    expect(defaultReason(verdict('unknown', ['seller-unreadable']))).toBe('looks-fake');
  });

  it('builds exactly the section 6 example', () => {
    const r = build(verdict('danger', ['seller-not-authorized']), {
      reason: 'price-too-low',
      comment: '  too cheap  ',
    });
    expect(r).toEqual({
      reportId: UUID1,
      createdAt: '2026-11-21T10:00:00Z',
      brandId: 'acme',
      feedVersion: 42,
      verdict: { level: 'danger', codes: ['seller-not-authorized'] },
      listing: {
        marketplace: 'amazon',
        site: 'amazon.com',
        url: 'https://www.amazon.com/dp/B0EXAMPLE1',
        productId: 'B0EXAMPLE1',
        gtin: '00614141000012',
        title: 'ACME Rocket Skates',
        brand: 'ACME',
        seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates' },
        price: { amount: '39.99', currency: 'USD' },
        condition: 'new',
      },
      reason: 'price-too-low',
      comment: 'too cheap',
      client: { version: '1.0.0', browser: 'chrome' },
    });
    // The strict schema accepts it: nothing beyond the wire format is in it.
    expect(Report.parse(r)).toEqual(r);
  });

  it('dedupes verdict codes and keeps a verdict without reasons', () => {
    const v = verdict('danger', ['seller-blocked', 'seller-blocked']);
    expect(build(v).verdict.codes).toEqual(['seller-blocked']);
    expect(build(verdict('ok', [])).verdict).toEqual({ level: 'ok', codes: [] });
  });

  it('sends nothing about the shopper: no isPlatform, no extra keys, the page URL without its query', () => {
    const r = buildReport({
      snapshot: snapshot({
        url: 'https://www.amazon.com/Rocket/dp/B0EXAMPLE1/ref=sr_1_1?keywords=acme&session-id=123-456&tag=aff-20#reviews',
      }),
      verdict: verdict('danger', ['seller-blocked']),
      brand: brand(),
      reason: 'looks-fake',
      now: T0,
      uuid: uuidCounter(),
      client: CLIENT,
    });
    const json = JSON.stringify(r);
    expect(json).not.toContain('session-id');
    expect(json).not.toContain('isPlatform');
    expect(json).not.toContain('keywords');
    expect(Object.keys(r).sort()).toEqual(
      ['brandId', 'client', 'createdAt', 'feedVersion', 'listing', 'reason', 'reportId', 'verdict'].sort(),
    );
  });

  it('null fields stay null: no seller, no price, no GTIN', () => {
    const r = buildReport({
      snapshot: snapshot({
        seller: null,
        price: null,
        gtin: null,
        title: null,
        brand: null,
        condition: null,
      }),
      verdict: verdict('unknown', ['not-for-sale']),
      brand: brand(),
      reason: 'other',
      now: T0,
      uuid: uuidCounter(),
      client: CLIENT,
    });
    expect(r.listing).toMatchObject({
      seller: null,
      price: null,
      gtin: null,
      title: null,
      brand: null,
      condition: null,
    });
  });

  it('leaves out a price the wire format cannot carry instead of guessing', () => {
    const make = (price: { amount: number; currency: string }) =>
      buildReport({
        snapshot: snapshot({ price }),
        verdict: verdict('ok', []),
        brand: brand(),
        reason: 'other',
        now: T0,
        uuid: uuidCounter(),
        client: CLIENT,
      }).listing.price;
    expect(make({ amount: 10, currency: 'XXX' })).toBeNull();
    expect(make({ amount: 1e13, currency: 'USD' })).toBeNull();
    expect(make({ amount: 1980, currency: 'JPY' })).toEqual({ amount: '1980', currency: 'JPY' });
  });

  it('comment: trimmed, at most 500 characters, left out when empty, never splits an emoji', () => {
    expect(build(undefined, { comment: '   ' }).comment).toBeUndefined();
    expect(build(undefined, { comment: 'x'.repeat(800) }).comment).toHaveLength(500);
    const emoji = `${'a'.repeat(499)}😀tail`;
    const clipped = build(undefined, { comment: emoji }).comment ?? '';
    expect(clipped).toBe('a'.repeat(499));
    expect(build(undefined, { comment: ' fine\nline ' }).comment).toBe('fine\nline');
  });

  it('rejects what cannot make a valid report with a clear error', () => {
    const base = {
      snapshot: snapshot(),
      verdict: verdict('danger', ['seller-blocked']),
      brand: brand(),
      reason: 'looks-fake' as const,
      now: T0,
      client: CLIENT,
    };
    expect(() => buildReport({ ...base, uuid: () => 'not-a-uuid' })).toThrow(ReportBuildError);
    expect(() => buildReport({ ...base, uuid: uuidCounter(), now: new Date(Number.NaN) })).toThrow(
      /invalid date/,
    );
    expect(() =>
      buildReport({ ...base, uuid: uuidCounter(), snapshot: snapshot({ url: 'ftp://example.com/x' }) }),
    ).toThrow(/http/);
    expect(() =>
      buildReport({ ...base, uuid: uuidCounter(), brand: brand({ brandId: 'Not An Id' }) }),
    ).toThrow(/brandId/);
  });
});

describe('formatAmount', () => {
  it.each([
    [39.99, 'USD', '39.99'],
    [40, 'USD', '40.00'],
    [0.1 + 0.2, 'EUR', '0.30'],
    [1.005, 'USD', '1.01'],
    [0, 'USD', '0.00'],
    [0.05, 'GBP', '0.05'],
    [1980, 'JPY', '1980'],
    [1980.4, 'JPY', '1980'],
    [25000, 'KRW', '25000'],
    [1.5, 'KWD', '1.500'],
    [12.3456, 'BHD', '12.346'],
    [999999999999.99, 'USD', '999999999999.99'],
  ])('%s %s -> %s', (amount, currency, expected) => {
    expect(formatAmount(amount, currency)).toBe(expected);
  });

  it('refuses negative, infinite and absurd amounts', () => {
    expect(formatAmount(-1, 'USD')).toBeNull();
    expect(formatAmount(Number.POSITIVE_INFINITY, 'USD')).toBeNull();
    expect(formatAmount(Number.NaN, 'USD')).toBeNull();
    expect(formatAmount(1e12, 'USD')).toBeNull();
  });

  it('always gives a string the Report schema accepts, with the currency minor unit', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e11, noNaN: true }),
        fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'),
        (amount, currency) => {
          const s = formatAmount(amount, currency);
          const digits = { USD: 2, EUR: 2, JPY: 0, KWD: 3 }[currency] ?? 2;
          expect(s).toMatch(digits === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${digits}}$`));
          expect(Math.abs(Number(s) - amount)).toBeLessThanOrEqual(0.5 / 10 ** digits + amount * 1e-12);
        },
      ),
    );
  });
});

describe('stripListingUrl', () => {
  const cases: [Marketplace, string, string][] = [
    [
      'amazon',
      'https://www.amazon.com/ACME-Rocket-Skates/dp/B0EXAMPLE1/ref=sr_1_3?crid=2X&keywords=skates&qid=1700000000&sr=8-3&th=1#customerReviews',
      'https://www.amazon.com/dp/B0EXAMPLE1',
    ],
    [
      'amazon',
      'https://www.amazon.co.uk/gp/product/b0example1?psc=1&pf_rd_p=abc',
      'https://www.amazon.co.uk/dp/B0EXAMPLE1',
    ],
    [
      'amazon',
      'https://www.amazon.de/-/en/dp/B0EXAMPLE1?language=en_GB',
      'https://www.amazon.de/dp/B0EXAMPLE1',
    ],
    [
      'amazon',
      'https://www.amazon.co.jp/dp/4873119049/ref=cm_sw_r_tw?_encoding=UTF8',
      'https://www.amazon.co.jp/dp/4873119049',
    ],
    [
      'amazon',
      'https://www.amazon.com/stores/page/ABC123/ref=ast_bln?x=1',
      'https://www.amazon.com/stores/page/ABC123',
    ],
    [
      'ebay',
      'https://www.ebay.com/itm/226771798286?_trkparms=amclksrc%3DITM&_trksid=p4375194&hash=item34ccf0c10e:g:AAAxyz#viTabs_0',
      'https://www.ebay.com/itm/226771798286',
    ],
    [
      'ebay',
      'https://www.ebay.co.uk/itm/ACME-Rocket-Skates-Size-9/226771798286?hash=item34ccf0c10e',
      'https://www.ebay.co.uk/itm/ACME-Rocket-Skates-Size-9/226771798286',
    ],
    [
      'tmall',
      'https://detail.tmall.com/item.htm?id=612345678901&spm=a230r.1.14.1.55a84f0eXyZ&skuId=4567&ali_refid=a3_430583',
      'https://detail.tmall.com/item.htm?id=612345678901',
    ],
    [
      'taobao',
      'https://item.taobao.com/item.htm?spm=a21bo.jianhua.201876.1&id=562283240178&ns=1&abbucket=9#detail',
      'https://item.taobao.com/item.htm?id=562283240178',
    ],
    [
      'jd',
      'https://item.jd.com/100012043978.html?cu=true&utm_source=kong&utm_medium=tuiguang#crumb-wrap',
      'https://item.jd.com/100012043978.html',
    ],
    [
      'bestbuy',
      'https://www.bestbuy.com/site/apple-iphone-6s-64gb-space-gray-verizon/4447801.p?skuId=4447801&intl=nosplash&ref=212',
      'https://www.bestbuy.com/site/apple-iphone-6s-64gb-space-gray-verizon/4447801.p?skuId=4447801',
    ],
    [
      'walmart',
      'https://www.walmart.com/ip/Heinz-Tomato-Ketchup-38-oz/10451001?athbdg=L1600&from=/search&classType=REGULAR&sid=abc',
      'https://www.walmart.com/ip/Heinz-Tomato-Ketchup-38-oz/10451001',
    ],
    [
      'aliexpress',
      'https://he.aliexpress.com/item/32993251330.html?spm=a2g0o.productlist.0.0.1b2c&algo_pvid=abc&gatewayAdapt=glo2isr#nav-description',
      'https://he.aliexpress.com/item/32993251330.html',
    ],
    [
      'etsy',
      'https://www.etsy.com/listing/550571276/el-original-he-y-hay?ga_order=most_relevant&ref=sr_gallery-1-3&frs=1&sts=1',
      'https://www.etsy.com/listing/550571276/el-original-he-y-hay',
    ],
    [
      'mercadolibre',
      'https://articulo.mercadolibre.com.ar/MLA-1234567890-notebook-acme-_JM?searchVariation=123#position=2&search_layout=grid&type=item&tracking_id=abc',
      'https://articulo.mercadolibre.com.ar/MLA-1234567890-notebook-acme-_JM',
    ],
    [
      'mercadolibre',
      'https://www.mercadolibre.com.mx/notebook-acme/p/MLM123456?pdp_filters=category:MLM1648#searchVariation=MLM123',
      'https://www.mercadolibre.com.mx/notebook-acme/p/MLM123456',
    ],
    [
      'flipkart',
      'https://www.flipkart.com/realme-narzo-70-pro-5g/p/itm2742a62e69f5a?pid=MOBGYFJHZ8ZKHUGC&lid=LSTMOBGYFJHZ8ZKHUGCXYZ&marketplace=FLIPKART&q=realme&store=tyy%2F4io',
      'https://www.flipkart.com/realme-narzo-70-pro-5g/p/itm2742a62e69f5a?pid=MOBGYFJHZ8ZKHUGC',
    ],
    [
      'mercari',
      'https://jp.mercari.com/item/m96084058332?source_location=share&utm_medium=share#comments',
      'https://jp.mercari.com/item/m96084058332',
    ],
    [
      'target',
      'https://www.target.com/p/acme-skates/-/A-12345678?preselect=87654321&clkid=abc#lnk=sametab',
      'https://www.target.com/p/acme-skates/-/A-12345678?preselect=87654321',
    ],
    [
      'shopee',
      'https://shopee.sg/ACME-Rocket-Skates-i.123456.789012?sp_atk=abc&xptdk=def',
      'https://shopee.sg/ACME-Rocket-Skates-i.123456.789012',
    ],
    [
      'rakuten',
      'https://item.rakuten.co.jp/acmeshop/rs-1001/?iasid=07rpp_10095___ez-abc&s-id=top',
      'https://item.rakuten.co.jp/acmeshop/rs-1001/',
    ],
    [
      'web',
      'https://acme.com/products/rocket-skates?variant=123&utm_source=x#top',
      'https://acme.com/products/rocket-skates',
    ],
    ['etsy', 'https://user:secret@www.etsy.com/listing/1/x?ref=y', 'https://www.etsy.com/listing/1/x'],
    ['tmall', 'https://detail.tmall.com/item.htm?spm=abc', 'https://detail.tmall.com/item.htm'],
  ];

  it.each(cases)('%s %s', (marketplace, input, expected) => {
    expect(stripListingUrl(input, marketplace)).toBe(expected);
  });

  it('is null for what is not an http(s) URL', () => {
    expect(stripListingUrl('javascript:alert(1)', 'web')).toBeNull();
    expect(stripListingUrl('not a url', 'amazon')).toBeNull();
    expect(stripListingUrl('file:///etc/passwd', 'web')).toBeNull();
  });

  it('never keeps a fragment or a parameter other than the listing id, on any marketplace', () => {
    const allowed: Partial<Record<Marketplace, string[]>> = {
      tmall: ['id'],
      taobao: ['id'],
      bestbuy: ['skuId'],
      flipkart: ['pid'],
      target: ['preselect'],
    };
    const param = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(...MARKETPLACES),
        fc.stringMatching(/^(\/[A-Za-z0-9._-]{1,12}){0,4}$/),
        fc.array(fc.tuple(param, fc.string({ maxLength: 12 })), { maxLength: 6 }),
        fc.string({ maxLength: 12 }),
        (marketplace, path, params, fragment) => {
          const u = new URL(`https://shop.example${path}`);
          for (const [k, v] of params) u.searchParams.append(k, v);
          u.hash = fragment;
          const out = stripListingUrl(u.href, marketplace);
          expect(out).not.toBeNull();
          const parsed = new URL(out ?? '');
          expect(parsed.hash).toBe('');
          expect(out).not.toContain('#');
          for (const key of parsed.searchParams.keys()) expect(allowed[marketplace] ?? []).toContain(key);
          expect(Report.shape.listing.shape.url.safeParse(out).success).toBe(true);
        },
      ),
    );
  });
});
