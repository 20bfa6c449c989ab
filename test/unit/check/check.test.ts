import { describe, expect, it } from 'vitest';
import { checkProduct, messageKeyOf, worstLevel } from '../../../lib/check';
import { Verdict } from '../../../lib/check/types';
import type { StoreReader } from '../../../lib/store/types';
import { ACME, ALL_FEEDS, NIKE, NOW, OLDCO, snap, ZETA } from './fixtures';
import { createMemoryStore } from './memory-store';

const store = createMemoryStore(ALL_FEEDS.map((feed) => ({ feed, lastSync: '2026-11-24T00:00:00Z' })));

async function check(overrides: Parameters<typeof snap>[0], s: StoreReader = store) {
  const v = await checkProduct(snap(overrides), s, NOW);
  // Every verdict satisfies the shared contract the popup and the report parse it with.
  expect(Verdict.parse(v)).toEqual(v);
  return v;
}

const codes = (v: Verdict) => v.reasons.map((r) => r.code).sort();

describe('seller lists', () => {
  it('a listed seller matched by id is ok, with the evidence that says why', async () => {
    const v = await check({});
    expect(v.level).toBe('ok');
    expect(codes(v)).toEqual(['seller-authorized']);
    const [r] = v.reasons;
    expect(r?.messageKey).toBe('reason_seller_authorized');
    expect(r?.messageArgs).toEqual(['ACME Official', 'ACME', 'amazon.com']);
    expect(r?.evidence).toMatchObject({
      brandId: 'acme',
      feedUrl: 'https://acme.example/.well-known/genuine-feed.json',
      feedVersion: 42,
      marketplace: 'amazon',
      site: 'amazon.com',
      channelComplete: true,
      seller: { id: 'A1B2C3D4E5F6G7', name: 'ACME Official' },
      sellerEntry: { id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' },
    });
    expect(v.brand).toMatchObject({
      brandId: 'acme',
      name: 'ACME',
      website: 'https://acme.com',
      reportEndpoint: 'https://acme.com/api/genuine-reports',
      feedVersion: 42,
      lastSync: '2026-11-24T00:00:00Z',
    });
    expect(v.checkedAt).toBe(NOW.toISOString());
  });

  it('matches by name only when the page shows no seller id', async () => {
    const byName = await check({ seller: { id: null, name: '  acme   OFFICIAL ', isPlatform: false } });
    expect(byName.level).toBe('ok');
    // The page shows an id: the id decides, a copied name does not make a seller authorized.
    const copied = await check({ seller: { id: 'AIMPOSTER0001', name: 'ACME Official', isPlatform: false } });
    expect(copied.level).toBe('danger');
    expect(codes(copied)).toEqual(['seller-not-authorized']);
  });

  it('a seller missing from a complete channel is "not authorized" (danger)', async () => {
    const v = await check({ seller: { id: 'ARANDOM000001', name: 'Random Shop', isPlatform: false } });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-not-authorized']);
    expect(v.reasons[0]?.messageKey).toBe('reason_seller_not_authorized');
    expect(v.reasons[0]?.messageArgs).toEqual(['Random Shop', 'ACME', 'amazon.com']);
    expect(v.reasons[0]?.evidence).toMatchObject({ channelComplete: true, platform: false });
  });

  it('a seller missing from an incomplete channel is only "not verified" (caution)', async () => {
    const v = await check({
      site: 'amazon.co.uk',
      url: 'https://www.amazon.co.uk/dp/B0EXAMPLE1',
      price: null,
      seller: { id: 'ARANDOM000001', name: 'Random Shop', isPlatform: false },
    });
    expect(v.level).toBe('caution');
    expect(codes(v)).toEqual(['seller-not-verified']);
    expect(v.reasons[0]?.evidence.channelComplete).toBe(false);
  });

  it('the same seller is judged by the channel that covers the site', async () => {
    const seller = { id: 'AUKPARTNER001', name: 'UK Partner', isPlatform: false };
    const uk = await check({ site: 'amazon.co.uk', price: null, seller });
    const us = await check({ site: 'amazon.com', seller });
    const ca = await check({ site: 'amazon.ca', price: null, seller });
    const de = await check({ site: 'amazon.de', price: null, seller });
    expect(uk.level).toBe('ok');
    expect(us.level).toBe('danger');
    expect(ca.level).toBe('danger');
    expect(de.level).toBe('unknown');
    expect(codes(de)).toEqual(['no-channel']);
    expect(de.reasons[0]?.messageArgs).toEqual(['ACME', 'amazon.de']);
  });

  it('an entry whose `until` has passed no longer counts; one still running does', async () => {
    const lapsed = await check({ seller: { id: 'A0LAPSED00001', name: 'Lapsed Retail', isPlatform: false } });
    expect(lapsed.level).toBe('danger');
    expect(codes(lapsed)).toEqual(['seller-not-authorized']);
    const running = await check({ seller: { id: 'A3XYZABCDEFGH1', name: 'Big Retail', isPlatform: false } });
    expect(running.level).toBe('ok');
    expect(running.reasons[0]?.evidence.sellerEntry?.until).toBe('2026-12-10T00:00:00Z');
    // The same entry judged after its end date.
    const later = await checkProduct(
      snap({ seller: { id: 'A3XYZABCDEFGH1', name: 'Big Retail', isPlatform: false } }),
      store,
      new Date('2026-12-10T00:00:00Z'),
    );
    expect(later.level).toBe('danger');
  });

  it('an empty complete list means nobody is authorized on that channel', async () => {
    const v = await check({
      marketplace: 'ebay',
      site: 'ebay.de',
      url: 'https://www.ebay.de/itm/123456789012',
      productId: '123456789012',
      price: { amount: 180, currency: 'EUR' },
      seller: { id: 'acme-official', name: 'acme-official', isPlatform: false },
    });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-not-authorized']);
  });

  it('the brand own web shop is the seller on "web" pages', async () => {
    const own = await check({
      marketplace: 'web',
      site: 'acme.com',
      url: 'https://acme.com/p/skates',
      seller: null,
    });
    expect(own.level).toBe('ok');
    expect(own.reasons[0]?.evidence.seller).toEqual({ id: 'acme.com', name: null });
    const other = await check({
      marketplace: 'web',
      site: 'skates.example',
      url: 'https://skates.example/p/1',
      seller: null,
    });
    expect(other.level).toBe('caution');
    expect(codes(other)).toEqual(['seller-not-verified']);
  });
});

describe('blocked sellers', () => {
  it('a seller on the brand blocked list is danger, with the brand reason', async () => {
    const v = await check({ seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates', isPlatform: false } });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-blocked', 'seller-not-authorized']);
    const blocked = v.reasons.find((r) => r.code === 'seller-blocked');
    expect(blocked?.messageArgs).toEqual(['Cheap Skates', 'ACME']);
    expect(blocked?.evidence).toMatchObject({
      blockedReason: 'test purchase 2026-10',
      sellerEntry: { id: 'A9BADBADBAD123' },
      feedVersion: 42,
    });
  });

  it('blocked wins over listed: a brand that caught its own retailer selling fakes says so', async () => {
    const v = await check({ seller: { id: 'A7BOTHLISTED1', name: 'Listed But Caught', isPlatform: false } });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-authorized', 'seller-blocked']);
  });

  it('matches a blocked entry by name when the page shows no id', async () => {
    const v = await check({ seller: { id: null, name: 'CHEAP SKATES OUTLET', isPlatform: false } });
    expect(codes(v)).toContain('seller-blocked');
    expect(v.level).toBe('danger');
  });

  it('still applies on a marketplace where the brand lists no channel', async () => {
    const v = await check({
      marketplace: 'walmart',
      site: 'walmart.com',
      url: 'https://www.walmart.com/ip/1',
      seller: { id: '999001', name: 'Bargains', isPlatform: false },
    });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['no-channel', 'seller-blocked']);
  });

  it('a seller blocked by ANOTHER brand is no evidence about this product', async () => {
    // Blocked by Zeta, selling ACME on a site where ACME's list is a sample.
    const v = await check({
      site: 'amazon.co.uk',
      price: null,
      seller: { id: 'AZETACAUGHT01', name: 'Lens World', isPlatform: false },
    });
    expect(v.level).toBe('caution');
    expect(codes(v)).toEqual(['seller-not-verified']);
    // ...and the same seller on a Zeta listing is danger.
    const zeta = await check({
      brand: 'Zeta Optics',
      title: 'Zeta Optics 50mm lens',
      gtin: null,
      productId: 'B0ZETA0001',
      seller: { id: 'AZETACAUGHT01', name: 'Lens World', isPlatform: false },
    });
    expect(zeta.level).toBe('danger');
    expect(zeta.brand?.brandId).toBe(ZETA.brandId);
    expect(codes(zeta)).toEqual(['seller-blocked', 'seller-not-verified']);
  });

  it('a blocked seller on a listing whose brand is unknown is not reported', async () => {
    const v = await check({
      brand: null,
      title: 'Rocket skates, red',
      seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates', isPlatform: false },
    });
    expect(v.level).toBe('unknown');
    expect(codes(v)).toEqual(['no-brand']);
    expect(v.brand).toBeNull();
  });
});

describe('the marketplace selling itself', () => {
  it('is ok when the brand lists the platform', async () => {
    const v = await check({
      brand: 'Nike',
      title: 'Nike Air Zoom Pegasus',
      gtin: null,
      productId: 'B0NIKE0001',
      seller: { id: 'ATVPDKIKX0DER', name: 'Amazon.com', isPlatform: true },
    });
    expect(v.level).toBe('ok');
    expect(codes(v)).toEqual(['platform-authorized']);
    expect(v.reasons[0]?.messageKey).toBe('reason_platform_authorized');
    expect(v.reasons[0]?.evidence.platform).toBe(true);
  });

  it('is caution, not danger, when a complete list leaves the platform out', async () => {
    const v = await check({ seller: { id: 'ATVPDKIKX0DER', name: 'Amazon.com', isPlatform: true } });
    expect(v.level).toBe('caution');
    expect(codes(v)).toEqual(['seller-not-verified']);
    expect(v.reasons[0]?.evidence).toMatchObject({ platform: true, channelComplete: true });
    // Worded for the platform: "that list is not complete" would be untrue here.
    expect(v.reasons[0]?.messageKey).toBe('reason_platform_not_listed');
  });

  it('is judged as the platform even when the page names it only by the flag', async () => {
    const v = await check({ seller: { id: null, name: null, isPlatform: true } });
    expect(v.level).toBe('caution');
    expect(v.reasons[0]?.messageArgs).toEqual(['amazon.com', 'ACME', 'amazon.com']);
  });

  it('a blocked platform account is still danger', async () => {
    const v = await check({ seller: { id: 'A9BADBADBAD123', name: 'Amazon.com', isPlatform: true } });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-blocked', 'seller-not-verified']);
  });
});

describe('price floors', () => {
  it('a new item below the floor is caution, with the percent below the MSRP', async () => {
    const v = await check({ price: { amount: 39.99, currency: 'USD' } });
    expect(v.level).toBe('caution');
    expect(codes(v)).toEqual(['price-below-floor', 'seller-authorized']);
    const r = v.reasons.find((x) => x.code === 'price-below-floor');
    expect(r?.messageKey).toBe('reason_price_below_floor');
    expect(r?.evidence).toMatchObject({
      price: { amount: 39.99, currency: 'USD' },
      floor: 120,
      msrp: 199,
      percentBelow: 79,
      feedVersion: 42,
    });
    expect(r?.messageArgs).toEqual(['39.99 USD', '120 USD', 'ACME']);
  });

  it('a price at or above the floor is no signal', async () => {
    expect(codes(await check({ price: { amount: 120, currency: 'USD' } }))).toEqual(['seller-authorized']);
  });

  it('measures against the floor when the brand gives no MSRP', async () => {
    const v = await check({ site: 'amazon.com', price: { amount: 80, currency: 'EUR' } });
    const r = v.reasons.find((x) => x.code === 'price-below-floor');
    expect(r?.evidence).toMatchObject({ floor: 100, percentBelow: 20 });
    expect(r?.evidence.msrp).toBeUndefined();
  });

  it('a price in another currency is no signal', async () => {
    const v = await check({ price: { amount: 1, currency: 'GBP' } });
    expect(v.level).toBe('ok');
    expect(codes(v)).toEqual(['seller-authorized']);
  });

  it('finds the product by the marketplace id when the page shows no GTIN', async () => {
    const v = await check({ gtin: null, productId: 'b0example1', price: { amount: 50, currency: 'USD' } });
    expect(codes(v)).toContain('price-below-floor');
  });

  it('an unknown product is no price signal', async () => {
    const v = await check({ gtin: null, productId: 'B0OTHER0001', price: { amount: 1, currency: 'USD' } });
    expect(codes(v)).toEqual(['seller-authorized']);
  });

  it('a listing that does not state its condition is taken as new', async () => {
    const v = await check({ condition: null, price: { amount: 50, currency: 'USD' } });
    expect(codes(v)).toContain('price-below-floor');
  });

  it('used items are exempt from the new-item floor; the note never lowers or raises the level', async () => {
    const v = await check({ condition: 'used', price: { amount: 30, currency: 'USD' } });
    expect(v.level).toBe('ok');
    expect(codes(v)).toEqual(['seller-authorized', 'used-item']);
    const used = v.reasons.find((r) => r.code === 'used-item');
    expect(used?.level).toBe('unknown');
    expect(used?.messageArgs).toEqual([]);
    expect(used?.evidence.condition).toBe('used');
  });

  it('a refurbished item from an unlisted seller is still judged on the seller', async () => {
    const v = await check({
      condition: 'refurbished',
      price: { amount: 30, currency: 'USD' },
      seller: { id: 'ARANDOM000001', name: 'Random Shop', isPlatform: false },
    });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['seller-not-authorized', 'used-item']);
  });

  it('below the floor from an unauthorized seller stays danger, with both reasons', async () => {
    const v = await check({
      price: { amount: 39.99, currency: 'USD' },
      seller: { id: 'ARANDOM000001', name: 'Random Shop', isPlatform: false },
    });
    expect(v.level).toBe('danger');
    expect(codes(v)).toEqual(['price-below-floor', 'seller-not-authorized']);
  });
});

describe('when the page or the lists do not allow a verdict', () => {
  it('an unreadable seller is unknown, never danger', async () => {
    for (const seller of [null, { id: null, name: null, isPlatform: false }]) {
      const v = await check({ seller });
      expect(v.level).toBe('unknown');
      expect(codes(v)).toEqual(['seller-unreadable']);
    }
  });

  it('an unreadable seller below the floor is caution from the price alone', async () => {
    const v = await check({ seller: null, price: { amount: 39.99, currency: 'USD' } });
    expect(v.level).toBe('caution');
    expect(codes(v)).toEqual(['price-below-floor', 'seller-unreadable']);
  });

  it('nothing to buy: not for sale, with the brand still named', async () => {
    const v = await check({ price: null, seller: null });
    expect(v.level).toBe('unknown');
    expect(codes(v)).toEqual(['not-for-sale']);
    expect(v.brand?.brandId).toBe('acme');
    const noBrand = await check({ price: null, seller: null, brand: null, title: null });
    expect(codes(noBrand)).toEqual(['not-for-sale']);
  });

  it('a brand we hold no list for: no-feed, naming the brand as the page does', async () => {
    const v = await check({ brand: 'Darong', title: 'ACME-style blouse' });
    expect(v.level).toBe('unknown');
    expect(codes(v)).toEqual(['no-feed']);
    expect(v.reasons[0]?.messageArgs).toEqual(['Darong']);
    expect(v.brand).toBeNull();
  });

  it('an expired list gives unknown, even for a seller it blocked and a price below its floor', async () => {
    const v = await check({
      brand: 'OldCo',
      gtin: '00614141000029',
      price: { amount: 1, currency: 'USD' },
      seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates', isPlatform: false },
    });
    expect(v.level).toBe('unknown');
    expect(codes(v)).toEqual(['feed-expired']);
    expect(v.reasons[0]?.evidence.expiredAt).toBe(OLDCO.expiresAt);
    expect(v.reasons[0]?.messageArgs).toEqual(['OldCo', '2026-10-01']);
    expect(v.brand?.brandId).toBe('oldco');
  });

  it('the very moment a list expires it stops producing signals', async () => {
    const v = await checkProduct(
      snap({ seller: { id: 'ARANDOM000001', name: 'x', isPlatform: false } }),
      store,
      new Date(ACME.expiresAt),
    );
    expect(codes(v)).toEqual(['feed-expired']);
  });
});

describe('brand detection', () => {
  it('recognizes a brand by an alias in another script', async () => {
    for (const brand of ['爱克米', 'アクメ', 'ＡＣＭＥ ｃｏｒｐ']) {
      const v = await check({ brand });
      expect(v.brand?.brandId, brand).toBe('acme');
    }
  });

  it('reads brand fields that give the name twice, in two scripts', async () => {
    for (const brand of ['Nike/耐克', '耐克（NIKE）', 'NIKE | 耐克', 'Nike/Unknownco']) {
      expect((await check({ brand })).brand?.brandId, brand).toBe('nike');
    }
    // Two different brands in one field: none.
    const two = await check({ brand: 'ACME/Nike' });
    expect(two.brand).toBeNull();
    expect(codes(two)).toEqual(['no-brand']);
    expect(codes(await check({ brand: 'Foo/Bar' }))).toEqual(['no-feed']);
  });

  it('strips store-page noise the adapter left in the brand field', async () => {
    expect((await check({ brand: 'Visit the ACME Store' })).brand?.brandId).toBe('acme');
    expect((await check({ brand: 'Brand: ACME' })).brand?.brandId).toBe('acme');
  });

  it('falls back to the start of the title when the page has no brand field', async () => {
    const v = await check({ brand: null, title: 'ACME Rocket Skates, size 10' });
    expect(v.brand?.brandId).toBe('acme');
    expect(v.level).toBe('ok');
    expect((await check({ brand: null, title: 'Acme Corp rocket skates' })).brand?.brandId).toBe('acme');
    expect((await check({ brand: null, title: '[ACME] rocket skates' })).brand?.brandId).toBe('acme');
  });

  it('never takes a brand from the middle of a title, or from a longer word', async () => {
    for (const title of [
      'Rocket skates compatible with ACME',
      'ACMEX rocket skates',
      'Acmes rocket skates',
    ]) {
      const v = await check({ brand: null, title });
      expect(v.brand, title).toBeNull();
      expect(codes(v)).toEqual(['no-brand']);
    }
  });

  it('reads Chinese titles, which have no spaces', async () => {
    const tmall = {
      marketplace: 'tmall' as const,
      site: 'tmall.com',
      url: 'https://detail.tmall.com/item.htm?id=1',
      gtin: null,
      productId: '1',
      brand: null,
      price: { amount: 699, currency: 'CNY' },
      seller: { id: '2200001', name: 'Nike官方旗舰店', isPlatform: false },
    };
    for (const title of [
      '耐克男鞋 Air Max 270 运动鞋',
      '【官方正品】耐克 Air Max',
      'Nike耐克 Air Max',
      'NIKE/耐克 跑步鞋',
    ]) {
      const v = await check({ ...tmall, title });
      expect(v.brand?.brandId, title).toBe('nike');
      expect(v.level, title).toBe('ok');
    }
    // "适用耐克" = "fits Nike": an accessory, not a Nike product.
    const accessory = await check({ ...tmall, title: '适用耐克鞋带 替换' });
    expect(accessory.brand).toBeNull();
    const stranger = await check({
      ...tmall,
      title: '耐克男鞋',
      seller: { id: '31', name: '小店', isPlatform: false },
    });
    expect(stranger.level).toBe('danger');
    expect(NIKE.channels[1]?.complete).toBe(true);
  });

  it('picks no brand when two brands share the name, unless one is exactly that name', async () => {
    const shared = await check({ brand: 'Orion' });
    expect(shared.brand).toBeNull();
    expect(codes(shared)).toEqual(['no-brand']);
    expect((await check({ brand: 'Orion Audio' })).brand?.brandId).toBe('orion-audio');
    expect((await check({ brand: 'Polaris' })).brand?.brandId).toBe('polaris');
  });

  it('picks no brand when a title starts with the names of two brands', async () => {
    const v = await check({ brand: null, title: 'Orion wireless speaker' });
    expect(v.brand).toBeNull();
    expect(codes(v)).toEqual(['no-brand']);
  });

  it('ignores names too short or too generic to be evidence in a title', async () => {
    expect((await check({ brand: null, title: 'HP LaserJet toner' })).brand).toBeNull();
    expect((await check({ brand: 'HP', title: 'HP LaserJet toner' })).brand?.brandId).toBe('hp');
    expect((await check({ brand: 'Generic', title: 'ACME rocket skates' })).brand).toBeNull();
  });

  it('does not consult the title when the brand field names another brand', async () => {
    const v = await check({ brand: 'Skatez', title: 'ACME Rocket Skates' });
    expect(v.brand).toBeNull();
    expect(codes(v)).toEqual(['no-feed']);
  });
});

describe('levels and messages', () => {
  it('the worst reason wins and unknown never overrides a real signal', () => {
    expect(worstLevel([])).toBe('unknown');
    expect(worstLevel([{ level: 'unknown' }, { level: 'ok' }])).toBe('ok');
    expect(worstLevel([{ level: 'ok' }, { level: 'caution' }, { level: 'unknown' }])).toBe('caution');
    expect(worstLevel([{ level: 'caution' }, { level: 'danger' }, { level: 'ok' }])).toBe('danger');
  });

  it('message keys follow reason_<code with underscores>', () => {
    expect(messageKeyOf('seller-not-authorized')).toBe('reason_seller_not_authorized');
    expect(messageKeyOf('no-feed')).toBe('reason_no_feed');
  });

  it('reads only what it needs from the store', async () => {
    const counting = createMemoryStore([{ feed: ACME }]);
    await checkProduct(snap({ brand: 'Darong' }), counting, NOW);
    expect(counting.calls).toEqual(['findBrandsByName:darong']);
  });
});

describe('store lookups once the brand is known', () => {
  /** The memory store, with channels/findBlocked/findSeller/findProduct held until `release()`. */
  function heldStore(overrides: Partial<StoreReader> = {}) {
    const inner = createMemoryStore([{ feed: ACME }]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const asked: string[] = [];
    const held =
      <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        asked.push(name);
        await gate;
        return fn(...args);
      };
    const s: StoreReader = {
      findBrandsByName: (k) => inner.findBrandsByName(k),
      brandNameKeys: () => inner.brandNameKeys(),
      getBrand: (id) => inner.getBrand(id),
      channels: held('channels', (b, m, site) => inner.channels(b, m, site)),
      findBlocked: held('findBlocked', (m, k) => inner.findBlocked(m, k)),
      findSeller: held('findSeller', (b, m, site, k) => inner.findSeller(b, m, site, k)),
      findProduct: held('findProduct', (b, k) => inner.findProduct(b, k)),
      ...overrides,
    };
    return { store: s, asked, release };
  }

  it('asks all four at once, and answers as the one-by-one reading did', async () => {
    const below = { price: { amount: 10, currency: 'USD' } };
    const { store: s, asked, release } = heldStore();
    const pending = checkProduct(snap(below), s, NOW);
    // Let every started lookup reach the gate: none has answered yet.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([...asked].sort()).toEqual(['channels', 'findBlocked', 'findProduct', 'findSeller']);
    release();
    const v = await pending;
    expect(v).toEqual(await checkProduct(snap(below), createMemoryStore([{ feed: ACME }]), NOW));
    expect(v.reasons.map((r) => r.code)).toEqual(['seller-authorized', 'price-below-floor']);
  });

  it('keeps the reasons in the same order: no-channel, blocked, then price', async () => {
    const v = await check({
      site: 'amazon.de',
      seller: { id: 'A9BADBADBAD123', name: null, isPlatform: false },
      price: { amount: 10, currency: 'USD' },
    });
    expect(v.reasons.map((r) => r.code)).toEqual(['no-channel', 'seller-blocked', 'price-below-floor']);
  });

  it('does not ask for a product when the item is used, nor for a seller the page does not show', async () => {
    const used = createMemoryStore([{ feed: ACME }]);
    await checkProduct(snap({ condition: 'used' }), used, NOW);
    expect(used.calls.some((c) => c.startsWith('findProduct'))).toBe(false);
    const anonymous = createMemoryStore([{ feed: ACME }]);
    await checkProduct(snap({ seller: null }), anonymous, NOW);
    expect(anonymous.calls.some((c) => c.startsWith('findSeller') || c.startsWith('findBlocked'))).toBe(
      false,
    );
  });

  it('a failed seller lookup is harmless when no channel covers the site, and fails the check when one does', async () => {
    const broken = () => Promise.reject(new Error('disk on fire'));
    const off = heldStore({ findSeller: broken });
    off.release();
    const de = await checkProduct(snap({ site: 'amazon.de', price: null }), off.store, NOW);
    expect(de.reasons.map((r) => r.code)).toEqual(['no-channel']);
    const on = heldStore({ findSeller: broken });
    on.release();
    await expect(checkProduct(snap(), on.store, NOW)).rejects.toThrow('disk on fire');
  });
});

describe("title matching over the store's name keys", () => {
  it('answers the same from a list the store hands back again, and follows a new list', async () => {
    let inner = createMemoryStore([{ feed: ACME }, { feed: NIKE }]);
    let keys = await inner.brandNameKeys();
    // Like lib/store: the same list object until an import changes the brands.
    const cached: StoreReader = {
      findBrandsByName: (k) => inner.findBrandsByName(k),
      brandNameKeys: async () => keys,
      getBrand: (id) => inner.getBrand(id),
      channels: (b, m, site) => inner.channels(b, m, site),
      findBlocked: (m, k) => inner.findBlocked(m, k),
      findSeller: (b, m, site, k) => inner.findSeller(b, m, site, k),
      findProduct: (b, k) => inner.findProduct(b, k),
    };
    const title = async (t: string) =>
      (await check({ brand: null, title: t }, cached)).brand?.brandId ?? null;
    for (let i = 0; i < 2; i++) {
      expect(await title('ACME Rocket Skates, size 10')).toBe('acme');
      expect(await title('耐克男鞋')).toBe('nike');
      expect(await title('Zeta Optics 50mm lens')).toBeNull();
    }
    inner = createMemoryStore([{ feed: ZETA }]);
    keys = await inner.brandNameKeys();
    expect(await title('ACME Rocket Skates, size 10')).toBeNull();
    expect(await title('Zeta Optics 50mm lens')).toBe('zeta');
  });
});
