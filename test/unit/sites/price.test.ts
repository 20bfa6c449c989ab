import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCurrency } from '../../../lib/feed/currency';
import { parseAmount, parsePrice, siteCurrency } from '../../../lib/sites/price';

const p = (amount: number, currency: string) => ({ amount, currency });

describe('parsePrice: separators', () => {
  it.each([
    ['1.499,99 €', p(1499.99, 'EUR')],
    ['1,279.00', p(1279, 'USD'), { currency: 'USD' }],
    ['$1,279.00', p(1279, 'USD')],
    ['¥5499', p(5499, 'JPY')],
    ['R$ 796,81', p(796.81, 'BRL')],
    ['₹19,490', p(19490, 'INR')],
    ["CHF 1'299.00", p(1299, 'CHF')],
    ['CHF 1’299.00', p(1299, 'CHF')],
    ['1 299,00 zł', p(1299, 'PLN')],
    ['1\u00a0299,00\u00a0zł', p(1299, 'PLN')],
    ['1\u202f299,00\u2009€', p(1299, 'EUR')],
    ['1\u2009299,00 €', p(1299, 'EUR')],
    ['12,99 €', p(12.99, 'EUR')],
    ['€12,99', p(12.99, 'EUR')],
    ['1.234.567,89 €', p(1234567.89, 'EUR')],
    ['$1,234,567', p(1234567, 'USD')],
    ['₹1,00,000', p(100000, 'INR')],
    ['₹1,23,456.50', p(123456.5, 'INR')],
    ['1.299,- kr', p(1299, 'SEK')],
    ['1 299:- kr', p(1299, 'SEK')],
    ['$0.99', p(0.99, 'USD')],
    ['$.99', p(0.99, 'USD')],
    ['$0', p(0, 'USD')],
    ['EUR 12.5', p(12.5, 'EUR')],
    ['12.99 USD', p(12.99, 'USD')],
    ['12.99USD', p(12.99, 'USD')],
    ['Price: $12.99', p(12.99, 'USD')],
    ['  \n $ 12.99 \n ', p(12.99, 'USD')],
  ])('%s', (text, expected, hint?: { currency: string }) => {
    expect(parsePrice(text, hint)).toEqual(expected);
  });

  it('reads a lone separator before three digits as grouping, unless the currency has three decimals', () => {
    expect(parsePrice('$1,279')).toEqual(p(1279, 'USD'));
    expect(parsePrice('5.499 €')).toEqual(p(5499, 'EUR'));
    expect(parsePrice('1,250 د.ك')).toEqual(p(1.25, 'KWD'));
    expect(parsePrice('KWD 1.250')).toEqual(p(1.25, 'KWD'));
  });

  it('follows the locale hint for a lone separator before three digits', () => {
    expect(parsePrice('1,279 €', { locale: 'de-DE' })).toEqual(p(1.279, 'EUR'));
    expect(parsePrice('1,279 €', { locale: 'en-US' })).toEqual(p(1279, 'EUR'));
    expect(parsePrice('1,279 €', { locale: 'not a locale!!' })).toEqual(p(1279, 'EUR'));
  });

  it('rejects broken grouping', () => {
    expect(parsePrice('$12,34.00')).toBeNull();
    expect(parsePrice('$1234,567,890')).toBeNull();
  });
});

describe('parsePrice: currency markers', () => {
  it.each([
    ['US $12.99', 'USD'],
    ['US$12.99', 'USD'],
    ['C $12', 'CAD'],
    ['CA$12', 'CAD'],
    ['AU $12.00', 'AUD'],
    ['A$12.00', 'AUD'],
    ['NZ$12.00', 'NZD'],
    ['HK$99', 'HKD'],
    ['NT$1,200', 'TWD'],
    ['RM 12.90', 'MYR'],
    ['S$ 12.90', 'SGD'],
    ['£4.45', 'GBP'],
    ['€4,45', 'EUR'],
    ['₩12,000', 'KRW'],
    ['12.000 원', 'KRW'],
    ['1.299 TL', 'TRY'],
    ['₺1.299', 'TRY'],
    ['AED 1,299', 'AED'],
    ['1,299 د.إ', 'AED'],
    ['SAR 99', 'SAR'],
    ['99 ر.س', 'SAR'],
    ['EGP 99', 'EGP'],
    ['99 ج.م', 'EGP'],
    ['Rp 12.000', 'IDR'],
    ['₱1,299', 'PHP'],
    ['฿1,299', 'THB'],
    ['1.299.000 ₫', 'VND'],
    ['1 299 ₽', 'RUB'],
    ['1 299 Kč', 'CZK'],
    ['12 990 Ft', 'HUF'],
    ['12,99 lei', 'RON'],
    ['MX$ 1,299', 'MXN'],
    ['S/ 129.90', 'PEN'],
    ['4,500円', 'JPY'],
    ['4500元', 'CNY'],
    ['CN¥ 45', 'CNY'],
    ['RMB 45', 'CNY'],
    ['Rs. 1,299', 'INR'],
    ['USD $12.99', 'USD'],
    ['$12.99 USD', 'USD'],
  ])('%s -> %s', (text, currency) => {
    expect(parsePrice(text)?.currency).toBe(currency);
  });

  it('reads Arabic-Indic and Persian digits and separators', () => {
    expect(parsePrice('١٬٢٩٩٫٠٠ ر.س')).toEqual(p(1299, 'SAR'));
    expect(parsePrice('\u200f٩٩٫٥٠ د.إ.\u200f')).toEqual(p(99.5, 'AED'));
    expect(parsePrice('۱۲۳ ریال', { currency: 'IRR' })).toEqual(p(123, 'IRR'));
    expect(parsePrice('₹१२,४९०')).toEqual(p(12490, 'INR'));
  });

  it('reads full-width yen and digits', () => {
    expect(parsePrice('￥5,499', { site: 'taobao.com' })).toEqual(p(5499, 'CNY'));
    expect(parsePrice('￥５，４９９', { site: 'jp.mercari.com' })).toEqual(p(5499, 'JPY'));
  });

  it('resolves ambiguous symbols by the site', () => {
    expect(parsePrice('$1,299.00', { site: 'amazon.com.mx' })).toEqual(p(1299, 'MXN'));
    expect(parsePrice('$1,299.00', { site: 'www.amazon.ca' })).toEqual(p(1299, 'CAD'));
    expect(parsePrice('$1,299.00', { site: 'amazon.com' })).toEqual(p(1299, 'USD'));
    expect(parsePrice('$1,299.00', { site: 'amazon.de' })).toEqual(p(1299, 'USD'));
    expect(parsePrice('$ 1.299', { site: 'mercadolibre.com.ar' })).toEqual(p(1299, 'ARS'));
    expect(parsePrice('$ 1.299', { site: 'mercadolibre.com.co' })).toEqual(p(1299, 'COP'));
    expect(parsePrice('¥5499', { site: 'taobao.com' })).toEqual(p(5499, 'CNY'));
    expect(parsePrice('¥5499', { site: 'item.jd.com' })).toEqual(p(5499, 'CNY'));
    expect(parsePrice('¥5499', { site: 'detail.tmall.com' })).toEqual(p(5499, 'CNY'));
    expect(parsePrice('¥5499', { site: 'amazon.co.jp' })).toEqual(p(5499, 'JPY'));
    expect(parsePrice('¥4,500', { site: 'jp.mercari.com' })).toEqual(p(4500, 'JPY'));
    expect(parsePrice('1 299 kr', { site: 'amazon.se' })).toEqual(p(1299, 'SEK'));
    expect(parsePrice('1 299 kr', { site: 'komplett.no' })).toEqual(p(1299, 'NOK'));
    expect(parsePrice('1.299,00 kr.', { site: 'amazon.dk' })).toEqual(p(1299, 'DKK'));
    expect(parsePrice('C$ 120', { site: 'walmart.com.ni' })).toEqual(p(120, 'NIO'));
    expect(parsePrice('Rs 1,299', { site: 'daraz.pk' })).toEqual(p(1299, 'PKR'));
  });

  it('resolves ambiguous symbols by the currency hint, never against the text', () => {
    expect(parsePrice('$12', { currency: 'AUD' })).toEqual(p(12, 'AUD'));
    expect(parsePrice('$12', { currency: 'EUR' })).toEqual(p(12, 'USD'));
    expect(parsePrice('€12', { currency: 'USD' })).toEqual(p(12, 'EUR'));
    expect(parsePrice('AU $12', { site: 'ebay.com.au' })).toEqual(p(12, 'AUD'));
  });

  it('falls back to the hint, then the site, when the text has no marker', () => {
    expect(parsePrice('12.99', { currency: 'usd' })).toEqual(p(12.99, 'USD'));
    expect(parsePrice('19,490', { site: 'flipkart.com' })).toEqual(p(19490, 'INR'));
    expect(parsePrice('12.99')).toBeNull();
    expect(parsePrice('12.99', { currency: 'XXX' })).toBeNull();
    expect(parsePrice('12.99', { site: 'etsy.com' })).toBeNull();
  });

  it('rejects conflicting markers', () => {
    expect(parsePrice('$12 €')).toBeNull();
    expect(parsePrice('EUR 12 USD')).toBeNull();
    expect(parsePrice('EUR $12')).toBeNull();
  });
});

describe('parsePrice: not one price', () => {
  it.each([
    '$10 - $20',
    '$10–$20',
    '10 - 20 €',
    'US $10.00 to US $20.00',
    '$5.99 ($0.50/oz)',
    'Free',
    'FREE shipping',
    'Gratis',
    '',
    '   ',
    '$',
    '-$5.00',
    '−12,00 €',
    '- 12 €',
    '$99999999999999',
    '$1e5',
  ])('%j -> null', (text) => {
    expect(parsePrice(text)).toBeNull();
  });

  it('ignores input past its length limit without throwing', () => {
    expect(parsePrice(`${'x'.repeat(10_000)}$12`)).toBeNull();
    expect(parsePrice(`$12${'9'.repeat(10_000)}`)).toBeNull();
  });

  it('never throws and returns a finite non-negative amount with an ISO code (property)', () => {
    const alphabet = fc.constantFrom(
      ..."0123456789.,' -–$€£¥￥₹zł kr R$ US C AU HK NT RM S TL ₺ د.إ ر.س ج.م ٠١٢٣٤٥٦٧٨٩٫٬\u00a0\u2009\u202f円元abcXYZ".split(
        '',
      ),
    );
    const texts = fc.oneof(
      fc.string(),
      fc.string({ unit: alphabet, maxLength: 30 }),
      fc.string({ unit: 'binary' }),
    );
    const hints = fc.option(
      fc.record(
        {
          currency: fc.oneof(fc.string(), fc.constantFrom('USD', 'JPY', 'CNY', 'EUR', 'KWD')),
          locale: fc.oneof(fc.string(), fc.constantFrom('de-DE', 'en-US', 'fr-CH')),
          site: fc.oneof(fc.string(), fc.constantFrom('taobao.com', 'amazon.ca', 'jp.mercari.com')),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(texts, hints, (text, hint) => {
        const result = parsePrice(text, hint);
        if (result !== null) {
          expect(Number.isFinite(result.amount)).toBe(true);
          expect(result.amount).toBeGreaterThanOrEqual(0);
          expect(isCurrency(result.currency)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what Intl formats (property)', () => {
    const locales = [
      'en-US',
      'de-DE',
      'fr-FR',
      'pt-BR',
      'en-IN',
      'de-CH',
      'pl-PL',
      'ja-JP',
      'sv-SE',
      'es-ES',
    ];
    const currencies = ['USD', 'EUR', 'BRL', 'INR', 'CHF', 'PLN', 'JPY', 'SEK', 'GBP'];
    fc.assert(
      fc.property(
        fc.constantFrom(...locales),
        fc.constantFrom(...currencies),
        fc.integer({ min: 0, max: 99_999_999 }),
        (locale, currency, cents) => {
          const digits = currency === 'JPY' ? 0 : 2;
          const amount = digits === 0 ? cents : cents / 100;
          const text = new Intl.NumberFormat(locale, {
            style: 'currency',
            currency,
            currencyDisplay: 'code',
          }).format(amount);
          const result = parsePrice(text, { locale });
          expect(result?.currency).toBe(currency);
          expect(result?.amount).toBeCloseTo(amount, 2);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseAmount', () => {
  it.each([
    ['1499.99', 1499.99],
    [1499.99, 1499.99],
    [0, 0],
    ['0', 0],
    [' 12 ', 12],
    ['1,499.99', 1499.99],
    ['1.499,99', 1499.99],
    ['1.279', 1.279],
    ['1,279', 1279],
    ['12,5', 12.5],
    ['1,279,000', 1279000],
    ['١٤٩٩٫٩٩', 1499.99],
  ])('%j -> %s', (value, expected) => {
    expect(parseAmount(value)).toBe(expected);
  });

  it('follows a decimal hint for a lone separator', () => {
    expect(parseAmount('1.279', ',')).toBe(1279);
    expect(parseAmount('1,279', ',')).toBe(1.279);
    expect(parseAmount('12,5', '.')).toBe(12.5);
  });

  it.each([
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [1e13],
    ['-1'],
    ['$12'],
    ['12 USD'],
    ['1e5'],
    ['abc'],
    [''],
    [null],
    [undefined],
    [{}],
    [['12']],
    ['12 34'],
  ])('%j -> null', (value) => {
    expect(parseAmount(value)).toBeNull();
  });

  it('never throws (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.anything()), (value) => {
        const n = parseAmount(value);
        if (n !== null) expect(Number.isFinite(n) && n >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('siteCurrency', () => {
  it.each([
    ['amazon.com.mx', 'MXN'],
    ['www.amazon.co.uk', 'GBP'],
    ['amazon.com', 'USD'],
    ['taobao.com', 'CNY'],
    ['item.taobao.com', 'CNY'],
    ['jp.mercari.com', 'JPY'],
    ['mercadolibre.com.co', 'COP'],
    ['mercadolivre.com.br', 'BRL'],
    ['shopee.co.id', 'IDR'],
    ['etsy.com', null],
    ['aliexpress.com', null],
    ['example.co', null],
    ['', null],
  ])('%s -> %s', (site, currency) => {
    expect(siteCurrency(site)).toBe(currency);
  });
});
