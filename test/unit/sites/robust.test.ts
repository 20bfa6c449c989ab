/**
 * Hostile pages: whatever the DOM holds, extractProduct returns null or a valid snapshot and
 * never throws, for every adapter in the registry and for the generic schema.org one.
 * fast-check builds random pages from the ids, classes and attributes the adapters look for
 * (so their code paths run), garbage, truncated real-ish HTML, misleading JSON-LD; plus fixed
 * extremes: 5,000 levels of nesting, 100k elements, 5 MB text nodes.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADAPTERS,
  extractGeneric,
  extractProduct,
  extractWithDiagnostics,
  finishSnapshot,
  GENERIC_ADAPTER,
} from '../../../lib/sites/index';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

const FIXTURES = path.resolve(__dirname, '../../fixtures/sites');

/** One product URL per adapter (its first example) plus a generic shop. */
const TARGETS: readonly { name: string; url: string }[] = [
  ...ADAPTERS.map((a) => ({ name: a.name, url: a.examples.match[0] as string })),
  { name: GENERIC_ADAPTER.name, url: GENERIC_ADAPTER.examples.match[0] as string },
];

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** The contract: null or a snapshot the zod schema accepts, and no exception, on every target. */
function assertSafe(doc: Document, urls: readonly string[] = TARGETS.map((t) => t.url)): void {
  for (const url of urls) {
    let out: ReturnType<typeof extractWithDiagnostics> | undefined;
    expect(() => {
      out = extractWithDiagnostics(doc, url, { generic: true });
    }, url).not.toThrow();
    const snapshot = out?.snapshot ?? null;
    if (snapshot !== null) {
      const parsed = ProductSnapshot.safeParse(snapshot);
      expect(parsed.success, `${url}: ${JSON.stringify(snapshot).slice(0, 500)}`).toBe(true);
    }
  }
}

// Names the adapters look for, so random pages reach their selectors.
const IDS = [
  'productTitle',
  'title',
  'ebooksProductTitle',
  'buybox',
  'desktop_buybox',
  'qualifiedBuybox',
  'buyBoxAccordion',
  'corePrice_feature_div',
  'corePriceDisplay_desktop_feature_div',
  'apex_desktop',
  'price_inside_buybox',
  'newBuyBoxPrice',
  'priceblock_ourprice',
  'priceblock_dealprice',
  'kindle-price',
  'merchant-info',
  'sellerProfileTriggerId',
  'merchantInfoFeature_feature_div',
  'sfsb_accordion_head',
  'bylineInfo',
  'brand',
  'productOverview_feature_div',
  'detailBullets_feature_div',
  'prodDetails',
  'outOfStock',
  'unqualifiedBuyBox',
  'add-to-cart-button',
  'addToCart',
  'ASIN',
  'merchantID',
  'twister',
  'usedBuySection',
  'usedOnlyBuybox',
  'newOfferAccordionRow',
  'tmmSwatches',
  'prcIsum',
  'mm-saleDscPrc',
  'mbgLink',
  'itemTitle',
  'vi-itm-cond',
  'descItemNumber',
  'RightSummaryPanel',
  'main-title',
  '__NEXT_DATA__',
];
const CLASSES = [
  'a-price',
  'a-offscreen',
  'a-price-whole',
  'a-price-fraction',
  'a-price-symbol',
  'a-price-decimal',
  'a-text-price',
  'priceToPay',
  'apexPriceToPay',
  'a-accordion-active',
  'a-box',
  'offer-display-feature-text-message',
  'header-price',
  'offer-price',
  'a-color-price',
  'a-button-selected',
  'print-sold-by',
  'a-color-base',
  'x-price-primary',
  'ux-textspans',
  'ux-textspans--BOLD',
  'x-sellercard-atf',
  'x-sellercard-atf__info__about-seller',
  'x-item-title__mainTitle',
  'x-item-condition-text',
  'ux-labels-values',
  'ux-labels-values__labels',
  'ux-labels-values__values',
  'itemAttr',
  'attrLabels',
  'mbg-nw',
  'si-inner',
  'basisPrice',
];
const TAGS = [
  'div',
  'span',
  'a',
  'input',
  'table',
  'tr',
  'td',
  'th',
  'li',
  'ul',
  'h1',
  'form',
  'dl',
  'dt',
  'dd',
  'b',
  'meta',
  'link',
];
const ATTRS = [
  'value',
  'href',
  'content',
  'data-asin',
  'data-testid',
  'itemprop',
  'name',
  'property',
  'rel',
  'data-a-strike',
  'data-csa-c-asin',
  'data-defaultasin',
  'itemscope',
  'itemtype',
  'tabular-attribute-name',
];

/** Text that looks like what the adapters parse: prices, ids, seller sentences, junk. */
const textArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '$25.89',
    '1.499,99 €',
    '￥5,499',
    'R$ 796,81',
    'EUR 3,500.00',
    'US $29.99',
    '£4.45',
    '-$5.00',
    '$NaN',
    '$1e309',
    '$Infinity',
    '99999999999999999999',
    '0',
    'Ships from and sold by Amazon.com.',
    'Sold by X and Fulfilled by Amazon.',
    'Visit the ACME Store',
    'Brand: ACME',
    'Marke: ACME',
    'Used: Good',
    'New',
    'Renewed',
    'Brand',
    'UPC',
    '012345678905',
    'ISBN-13',
    '978-1937785734',
    'B00OQVZDJM',
    'ATVPDKIKX0DER',
    '/gp/help/seller/at-a-glance.html?seller=A2NQK4TIWYJD6B',
    'https://www.ebay.com/usr/Some.User',
    'https://www.ebay.com/sch/i.html?_ssn=%E2%80%AE',
    '__proto__',
    'constructor',
    'javascript:alert(1)',
    '<img src=x onerror=alert(1)>',
    '\u202e\u200f',
    ':',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** One element of a random page; `parent` picks an earlier element (or the body) to hang it on. */
type Spec = {
  tag: string;
  id: string | undefined;
  cls: string[];
  attrs: [string, string][];
  text: string | undefined;
  parent: number;
};

const specArb: fc.Arbitrary<Spec> = fc.record({
  tag: fc.constantFrom(...TAGS),
  id: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
  cls: fc.array(fc.constantFrom(...CLASSES), { maxLength: 3 }),
  attrs: fc.array(fc.tuple(fc.constantFrom(...ATTRS), textArb), { maxLength: 3 }),
  text: fc.option(textArb, { nil: undefined }),
  parent: fc.nat(),
});

function docFromSpecs(specs: Spec[], jsonLd: string | null): Document {
  const doc = parse('<!doctype html><html><head></head><body></body></html>');
  const made: Element[] = [];
  for (const [i, n] of specs.entries()) {
    const el = doc.createElement(n.tag);
    if (n.id) el.id = n.id;
    if (n.cls.length) el.className = n.cls.join(' ');
    for (const [k, v] of n.attrs) {
      try {
        el.setAttribute(k, v);
      } catch {
        // an attribute value the DOM refuses is simply not set
      }
    }
    if (n.text !== undefined) el.appendChild(doc.createTextNode(n.text));
    const p = n.parent % (i + 1);
    (p === 0 ? doc.body : (made[p - 1] ?? doc.body)).appendChild(el);
    made.push(el);
  }
  if (jsonLd !== null) {
    const s = doc.createElement('script');
    s.setAttribute('type', 'application/ld+json');
    s.textContent = jsonLd;
    doc.head.appendChild(s);
  }
  return doc;
}

/** JSON-LD that lies: weird prices, arrays, @graph, __proto__ keys, nested junk. */
const priceValueArb = fc.oneof(
  fc.constantFrom(
    'NaN',
    '-12.50',
    'Infinity',
    '-Infinity',
    '1e309',
    '',
    '12,99',
    '1.499,99',
    '$12',
    'free',
    '0',
  ),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.double()), { maxLength: 3 }),
);
const offerArb = fc.record({
  '@type': fc.constantFrom('Offer', 'AggregateOffer', 'offer', ['Offer', 'Thing'], 42),
  price: priceValueArb,
  lowPrice: priceValueArb,
  priceCurrency: fc.constantFrom('USD', 'usd', 'EUR', 'XXX', '$', '', 'ABCD', null, 7),
  seller: fc.oneof(
    fc.constant({ '@type': 'Organization', name: 'Shop' }),
    fc.string({ maxLength: 8 }),
    fc.constant(null),
  ),
  itemCondition: fc.constantFrom('https://schema.org/NewCondition', 'UsedCondition', 'Broken', 3),
});
const productArb = fc.record({
  '@type': fc.constantFrom('Product', 'ProductGroup', ['Product'], 'Thing'),
  name: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null), fc.integer()),
  brand: fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.record({ name: fc.string({ maxLength: 10 }) }),
    fc.constant([]),
  ),
  gtin13: fc.oneof(fc.constant('4006381333931'), fc.string({ maxLength: 14 })),
  sku: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
  offers: fc.oneof(
    offerArb,
    fc.array(offerArb, { maxLength: 3 }),
    fc.array(fc.array(offerArb, { maxLength: 2 }), { maxLength: 2 }),
  ),
});
const jsonLdArb = fc.oneof(
  productArb.map((p) => JSON.stringify({ '@context': 'https://schema.org', ...p })),
  fc.array(productArb, { maxLength: 3 }).map((ps) => JSON.stringify(ps)),
  fc.array(productArb, { maxLength: 3 }).map((ps) => JSON.stringify({ '@graph': ps })),
  productArb.map((p) =>
    JSON.stringify(p).replace('{', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},'),
  ),
  productArb.map((p) => JSON.stringify(p).replace(/"price":null/g, '"price":1e999')),
  fc.string({ maxLength: 60 }),
  fc.constant('{"@type":"Product","offers":'),
);

describe('random pages built from what the adapters look for', () => {
  it('null or a valid snapshot on every target', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { maxLength: 40 }),
        fc.option(jsonLdArb, { nil: null }),
        (specs, jsonLd) => {
          assertSafe(docFromSpecs(specs, jsonLd));
        },
      ),
      { numRuns: 60 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('misleading JSON-LD never yields a NaN, negative or infinite price', () => {
    fc.assert(
      fc.property(jsonLdArb, (jsonLd) => {
        const doc = docFromSpecs([], jsonLd);
        const s = extractGeneric(doc, 'https://shop.example.com/products/rocket-skates');
        if (s) {
          expect(ProductSnapshot.safeParse(s).success).toBe(true);
          if (s.price) {
            expect(Number.isFinite(s.price.amount)).toBe(true);
            expect(s.price.amount).toBeGreaterThanOrEqual(0);
            expect(s.price.currency).toMatch(/^[A-Z]{3}$/);
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('garbage and truncated HTML', () => {
  it('arbitrary strings parsed as HTML', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 })),
        (html) => {
          assertSafe(parse(html));
        },
      ),
      { numRuns: 40 },
    );
  });

  const samples = fs.existsSync(FIXTURES)
    ? fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.html'))
        .sort()
        .map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'))
    : [];

  it('real-ish fixture pages cut at any point', () => {
    expect(samples.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, cut) => {
          const html = samples[i] ?? '';
          assertSafe(parse(html.slice(0, Math.floor(html.length * cut))));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('extremes', () => {
  it('5,000 levels of nesting around the fields adapters read', () => {
    const doc = parse('<!doctype html><html><head></head><body></body></html>');
    let parent: Element = doc.body;
    for (let i = 0; i < 5000; i++) {
      const d = doc.createElement(i % 2 ? 'span' : 'div');
      if (i === 10) d.id = 'buybox';
      if (i === 20) d.id = 'corePrice_feature_div';
      parent.appendChild(d);
      parent = d;
    }
    const price = doc.createElement('span');
    price.className = 'a-price';
    price.innerHTML = '<span class="a-offscreen">$12.34</span>';
    parent.appendChild(price);
    const title = doc.createElement('span');
    title.id = 'productTitle';
    title.textContent = 'Deep Product';
    parent.appendChild(title);
    assertSafe(doc);
    // Plain ids are found at any depth (getElementById). Descendant selectors may find nothing
    // here because happy-dom's own querySelector overflows the stack at this depth; the
    // adapters then just miss the field (browsers have no such limit).
    const s = extractProduct(doc, 'https://www.amazon.com/dp/B00OQVZDJM');
    expect(s?.title).toBe('Deep Product');
    expect(s?.productId).toBe('B00OQVZDJM');
  });

  describe('100,000 elements', () => {
    let doc: Document | null = null;
    const big = (): Document => {
      if (doc) return doc;
      const d = parse('<!doctype html><html><head></head><body></body></html>');
      const frag = d.createDocumentFragment();
      for (let i = 0; i < 1000; i++) {
        const row = d.createElement('div');
        row.className = i % 7 === 0 ? 'a-price ux-textspans x-price-primary' : 'row';
        for (let j = 0; j < 99; j++) {
          const c = d.createElement(j % 10 === 0 ? 'a' : 'span');
          if (j === 0) c.textContent = `$${i}.99`;
          row.appendChild(c);
        }
        frag.appendChild(row);
      }
      d.body.appendChild(frag);
      doc = d;
      return d;
    };

    it('has them', () => {
      expect(big().getElementsByTagName('*').length).toBeGreaterThanOrEqual(100_000);
    });

    // One test per adapter so that each stays within a few seconds on happy-dom.
    it.each(TARGETS.map((t) => [t.name, t.url] as const))('%s', (_name, url) => {
      assertSafe(big(), [url]);
    });
  });

  it('5 MB text nodes in the title, the price, the seller and a JSON-LD script', () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    const doc = parse(
      '<!doctype html><html><head></head><body><div id="buybox"><span id="productTitle"></span>' +
        '<div id="corePrice_feature_div"><span class="a-price"><span class="a-offscreen"></span></span></div>' +
        '<a id="sellerProfileTriggerId" href="/gp/help/seller/at-a-glance.html?seller=A2NQK4TIWYJD6B"></a>' +
        '<h1 class="x-item-title__mainTitle"></h1><div class="x-price-primary"><span class="ux-textspans"></span></div>' +
        '</div></body></html>',
    );
    for (const sel of [
      '#productTitle',
      '.a-offscreen',
      '#sellerProfileTriggerId',
      '.x-item-title__mainTitle',
      '.ux-textspans',
    ]) {
      const el = doc.querySelector(sel);
      if (el) el.textContent = huge;
    }
    const s = doc.createElement('script');
    s.setAttribute('type', 'application/ld+json');
    s.textContent = `{"@type":"Product","name":"${huge}","offers":{"price":"1","priceCurrency":"USD"}}`;
    doc.head.appendChild(s);
    assertSafe(doc);
    const snap = extractProduct(doc, 'https://www.amazon.com/dp/B00OQVZDJM');
    expect(snap?.title?.length ?? 0).toBeLessThanOrEqual(1000);
    expect(snap?.seller?.id).toBe('A2NQK4TIWYJD6B');
  });

  it('a document with no body, no head, or not a document at all', () => {
    const empty = document.implementation.createHTMLDocument('');
    empty.documentElement.innerHTML = '';
    assertSafe(empty);
    for (const bad of [null, undefined, {}, 'html', 42]) {
      for (const { url } of TARGETS) {
        expect(extractProduct(bad as unknown as Document, url)).toBeNull();
        expect(extractGeneric(bad as unknown as Document, url)).toBeNull();
      }
    }
    const doc = parse('<p>hi</p>');
    for (const url of ['', 'nonsense', 'javascript:alert(1)', 'file:///etc/passwd', 'https://']) {
      expect(extractProduct(doc, url)).toBeNull();
    }
  });

  it('a DOM that throws from every method', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    ) as Document;
    for (const { url } of TARGETS) {
      expect(() => extractProduct(hostile, url, { generic: true })).not.toThrow();
      expect(extractProduct(hostile, url, { generic: true })).toBeNull();
    }
  });

  it('clips over-long text, drops over-long ids and impossible prices, rejects what cannot be fixed', () => {
    const base = {
      marketplace: 'web',
      site: 'example.com',
      url: 'https://shop.example.com/p/1',
      productId: 'SKU-1',
      gtin: '4006381333931',
      title: 'T'.repeat(5000),
      brand: 'B'.repeat(500),
      price: { amount: -1, currency: 'EUR' },
      seller: { id: 'x'.repeat(300), name: 'N'.repeat(400), isPlatform: 'yes' },
      condition: 'new',
    };
    const out = finishSnapshot(base);
    expect(out?.title?.length).toBe(1000);
    expect(out?.brand?.length).toBe(200);
    expect(out?.gtin).toBeNull();
    expect(out?.price).toBeNull();
    expect(out?.seller).toEqual({ id: null, name: 'N'.repeat(300), isPlatform: false });
    expect(finishSnapshot({ ...base, url: `https://shop.example.com/p/1?${'q'.repeat(3000)}` })?.url).toBe(
      'https://shop.example.com/p/1',
    );
    expect(finishSnapshot({ ...base, price: { amount: Number.NaN, currency: 'EUR' } })?.price).toBeNull();
    expect(finishSnapshot({ ...base, price: { amount: 5, currency: 'eur' } })?.price).toBeNull();
    expect(finishSnapshot({ ...base, productId: 'p'.repeat(129) })?.productId).toBeNull();
    expect(finishSnapshot({ ...base, marketplace: 'nowhere' })).toBeNull();
    expect(finishSnapshot({ ...base, url: 'javascript:alert(1)' })).toBeNull();
    expect(finishSnapshot({ ...base, condition: 'broken' })).toBeNull();
    expect(finishSnapshot(null)).toBeNull();
    expect(finishSnapshot('snapshot')).toBeNull();
  });
});
