import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignedJson,
  asText,
  balancedJsonAt,
  bestOffer,
  findKey,
  isbn10To13,
  jsonLdValues,
  normalizeCondition,
  pick,
  productFromNode,
  readJsonLd,
  readMicrodata,
  readSchemaProducts,
  scriptJsonById,
  scriptMatch,
} from '../../../lib/sites/jsonld';

function doc(html: string): Document {
  return new DOMParser().parseFromString(
    `<!doctype html><html><head></head><body>${html}</body></html>`,
    'text/html',
  );
}

function ld(value: unknown): string {
  return `<script type="application/ld+json">${typeof value === 'string' ? value : JSON.stringify(value)}</script>`;
}

const PRODUCT = {
  '@context': 'https://schema.org',
  '@type': 'Product',
  name: 'Acme Anvil &amp; Stand',
  brand: { '@type': 'Brand', name: 'Acme' },
  gtin13: '4006381333931',
  sku: 'AN-1',
  mpn: 'M-1',
  offers: {
    '@type': 'Offer',
    price: '1499.99',
    priceCurrency: 'EUR',
    availability: 'https://schema.org/InStock',
    itemCondition: 'https://schema.org/NewCondition',
    seller: { '@type': 'Organization', name: 'Acme Store', '@id': 'seller-7' },
    url: 'https://shop.example/anvil',
  },
};

describe('readJsonLd', () => {
  it('reads a Product with one Offer', () => {
    const [p] = readJsonLd(doc(ld(PRODUCT)));
    expect(p).toEqual({
      source: 'json-ld',
      type: 'Product',
      name: 'Acme Anvil & Stand',
      brand: 'Acme',
      gtin: '04006381333931',
      sku: 'AN-1',
      mpn: 'M-1',
      productId: null,
      url: null,
      condition: null,
      offers: [
        {
          price: 1499.99,
          currency: 'EUR',
          availability: 'InStock',
          condition: 'new',
          seller: { id: 'seller-7', name: 'Acme Store' },
          url: 'https://shop.example/anvil',
          sku: null,
          gtin: null,
          aggregate: false,
        },
      ],
    });
  });

  it('finds products in @graph, arrays and nested nodes', () => {
    const graph = {
      '@context': 'https://schema.org',
      '@graph': [{ '@type': 'WebSite' }, { ...PRODUCT, name: 'G' }],
    };
    const array = [{ '@type': 'BreadcrumbList' }, { ...PRODUCT, name: 'A' }];
    const nested = { '@type': 'WebPage', mainEntity: { ...PRODUCT, name: 'N' } };
    const names = readJsonLd(doc(ld(graph) + ld(array) + ld(nested))).map((p) => p.name);
    expect(names).toEqual(['G', 'A', 'N']);
  });

  it('reads an Offer whose itemOffered is the product', () => {
    const offer = {
      '@type': 'Offer',
      price: 5,
      priceCurrency: 'USD',
      itemOffered: { '@type': 'Product', name: 'Inner' },
    };
    const [p] = readJsonLd(doc(ld(offer)));
    expect(p?.name).toBe('Inner');
    expect(bestOffer(p)?.price).toBe(5);
  });

  it('accepts full-IRI and prefixed types and array types', () => {
    const a = { '@type': 'http://schema.org/Product', name: 'iri' };
    const b = { '@type': ['Thing', 'schema:IndividualProduct'], name: 'pfx' };
    const products = readJsonLd(doc(ld(a) + ld(b)));
    expect(products.map((p) => [p.type, p.name])).toEqual([
      ['Product', 'iri'],
      ['IndividualProduct', 'pfx'],
    ]);
  });

  it('reads AggregateOffer lowPrice, its nested offers and offers arrays', () => {
    const agg = {
      '@type': 'Product',
      name: 'Agg',
      offers: {
        '@type': 'AggregateOffer',
        lowPrice: '10.50',
        highPrice: '20',
        priceCurrency: 'usd',
        offers: [{ '@type': 'Offer', price: 11, priceCurrency: 'USD', seller: 'Shop B' }],
      },
    };
    const p = readJsonLd(doc(ld(agg)))[0];
    expect(p?.offers.map((o) => [o.price, o.currency, o.seller?.name ?? null])).toEqual([
      [10.5, 'USD', null],
      [11, 'USD', 'Shop B'],
    ]);
    expect(bestOffer(p)).toMatchObject({ price: 11, seller: { name: 'Shop B' }, aggregate: false });
    expect(bestOffer({ ...(p as NonNullable<typeof p>), offers: p?.offers.slice(0, 1) ?? [] })).toMatchObject(
      {
        price: 10.5,
        aggregate: true,
      },
    );
    const arr = {
      '@type': 'Product',
      offers: [{ '@type': 'Offer' }, { '@type': 'Offer', price: 3, priceCurrency: 'GBP' }],
    };
    expect(bestOffer(readJsonLd(doc(ld(arr)))[0])).toMatchObject({ price: 3, currency: 'GBP' });
  });

  it('reads priceSpecification when the offer has no price', () => {
    const p = {
      '@type': 'Product',
      offers: {
        '@type': 'Offer',
        priceSpecification: [{ '@type': 'UnitPriceSpecification', price: '7,50', priceCurrency: 'EUR' }],
      },
    };
    expect(bestOffer(readJsonLd(doc(ld(p)))[0])).toMatchObject({ price: 7.5, currency: 'EUR' });
  });

  it('reads a price string with a currency sign', () => {
    const p = { '@type': 'Product', offers: { '@type': 'Offer', price: '$1,279.00', priceCurrency: 'USD' } };
    expect(bestOffer(readJsonLd(doc(ld(p)))[0])?.price).toBe(1279);
  });

  it('reads brand as a string, an array and an object', () => {
    const names = [
      { brand: 'Plain' },
      { brand: [{ name: 'First' }, 'Second'] },
      { brand: { name: 'Obj' } },
    ].map((b) => readJsonLd(doc(ld({ '@type': 'Product', ...b })))[0]?.brand);
    expect(names).toEqual(['Plain', 'First', 'Obj']);
  });

  it('reads every GTIN field and ISBN-10, and rejects bad check digits', () => {
    const gtin = (extra: object) => readJsonLd(doc(ld({ '@type': 'Product', ...extra })))[0]?.gtin;
    expect(gtin({ gtin12: '614141000012' })).toBe('00614141000012');
    expect(gtin({ gtin14: '00614141000012' })).toBe('00614141000012');
    expect(gtin({ gtin: 614141000012 })).toBe('00614141000012');
    expect(gtin({ gtin8: '96385074' })).toBe('00000096385074');
    expect(gtin({ isbn: '978-0-306-40615-7' })).toBe('09780306406157');
    expect(gtin({ isbn: '0241401127' })).toBe('09780241401125');
    expect(gtin({ productID: 'isbn:9780306406157' })).toBe('09780306406157');
    expect(gtin({ gtin13: '4006381333932' })).toBeNull();
    expect(gtin({ gtin13: 'n/a' })).toBeNull();
    expect(gtin({ offers: { '@type': 'Offer', gtin13: '4006381333931' } })).toBe('04006381333931');
  });

  it('maps item conditions', () => {
    expect(normalizeCondition('https://schema.org/NewCondition')).toBe('new');
    expect(normalizeCondition('http://schema.org/UsedCondition')).toBe('used');
    expect(normalizeCondition('RefurbishedCondition')).toBe('refurbished');
    expect(normalizeCondition('schema:DamagedCondition')).toBe('used');
    expect(normalizeCondition('Used')).toBe('used');
    expect(normalizeCondition('Mint')).toBeNull();
    expect(normalizeCondition(42)).toBeNull();
  });

  it('skips malformed, oversized and non-JSON-LD scripts but reads the rest', () => {
    const huge = `{"@type":"Product","name":"huge","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    const html =
      ld('{"@type": "Product", "name": ') +
      ld(huge) +
      '<script type="application/json">{"@type":"Product","name":"wrong type"}</script>' +
      ld({ '@type': 'Product', name: 'ok' });
    expect(readJsonLd(doc(html)).map((p) => p.name)).toEqual(['ok']);
  });

  it('reads JSON-LD wrapped in comments or CDATA, with raw newlines in strings, and type parameters', () => {
    const html =
      ld('<!-- {"@type":"Product","name":"commented"} -->') +
      ld('//<![CDATA[\n{"@type":"Product","name":"cdata"}\n//]]>') +
      ld('{"@type":"Product","name":"two\nlines"}') +
      '<script type="application/ld+json; charset=utf-8">{"@type":"Product","name":"param"}</script>';
    expect(readJsonLd(doc(html)).map((p) => p.name)).toEqual(['commented', 'cdata', 'two lines', 'param']);
  });

  it('treats __proto__ keys as data and does not pollute prototypes', () => {
    const text =
      '{"@type":"Product","name":"p","__proto__":{"polluted":true},"brand":{"__proto__":{"name":"x"}}}';
    const [p] = readJsonLd(doc(ld(text)));
    expect(p?.name).toBe('p');
    expect(p?.brand).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives very deep nesting', () => {
    const deep = `${'['.repeat(5000)}{"@type":"Product","name":"deep"}${']'.repeat(5000)}`;
    expect(() => readJsonLd(doc(ld(deep)))).not.toThrow();
    const shallow = `${'['.repeat(5)}{"@type":"Product","name":"shallow"}${']'.repeat(5)}`;
    expect(readJsonLd(doc(ld(shallow)))[0]?.name).toBe('shallow');
  });

  it('exposes the parsed scripts', () => {
    expect(jsonLdValues(doc(ld({ '@type': 'BreadcrumbList' }) + ld('nope')))).toEqual([
      { '@type': 'BreadcrumbList' },
    ]);
  });

  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(() => productFromNode(value)).not.toThrow();
        expect(() =>
          productFromNode({ '@type': 'Product', offers: value, brand: value, gtin: value, name: value }),
        ).not.toThrow();
        const p = productFromNode({ '@type': 'Product', offers: value, name: value });
        for (const o of p?.offers ?? []) {
          if (o.price !== null) expect(Number.isFinite(o.price) && o.price >= 0).toBe(true);
          if (o.currency !== null) expect(o.currency).toMatch(/^[A-Z]{3}$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('readMicrodata', () => {
  const html = `
    <div itemscope itemtype="https://schema.org/Product">
      <h1 itemprop="name"> Micro   Widget </h1>
      <div itemprop="brand" itemscope itemtype="https://schema.org/Brand"><span itemprop="name">Widgetco</span></div>
      <meta itemprop="gtin13" content="4006381333931">
      <span itemprop="sku">W-9</span>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <span itemprop="price" content="19.99">$19.99</span>
        <meta itemprop="priceCurrency" content="USD">
        <link itemprop="availability" href="https://schema.org/InStock">
        <link itemprop="itemCondition" href="https://schema.org/RefurbishedCondition">
        <div itemprop="seller" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Widget Outlet</span></div>
      </div>
      <div itemprop="review" itemscope itemtype="https://schema.org/Review"><span itemprop="name">Not the product name</span></div>
    </div>`;

  it('reads a Product item with nested Brand, Offer and Seller items', () => {
    const [p] = readMicrodata(doc(html));
    expect(p).toMatchObject({
      source: 'microdata',
      name: 'Micro Widget',
      brand: 'Widgetco',
      gtin: '04006381333931',
      sku: 'W-9',
    });
    expect(p?.offers).toEqual([
      {
        price: 19.99,
        currency: 'USD',
        availability: 'InStock',
        condition: 'refurbished',
        seller: { id: null, name: 'Widget Outlet' },
        url: null,
        sku: null,
        gtin: null,
        aggregate: false,
      },
    ]);
  });

  it('puts JSON-LD products before microdata ones', () => {
    const both = ld({ '@type': 'Product', name: 'From LD' }) + html;
    expect(readSchemaProducts(doc(both)).map((p) => [p.source, p.name])).toEqual([
      ['json-ld', 'From LD'],
      ['microdata', 'Micro Widget'],
    ]);
  });

  it('reads a microdata product with a __proto__ itemprop as plain data', () => {
    const d = doc(
      '<div itemscope itemtype="http://schema.org/Product"><span itemprop="__proto__">x</span><span itemprop="name">n</span></div>',
    );
    expect(readMicrodata(d)[0]?.name).toBe('n');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('ignores pages without product items', () => {
    expect(
      readMicrodata(
        doc('<div itemscope itemtype="https://schema.org/Article"><span itemprop="name">a</span></div>'),
      ),
    ).toEqual([]);
  });
});

describe('isbn10To13', () => {
  it('converts valid ISBN-10s and rejects bad ones', () => {
    expect(isbn10To13('0-306-40615-2')).toBe('9780306406157');
    expect(isbn10To13('080442957X')).toBe('9780804429573');
    expect(isbn10To13('0306406153')).toBeNull();
    expect(isbn10To13('abc')).toBeNull();
  });
});

describe('embedded page state', () => {
  it('cuts the balanced JSON after a marker, with braces and quotes inside strings', () => {
    const text = 'window.runParams = { data: {"a":"} { ]","b":[1,{"c":"\\"}"}]}, csrf: \'x\' };';
    const at = text.indexOf('data:') + 5;
    expect(balancedJsonAt(text, at)).toEqual({ a: '} { ]', b: [1, { c: '"}' }] });
    expect(balancedJsonAt('x = [1, 2', 3)).toBeNull();
    expect(balancedJsonAt('x = nope {"a":1}', 3)).toBeNull();
    expect(balancedJsonAt('{"a":1}}', 0)).toEqual({ a: 1 });
  });

  it('reads assignments, script ids and script patterns without running anything', () => {
    const d = doc(
      '<script src="https://x.invalid/a.js">window.state = {"external": true}</script>' +
        '<script>window.state = {"ok": true, "n": [1]}; window.ran = true;</script>' +
        '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"id":7}}}</script>' +
        "<script>var g_config = { sellerId : '134583372' };</script>",
    );
    expect(assignedJson(d, 'window.state =')).toEqual({ ok: true, n: [1] });
    expect(assignedJson(d, 'window.missing =')).toBeNull();
    expect(scriptJsonById(d, '__NEXT_DATA__')).toEqual({ props: { pageProps: { id: 7 } } });
    expect(scriptJsonById(d, 'nope')).toBeNull();
    expect(scriptMatch(d, /sellerId\s*:\s*'(\d+)'/)).toBe('134583372');
    expect((globalThis as Record<string, unknown>).ran).toBeUndefined();
  });

  it('tries the next occurrence of a marker when the first does not parse', () => {
    const d = doc('<script>a.data = {broken; a.data = {"good": 1};</script>');
    expect(assignedJson(d, 'a.data =')).toEqual({ good: 1 });
  });

  it('finds keys and paths in parsed JSON', () => {
    const json = JSON.parse('{"a":[{"seller_id":"x"},{"b":{"seller_id":42}}],"__proto__":{"seller_id":1}}');
    expect(findKey(json, 'seller_id', (v) => typeof v === 'number')).toBe(42);
    expect(findKey(json, 'seller_id', (v) => v === 1)).toBe(1);
    expect(findKey(json, 'seller_id')).toBe('x');
    expect(findKey(json, 'missing')).toBeUndefined();
    expect(findKey(null, 'x')).toBeUndefined();
    expect(pick(json, ['a', 1, 'b', 'seller_id'])).toBe(42);
    expect(pick(json, ['a', 'b'])).toBeUndefined();
    expect(pick({}, ['toString'])).toBeUndefined();
    expect(asText('  a\u00a0 b ')).toBe('a b');
    expect(asText(12.5)).toBe('12.5');
    expect(asText(Number.NaN)).toBeNull();
    expect(asText({})).toBeNull();
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat({ max: 250 }), (text, at) => {
        expect(() => balancedJsonAt(text, at)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.string({ maxLength: 5 }), (value, key) => {
        expect(() => findKey(value, key, () => false)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
