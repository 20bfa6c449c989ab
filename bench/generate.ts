import type { Feed, Product, SellerEntry } from '../lib/feed/schema';
import type { ProductSnapshot } from '../lib/sites/snapshot';

/**
 * Synthetic, seeded data for the benchmarks: brand feeds, a large single feed, the check workload
 * and a small product page. Every value comes from a small PRNG (mulberry32) seeded from the run's
 * seed and the item's index, so two runs (and the Node and browser sides of one run) produce the
 * same data, and any one brand's feed can be rebuilt on its own without building the others.
 *
 * Nothing here is a real brand, seller or product. Plain TypeScript with no Node or DOM API, so it
 * is bundled into the browser harness as well.
 */

export const DEFAULT_SEED = 20261120;

/** mulberry32: a tiny 32-bit PRNG, good enough for test data and identical everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes numbers and strings into one 32-bit seed (FNV-1a over their text). */
export function seedOf(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Rng {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chars(alphabet: string, length: number): string;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(items.length)] as T,
    chars: (alphabet, length) => {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[int(alphabet.length)];
      return s;
    },
  };
}

/**
 * How big a data set is. FULL is the size the targets are stated for (`npm run bench -- --full`);
 * the default run uses a tenth of it, with the same shape (200 sellers and 40 products a feed), so
 * that it finishes in minutes.
 */
export interface DatasetSpec {
  seed: number;
  brands: number;
  /** Seller entries over all brands and channels. */
  sellers: number;
  /** Products over all brands. */
  products: number;
  /** Blocked sellers per brand. */
  blockedPerBrand: number;
}

export const SIZES = {
  full: { seed: DEFAULT_SEED, brands: 5_000, sellers: 1_000_000, products: 200_000, blockedPerBrand: 5 },
  quick: { seed: DEFAULT_SEED, brands: 100, sellers: 20_000, products: 4_000, blockedPerBrand: 5 },
  smoke: { seed: DEFAULT_SEED, brands: 10, sellers: 1_000, products: 200, blockedPerBrand: 2 },
} as const satisfies Record<string, DatasetSpec>;

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'to',
  'va',
  'zu',
  'bel',
  'cor',
  'dex',
  'fin',
  'gal',
  'hol',
  'jun',
  'kes',
  'lum',
  'mar',
  'nov',
  'pel',
  'qui',
  'ros',
  'sol',
  'tur',
  'vik',
] as const;
const NOUNS = [
  'Skates',
  'Headphones',
  'Kettle',
  'Backpack',
  'Sneakers',
  'Blender',
  'Charger',
  'Jacket',
  'Watch',
  'Lamp',
  'Drill',
  'Speaker',
  'Mouse',
  'Keyboard',
  'Camera',
  'Bottle',
] as const;
const ADJECTIVES = [
  'Pro',
  'Classic',
  'Wireless',
  'Compact',
  'Ultra',
  'Travel',
  'Everyday',
  'Premium',
] as const;

/** Amazon's sites for the synthetic amazon channels (registrable domains). */
export const AMAZON_SITES = ['amazon.com', 'amazon.co.uk', 'amazon.de'] as const;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** brandId of brand i: "bench-00042". */
export function brandIdOf(i: number): string {
  return `bench-${String(i).padStart(5, '0')}`;
}

/**
 * A made-up, pronounceable brand name, unique per index (its first syllables spell i in base 24),
 * one token long so that title matching sees it as one word: "Kalomi", "Renvikdex".
 */
export function brandNameOf(i: number): string {
  let n = i;
  let name = '';
  do {
    name += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  // Two more syllables so that short indexes still give names of 3+ syllables.
  const r = rng(seedOf('brand-name', i));
  name += r.pick(SYLLABLES) + r.pick(SYLLABLES);
  return capitalize(name);
}

/** Entries of brand i's share of `total`, spread evenly (the first `total % brands` get one more). */
export function shareOf(total: number, brands: number, i: number): number {
  return Math.floor(total / brands) + (i < total % brands ? 1 : 0);
}

export function amazonSellerId(r: Rng): string {
  return `A${r.chars(UPPER_DIGITS, 13)}`;
}

export function asinOf(r: Rng): string {
  return `B0${r.chars(UPPER_DIGITS, 8)}`;
}

/** A random GTIN-14 with a valid GS1 check digit (lib/feed/gtin.ts). */
export function gtinOf(r: Rng): string {
  let body = '0';
  for (let i = 0; i < 12; i++) body += String(r.int(10));
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (body.charCodeAt(i) - 48) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

function sellerName(r: Rng): string {
  return `${capitalize(r.pick(SYLLABLES) + r.pick(SYLLABLES) + r.pick(SYLLABLES))} ${r.pick(['Store', 'Outlet', 'Direct', 'Trading', 'Shop'])}`;
}

function money(n: number): string {
  return n.toFixed(2);
}

export interface Validity {
  issuedAt: string;
  expiresAt: string;
}

/** A validity window around `now`: issued an hour ago, expiring in 30 days (feeds allow 90). */
export function validityAround(now: number): Validity {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { issuedAt: iso(now - 3_600_000), expiresAt: iso(now + 30 * 86_400_000) };
}

/** What the check workload needs to know of a brand without rebuilding its whole feed. */
export interface BrandSample {
  brandId: string;
  name: string;
  /** Amazon seller entries (listed on a complete channel covering amazon.com). */
  amazonSellers: { id: string; name: string }[];
  blocked: { id: string }[];
  products: { asin: string; gtin: string; floor: number; msrp: number }[];
}

/**
 * Brand i's feed. Channels: amazon (complete, amazon.com/.co.uk/.de, half the sellers, a tenth
 * of them with an `until` in the future), ebay (sample, a quarter), walmart (sample) and web
 * (brand-owned shops by domain). Products carry a GTIN, an ASIN and a USD price with a floor.
 */
export function brandFeed(spec: DatasetSpec, i: number, validity: Validity, version = 1): Feed {
  const r = rng(seedOf(spec.seed, 'brand', i));
  const brandId = brandIdOf(i);
  const name = brandNameOf(i);
  const sellerCount = shareOf(spec.sellers, spec.brands, i);
  const productCount = shareOf(spec.products, spec.brands, i);

  const amazonCount = Math.ceil(sellerCount * 0.5);
  const ebayCount = Math.floor(sellerCount * 0.25);
  const webCount = Math.min(sellerCount - amazonCount - ebayCount, Math.floor(sellerCount * 0.05));
  const walmartCount = sellerCount - amazonCount - ebayCount - webCount;

  const future = new Date(Date.parse(validity.expiresAt) + 60 * 86_400_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const amazon: SellerEntry[] = [];
  for (let k = 0; k < amazonCount; k++) {
    const entry: SellerEntry = {
      id: amazonSellerId(r),
      name: sellerName(r),
      relation: k === 0 ? 'brand' : 'retailer',
    };
    if (k % 10 === 9) entry.until = future;
    amazon.push(entry);
  }
  const ebay: SellerEntry[] = [];
  for (let k = 0; k < ebayCount; k++) {
    ebay.push({ id: `${r.chars(LOWER, 8)}_${r.int(10_000)}`, relation: 'retailer' });
  }
  const walmart: SellerEntry[] = [];
  for (let k = 0; k < walmartCount; k++)
    walmart.push({ id: String(100_000 + r.int(899_999_999)), name: sellerName(r) });
  const web: SellerEntry[] = [];
  for (let k = 0; k < webCount; k++)
    web.push({ domain: `${r.chars(LOWER, 9)}.example`, relation: 'retailer' });

  const products: Product[] = [];
  for (let k = 0; k < productCount; k++) {
    const msrp = 20 + r.int(480);
    products.push({
      gtin: gtinOf(r),
      ids: { asin: asinOf(r), sku: `${brandId.slice(-5)}-${k}` },
      name: `${name} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`,
      prices: [
        { currency: 'USD', msrp: money(msrp), floor: money(Math.round(msrp * 0.6)), condition: 'new' },
      ],
    });
  }
  const blocked: NonNullable<Feed['blocked']> = [];
  for (let k = 0; k < spec.blockedPerBrand; k++) {
    blocked.push({ marketplace: 'amazon', id: amazonSellerId(r), reason: 'test purchase was counterfeit' });
  }

  const channels: Feed['channels'] = [
    { marketplace: 'amazon', sites: [...AMAZON_SITES], complete: true, sellers: amazon },
    { marketplace: 'ebay', sites: ['ebay.com'], complete: false, sellers: ebay },
  ];
  if (walmart.length > 0) channels.push({ marketplace: 'walmart', complete: false, sellers: walmart });
  if (web.length > 0) channels.push({ marketplace: 'web', complete: false, sellers: web });

  return {
    brandId,
    version,
    issuedAt: validity.issuedAt,
    expiresAt: validity.expiresAt,
    brand: { name, aliases: [`${name} Official`], website: `https://${brandId}.example` },
    channels,
    blocked,
    products,
  };
}

/** The parts of brand i's feed the check workload uses (built from the feed itself). */
export function brandSample(spec: DatasetSpec, i: number, validity: Validity): BrandSample {
  const feed = brandFeed(spec, i, validity);
  const amazon = feed.channels.find((c) => c.marketplace === 'amazon')?.sellers ?? [];
  return {
    brandId: feed.brandId,
    name: feed.brand.name,
    // Entries with `until` are valid too (in the future), but keep the workload simple.
    amazonSellers: amazon
      .filter((s) => s.id !== undefined && s.until === undefined)
      .map((s) => ({ id: s.id as string, name: s.name ?? '' })),
    blocked: (feed.blocked ?? []).map((b) => ({ id: b.id ?? '' })),
    products: (feed.products ?? []).map((p) => {
      const price = p.prices?.[0];
      return {
        asin: p.ids?.asin ?? '',
        gtin: p.gtin ?? '',
        floor: Number(price?.floor ?? '0'),
        msrp: Number(price?.msrp ?? '0'),
      };
    }),
  };
}

/** What a workload item is meant to exercise; `expect` is the verdict level the rules give. */
export type WorkloadKind =
  | 'authorized'
  | 'not-authorized'
  | 'blocked'
  | 'below-floor'
  | 'title-only'
  | 'unlisted-brand';

export interface WorkloadItem {
  kind: WorkloadKind;
  snapshot: ProductSnapshot;
}

/** The mix of checks: mostly listings whose brand field names a listed brand. */
const MIX: readonly [WorkloadKind, number][] = [
  ['authorized', 0.35],
  ['not-authorized', 0.2],
  ['blocked', 0.1],
  ['below-floor', 0.1],
  ['title-only', 0.15],
  ['unlisted-brand', 0.1],
];

function kindAt(x: number): WorkloadKind {
  let acc = 0;
  for (const [kind, share] of MIX) {
    acc += share;
    if (x < acc) return kind;
  }
  return 'authorized';
}

/**
 * `count` product snapshots as the Amazon adapter would send them from www.amazon.com, over
 * brands spread across the whole data set (so lookups hit every part of the indexes).
 */
export function checkWorkload(
  spec: DatasetSpec,
  count: number,
  validity: Validity,
  seed = spec.seed,
): WorkloadItem[] {
  const r = rng(seedOf(seed, 'workload'));
  const samples = new Map<number, BrandSample>();
  const sampleOf = (i: number) => {
    let s = samples.get(i);
    if (!s) {
      s = brandSample(spec, i, validity);
      samples.set(i, s);
    }
    return s;
  };
  const items: WorkloadItem[] = [];
  for (let n = 0; n < count; n++) {
    const kind = kindAt(r.next());
    const b = sampleOf(r.int(Math.min(spec.brands, 64)) * Math.max(1, Math.floor(spec.brands / 64)));
    const product = b.products.length > 0 ? r.pick(b.products) : null;
    const asin = product?.asin ?? asinOf(r);
    const listed =
      b.amazonSellers.length > 0 ? r.pick(b.amazonSellers) : { id: amazonSellerId(r), name: 'Nobody' };
    const noun = `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`;
    const snapshot: ProductSnapshot = {
      marketplace: 'amazon',
      site: 'amazon.com',
      url: `https://www.amazon.com/dp/${asin}`,
      productId: asin,
      gtin: null,
      title: `${b.name} ${noun}, ${r.pick(['Black', 'White', 'Blue'])}`,
      brand: b.name,
      price: { amount: product ? product.msrp : 49.99, currency: 'USD' },
      seller: { id: listed.id, name: listed.name, isPlatform: false },
      condition: 'new',
    };
    switch (kind) {
      case 'not-authorized':
        snapshot.seller = { id: amazonSellerId(r), name: sellerName(r), isPlatform: false };
        break;
      case 'blocked':
        snapshot.seller = { id: r.pick(b.blocked).id, name: sellerName(r), isPlatform: false };
        break;
      case 'below-floor':
        if (product)
          snapshot.price = { amount: Math.max(1, Math.round(product.floor * 0.5)), currency: 'USD' };
        break;
      case 'title-only':
        snapshot.brand = null;
        break;
      case 'unlisted-brand':
        snapshot.brand = `Zz${capitalize(r.chars(LOWER, 7))}`;
        snapshot.title = `${snapshot.brand} ${noun}`;
        break;
      case 'authorized':
        break;
    }
    items.push({ kind, snapshot });
  }
  return items;
}

/**
 * One brand feed whose SIGNED ENVELOPE is close to `envelopeBytes` (the 5 MB limit of section 4 by
 * default): the payload is base64 in the envelope, so the JSON document is about 3/4 of it.
 * Amazon sellers and products are added until the document reaches its share.
 */
export function bigFeed(envelopeBytes: number, validity: Validity, seed = DEFAULT_SEED): Feed {
  const r = rng(seedOf(seed, 'big-feed'));
  // 3/4 for base64, minus room for the envelope's own fields (payloadType, one signature, indent).
  const target = Math.floor((envelopeBytes - 1024) * 0.75);
  const brandId = 'bench-big';
  const name = 'Bigvalenta';
  const sellers: SellerEntry[] = [];
  const products: Product[] = [];
  const feed: Feed = {
    brandId,
    version: 1,
    issuedAt: validity.issuedAt,
    expiresAt: validity.expiresAt,
    brand: { name, aliases: [`${name} Official`], website: 'https://bench-big.example' },
    channels: [{ marketplace: 'amazon', sites: [...AMAZON_SITES], complete: true, sellers }],
    blocked: [],
    products,
  };
  let size = JSON.stringify(feed).length;
  const utf8Length = (v: unknown) => JSON.stringify(v).length + 1; // ASCII only, plus the comma
  for (let k = 0; ; k++) {
    if (k % 5 === 4) {
      const msrp = 20 + r.int(480);
      const p: Product = {
        gtin: gtinOf(r),
        ids: { asin: asinOf(r), sku: `big-${k}` },
        name: `${name} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`,
        prices: [
          { currency: 'USD', msrp: money(msrp), floor: money(Math.round(msrp * 0.6)), condition: 'new' },
        ],
      };
      const add = utf8Length(p);
      if (size + add > target) break;
      products.push(p);
      size += add;
    } else {
      const s: SellerEntry = { id: amazonSellerId(r), name: sellerName(r), relation: 'retailer' };
      const add = utf8Length(s);
      if (size + add > target) break;
      sellers.push(s);
      size += add;
    }
  }
  return feed;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A small Amazon-style product page (title, byline, price, merchant link, JSON-LD) with `filler`
 * unrelated blocks around it, for extraction timings where the real saved pages are not at hand
 * (the smoke test). Not a copy of any real page.
 */
export function syntheticProductPage(item: WorkloadItem, filler = 200): { html: string; url: string } {
  const s = item.snapshot;
  const r = rng(seedOf('page', s.url));
  const blocks: string[] = [];
  for (let k = 0; k < filler; k++) {
    blocks.push(
      `<div class="a-section s-${k}"><ul>${Array.from({ length: 5 }, (_, j) => `<li><a href="/dp/${asinOf(r)}">${r.pick(NOUNS)} ${j}</a></li>`).join('')}</ul></div>`,
    );
  }
  const seller = s.seller?.id
    ? `<a id="sellerProfileTriggerId" href="/gp/aag/main?seller=${s.seller.id}">${escapeHtml(s.seller.name ?? '')}</a>`
    : '';
  const price = s.price
    ? `<span class="a-price"><span class="a-offscreen">$${s.price.amount.toFixed(2)}</span></span>`
    : '';
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: s.title,
    brand: s.brand,
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(s.title ?? '')}</title>
<link rel="canonical" href="${s.url}"><script type="application/ld+json">${jsonLd}</script></head>
<body><div id="dp">${blocks.slice(0, filler / 2).join('')}
<span id="productTitle">${escapeHtml(s.title ?? '')}</span>
<a id="bylineInfo" href="/stores/x">Visit the ${escapeHtml(s.brand ?? '')} Store</a>
<div id="corePrice_feature_div">${price}</div>
<div id="merchant-info">Sold by ${seller}</div>
<input type="hidden" id="ASIN" value="${s.productId ?? ''}">
${blocks.slice(filler / 2).join('')}</div></body></html>`;
  return { html, url: s.url };
}
