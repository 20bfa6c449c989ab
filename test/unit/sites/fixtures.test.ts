/**
 * Full snapshots of the project's own small fixtures (test/fixtures/sites/amazon-*, ebay-*,
 * schema-org-*), written by hand from what the saved real pages show: the current and a
 * ten-year-old Amazon layout, Amazon selling itself, no buy box, amazon.de and amazon.co.jp
 * prices, a used-only book; eBay's current, classic and German pages; generic shops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAmazonName } from '../../../lib/sites/amazon';
import { ebayCondition } from '../../../lib/sites/ebay';
import { extractGeneric, extractProduct, extractWithDiagnostics } from '../../../lib/sites/index';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

const FIXTURES = path.resolve(__dirname, '../../fixtures/sites');

function load(name: string): Document {
  return new DOMParser().parseFromString(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), 'text/html');
}

function read(name: string, url: string): ProductSnapshot | null {
  const snapshot = extractProduct(load(name), url);
  if (snapshot) expect(ProductSnapshot.parse(snapshot)).toEqual(snapshot);
  return snapshot;
}

describe('Amazon fixtures', () => {
  it('current layout: the selected variation, the price to pay (not list, unit or instalment), a third-party seller', () => {
    expect(
      read(
        'amazon-current.html',
        'https://www.amazon.com/ACME-Womens-Rocket-Skates/dp/B0D1KHSGRB/ref=sr_1_1?th=1&psc=1',
      ),
    ).toEqual({
      marketplace: 'amazon',
      site: 'amazon.com',
      url: 'https://www.amazon.com/dp/B0CFR36HR9',
      productId: 'B0CFR36HR9',
      gtin: '00614141000012',
      title: "ACME Women's Rocket Skates, Red, Size 8",
      brand: 'ACME',
      price: { amount: 25.89, currency: 'USD' },
      seller: { id: 'AY5PETPKQBLHL', name: 'ACME Direct', isPlatform: false },
      condition: 'new',
    });
  });

  it('2015 layout: #priceblock_ourprice and "Ships from and sold by X."', () => {
    expect(read('amazon-2015.html', 'http://www.amazon.com/3M-11105-Roloc-Disc/dp/B0013A2OZU')).toEqual({
      marketplace: 'amazon',
      site: 'amazon.com',
      url: 'https://www.amazon.com/dp/B0013A2OZU',
      productId: 'B0013A2OZU',
      gtin: '00051144111053',
      title: '3M 11105 Roloc Coated Cloth-Backed Abrasive Disc 3 Inch Diameter, Grade 36YN',
      brand: '3M',
      price: { amount: 1.19, currency: 'USD' },
      seller: { id: 'A3G00VOCRGN8BJ', name: 'A2ZID', isPlatform: false },
      condition: 'new',
    });
  });

  it('sold by Amazon.com: the platform, without a merchant id', () => {
    expect(read('amazon-platform.html', 'https://www.amazon.com/gp/product/B00N150YS4?psc=1')).toEqual({
      marketplace: 'amazon',
      site: 'amazon.com',
      url: 'https://www.amazon.com/dp/B00N150YS4',
      productId: 'B00N150YS4',
      gtin: null,
      title: 'Gorilla Black Duct Tape, 1.88" x 12 yd, Black, (Pack of 2)',
      brand: 'Gorilla',
      price: { amount: 12.48, currency: 'USD' },
      seller: { id: null, name: 'Amazon.com', isPlatform: true },
      condition: 'new',
    });
  });

  it('no buy box: no price, seller or condition, whatever else the page prices', () => {
    expect(
      read('amazon-unavailable.html', 'https://www.amazon.in/Apple-iPhone-13-128GB-Green/dp/B09V4B6K53'),
    ).toEqual({
      marketplace: 'amazon',
      site: 'amazon.in',
      url: 'https://www.amazon.in/dp/B09V4B6K53',
      productId: 'B09V4B6K53',
      gtin: null,
      title: 'Apple iPhone 13 (128GB) - Green',
      brand: 'Apple',
      price: null,
      seller: null,
      condition: null,
    });
  });

  it('amazon.de: "1.499,99 €", "Marke: X", "Verkauf durch X", a renewed offer', () => {
    expect(read('amazon-de.html', 'https://www.amazon.de/dp/B0BX8ZL7QD')).toEqual({
      marketplace: 'amazon',
      site: 'amazon.de',
      url: 'https://www.amazon.de/dp/B0BX8ZL7QD',
      productId: 'B0BX8ZL7QD',
      gtin: '04006381333931',
      title: 'Bosch Professional Akku-Bohrschrauber GSR 18V-110 C (Generalüberholt)',
      brand: 'Bosch Professional',
      price: { amount: 1499.99, currency: 'EUR' },
      seller: { id: 'A1B2C3D4E5F6G7', name: 'Werkzeug-Profi GmbH', isPlatform: false },
      condition: 'refurbished',
    });
  });

  it('amazon.co.jp: "￥5,499", sold by Amazon.co.jp, JAN code', () => {
    expect(read('amazon-jp.html', 'https://www.amazon.co.jp/dp/B09FKGJ1CB')).toEqual({
      marketplace: 'amazon',
      site: 'amazon.co.jp',
      url: 'https://www.amazon.co.jp/dp/B09FKGJ1CB',
      productId: 'B09FKGJ1CB',
      gtin: '04905524931655',
      title: 'ソニー ワイヤレスイヤホン WF-C500 ホワイト',
      brand: 'ソニー(SONY)',
      price: { amount: 5499, currency: 'JPY' },
      seller: { id: null, name: 'Amazon.co.jp', isPlatform: true },
      condition: 'new',
    });
  });

  it('used-only book: used condition, ISBN-13 as the GTIN, the author is not a brand', () => {
    expect(
      read('amazon-used-book.html', 'https://www.amazon.co.uk/Vegetable-Perfection/dp/1849757097'),
    ).toEqual({
      marketplace: 'amazon',
      site: 'amazon.co.uk',
      url: 'https://www.amazon.co.uk/dp/1849757097',
      productId: '1849757097',
      gtin: '09781849757096',
      title: 'Vegetable Perfection: 100 delicious recipes for roots, bulbs, shoots and stems',
      brand: null,
      price: { amount: 4.45, currency: 'GBP' },
      seller: { id: 'A2NQK4TIWYJD6B', name: 'Goldstone-Books', isPlatform: false },
      condition: 'used',
    });
  });

  it('reports the expected fields it could not find', () => {
    const result = extractWithDiagnostics(
      load('amazon-unavailable.html'),
      'https://www.amazon.in/dp/B09V4B6K53',
    );
    expect(result.adapter).toBe('amazon');
    expect(result.diagnostics).toEqual({ adapter: 'amazon', missing: ['price', 'seller'] });
    const full = extractWithDiagnostics(load('amazon-current.html'), 'https://www.amazon.com/dp/B0D1KHSGRB');
    expect(full.diagnostics).toEqual({ adapter: 'amazon', missing: [] });
  });

  it('is not fooled by a page served on another marketplace or shop', () => {
    expect(read('amazon-current.html', 'https://shop.example.com/dp/B0D1KHSGRB')).toBeNull();
    expect(read('amazon-current.html', 'https://www.amazon.com/s?k=skates')).toBeNull();
    expect(read('amazon-current.html', 'https://www.ebay.com/itm/298293090902')).toBeNull();
  });
});

describe('eBay fixtures', () => {
  it('current layout: shown price, store seller with its user name, item specifics', () => {
    expect(
      read('ebay-current.html', 'https://www.ebay.com/itm/Hewlett-Packard-HP-423A/298293090902?hash=item1'),
    ).toEqual({
      marketplace: 'ebay',
      site: 'ebay.com',
      url: 'https://www.ebay.com/itm/298293090902',
      productId: '298293090902',
      gtin: '00885909950805',
      title: 'Hewlett Packard HP 423A Coaxial Crystal Detector',
      brand: 'Hewlett Packard',
      price: { amount: 29.99, currency: 'USD' },
      seller: { id: 'testequip_depot', name: 'Test Equipment Depot', isPlatform: false },
      condition: 'used',
    });
  });

  it('classic layout: #prcIsum, #mbgLink, .itemAttr, "Does not apply" is no GTIN', () => {
    expect(read('ebay-classic.html', 'https://www.ebay.co.uk/itm/ACME-Rocket-Skates/123456789012')).toEqual({
      marketplace: 'ebay',
      site: 'ebay.co.uk',
      url: 'https://www.ebay.co.uk/itm/123456789012',
      productId: '123456789012',
      gtin: null,
      title: 'ACME Rocket Skates Size 8 Red',
      brand: 'ACME',
      price: { amount: 39.99, currency: 'GBP' },
      seller: { id: 'skate_shop_uk', name: 'Skate_Shop_UK', isPlatform: false },
      condition: 'new',
    });
  });

  it('ebay.de: "EUR 1.499,99", "Neu", "Marke"', () => {
    expect(read('ebay-de.html', 'https://www.ebay.de/itm/334455667788')).toEqual({
      marketplace: 'ebay',
      site: 'ebay.de',
      url: 'https://www.ebay.de/itm/334455667788',
      productId: '334455667788',
      gtin: '04006381333931',
      title: 'Bosch Professional GSR 18V-110 C Akku-Bohrschrauber',
      brand: 'Bosch Professional',
      price: { amount: 1499.99, currency: 'EUR' },
      seller: { id: 'werkzeug-profi-de', name: 'werkzeug-profi-de', isPlatform: false },
      condition: 'new',
    });
  });
});

describe('generic schema.org fixtures (only when the user granted the shop)', () => {
  const shopUrl = 'https://shop.example.com/products/rocket-skates?utm_source=x';

  it('is off by default: a shop no marketplace adapter owns gives null', () => {
    expect(extractProduct(load('schema-org-shop.html'), shopUrl)).toBeNull();
  });

  it('@graph, related products and an AggregateOffer with string prices', () => {
    const expected = {
      marketplace: 'web',
      site: 'example.com',
      url: 'https://shop.example.com/products/rocket-skates',
      productId: 'RS-8-RED',
      gtin: '04006381333931',
      title: 'Rocket Skates',
      brand: 'ACME',
      price: { amount: 39.99, currency: 'EUR' },
      seller: { id: 'example.com', name: 'ACME Outfitters', isPlatform: false },
      condition: null,
    };
    expect(extractGeneric(load('schema-org-shop.html'), shopUrl)).toEqual(expected);
    expect(extractProduct(load('schema-org-shop.html'), shopUrl, { generic: true })).toEqual(expected);
  });

  it('microdata, with the seller named in the offer', () => {
    expect(
      extractGeneric(load('schema-org-microdata.html'), 'https://cafe.example.org/tamper-58#reviews'),
    ).toEqual({
      marketplace: 'web',
      site: 'example.org',
      url: 'https://cafe.example.org/tamper-58',
      productId: null,
      gtin: '00885909950805',
      title: 'Espresso Tamper 58 mm',
      brand: 'Barista Co',
      price: { amount: 24.5, currency: 'EUR' },
      seller: { id: 'example.org', name: 'Café Supplies GmbH', isPlatform: false },
      condition: 'new',
    });
  });

  it('a listing of several products is not a product page', () => {
    expect(
      extractGeneric(load('schema-org-listing.html'), 'https://shop.example.com/collections/skates'),
    ).toBeNull();
  });

  it('never reads a marketplace page generically', () => {
    expect(extractGeneric(load('ebay-current.html'), 'https://www.ebay.com/itm/298293090902')).toBeNull();
    expect(
      extractProduct(load('ebay-current.html'), 'https://www.ebay.com/p/1701411334', { generic: true }),
    ).toBeNull();
  });
});

describe('seller and condition wording', () => {
  it('recognises Amazon itself under its many names, and only those', () => {
    for (const name of [
      'Amazon',
      'Amazon.com',
      'Amazon.co.uk',
      'Amazon.com.br',
      'Amazon.co.jp',
      'Amazon EU S.à r.l.',
      'Amazon Export Sales LLC',
      'Amazon Digital Services LLC',
      'Amazon.com Services LLC',
      'Amazon Media EU S.à r.l.',
      'Amazon Warehouse',
      'AMAZON.DE',
    ]) {
      expect(isAmazonName(name), name).toBe(true);
    }
    for (const name of [
      'Amazonia Crafts',
      'Amazing Deals',
      'ACME Direct',
      'Best Amazon Seller',
      'Amazon Deals Store 24',
      null,
    ]) {
      expect(isAmazonName(name), String(name)).toBe(false);
    }
  });

  it('reads eBay condition lines in several languages', () => {
    const cases: [string, string | null][] = [
      ['New', 'new'],
      ['Brand New', 'new'],
      ['New other (see details)', 'new'],
      ['Neu mit Etikett', 'new'],
      ['Neuf', 'new'],
      ['Nuovo', 'new'],
      ['Nuevo', 'new'],
      ['Used', 'used'],
      ['Pre-owned', 'used'],
      ['Gebraucht', 'used'],
      ['Occasion', 'used'],
      ['Usato', 'used'],
      ['For parts or not working', 'used'],
      ['Certified - Refurbished', 'refurbished'],
      ['Seller refurbished', 'refurbished'],
      ['Generalüberholt', 'refurbished'],
      ['Reconditionné', 'refurbished'],
      ['', null],
      ['Blue', null],
    ];
    for (const [label, want] of cases) expect(ebayCondition(label), label).toBe(want);
  });
});
