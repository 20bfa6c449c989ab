import { z } from 'zod';
import type { Marketplace } from '../sites/snapshot';
import { formatPath, schemaProblems } from './issues';
import { normalizeName } from './names';
import { Directory, type DocumentKind, Feed, MAX_BYTES, MAX_LIFETIME_MS } from './schema';

/**
 * Checks a document the way a brand needs before signing: every schema problem with its JSON path
 * (errors: verifiers would reject the document), and the mistakes the schema cannot see
 * (warnings: the document is accepted but probably does not say what was meant). Pure: the CLI
 * prints the result, a web tool could too.
 */

export type LintMessage = { path: string; message: string };
export type LintResult = {
  kind: DocumentKind;
  errors: LintMessage[];
  warnings: LintMessage[];
  /** Information, not problems (a missing report endpoint, dates the signer will set). */
  notes: LintMessage[];
};

export type LintOptions = {
  now?: Date;
  /**
   * A document not signed yet: `issuedAt`, `expiresAt` and `version` may be absent (the signer
   * sets them) and their values are not checked against the clock.
   */
  unsigned?: boolean;
  /**
   * Size in bytes of the signed envelope (the body verifiers measure against the limit). Base64
   * makes it about 4/3 of the document, so a 5 MB feed limit means about 3.7 MB of JSON.
   */
  envelopeBytes?: number;
};

/** At most this many messages of one sort are listed; the rest are counted. */
export const MAX_MESSAGES_PER_RULE = 50;

/** "feed" when the document looks like a brand feed, "directory" for the directory, else null. */
export function guessKind(input: unknown): DocumentKind | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  if ('brands' in input && !('channels' in input)) return 'directory';
  if ('brandId' in input || 'channels' in input || 'products' in input) return 'feed';
  return null;
}

/** Registrable domains a marketplace's sites have; `web` is any shop. */
export const SITE_PATTERNS: Record<Marketplace, RegExp> = {
  amazon: /^amazon\./,
  ebay: /^ebay\./,
  walmart: /^walmart\./,
  aliexpress: /^aliexpress\./,
  taobao: /^taobao\./,
  tmall: /^tmall\./,
  jd: /^jd\./,
  etsy: /^etsy\./,
  target: /^target\./,
  bestbuy: /^bestbuy\./,
  shopee: /^shopee\./,
  lazada: /^lazada\./,
  temu: /^temu\./,
  mercadolibre: /^mercado(libre|livre)\./,
  rakuten: /^rakuten\./,
  flipkart: /^flipkart\./,
  mercari: /^mercari\./,
  web: /./,
};

class Collector {
  readonly list: LintMessage[] = [];
  private readonly counts = new Map<string, number>();
  add(rule: string, path: string, message: string): void {
    const n = (this.counts.get(rule) ?? 0) + 1;
    this.counts.set(rule, n);
    if (n <= MAX_MESSAGES_PER_RULE) this.list.push({ path, message });
  }
  finish(): LintMessage[] {
    for (const [rule, n] of this.counts) {
      if (n > MAX_MESSAGES_PER_RULE) {
        this.list.push({
          path: '(document)',
          message: `${n - MAX_MESSAGES_PER_RULE} more "${rule}" messages not shown`,
        });
      }
    }
    return this.list;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** Fields no reader knows are ignored; usually a typo ("seller" for "sellers", "untill"). */
function unknownFields(schema: z.ZodType, value: unknown, path: PropertyKey[], out: Collector): void {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    unknownFields(schema.unwrap() as z.ZodType, value, path, out);
  } else if (schema instanceof z.ZodPipe) {
    unknownFields(schema.in as z.ZodType, value, path, out);
  } else if (schema instanceof z.ZodObject) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const shape = schema.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    for (const [key, child] of Object.entries(value)) {
      const sub = shape[key];
      if (sub === undefined) {
        const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
        out.add(
          'unknown field',
          formatPath([...path, key]),
          `unknown field, ignored by readers${near ? ` (did you mean "${near}"?)` : ''}`,
        );
      } else {
        unknownFields(sub, child, [...path, key], out);
      }
    }
  } else if (schema instanceof z.ZodArray) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      unknownFields(schema.element as z.ZodType, item, [...path, i], out);
    });
  } else if (schema instanceof z.ZodRecord) {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      unknownFields(schema.valueType as z.ZodType, child, [...path, key], out);
    }
  }
}

function describeSites(sites: string[] | undefined): string {
  return !sites || sites.includes('*') ? 'every site' : sites.join(', ');
}

function cents(decimal: string): number {
  return Math.round(Number(decimal) * 10_000);
}

function lintFeed(feed: Feed, now: number, warnings: Collector, notes: Collector): void {
  const authorized = new Map<string, string>(); // marketplace + id/name -> path
  feed.channels.forEach((channel, c) => {
    const at = `channels[${c}]`;
    if (channel.complete && channel.sellers.length === 0) {
      warnings.add(
        'nobody is authorized',
        at,
        `complete is true and sellers is empty: nobody is authorized to sell on ${channel.marketplace} (${describeSites(channel.sites)}); every seller there is "not authorized"`,
      );
    }
    const sites = channel.sites;
    if (sites) {
      if (sites.length === 0)
        warnings.add(
          'sites',
          `${at}.sites`,
          'empty: this channel covers no site (leave sites out or use ["*"] for every site)',
        );
      if (sites.includes('*') && sites.length > 1)
        warnings.add('sites', `${at}.sites`, '"*" already means every site; the other entries are redundant');
      sites.forEach((site, s) => {
        if (site === '*') return;
        if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(site) || site.startsWith('www.')) {
          warnings.add(
            'sites',
            `${at}.sites[${s}]`,
            `${JSON.stringify(site)} is not a registrable domain such as "amazon.co.uk" (no scheme, no www., no path, lower case)`,
          );
        } else if (!SITE_PATTERNS[channel.marketplace].test(site)) {
          warnings.add(
            'sites',
            `${at}.sites[${s}]`,
            `${JSON.stringify(site)} is not a site of the marketplace "${channel.marketplace}"`,
          );
        }
      });
    }
    const seen = new Map<string, number>();
    channel.sellers.forEach((seller, s) => {
      const sp = `${at}.sellers[${s}]`;
      const key =
        seller.id !== undefined
          ? `id:${seller.id}`
          : seller.domain !== undefined
            ? `domain:${seller.domain.toLowerCase()}`
            : `name:${normalizeName(seller.name ?? '')}`;
      const first = seen.get(key);
      if (first !== undefined) {
        warnings.add(
          'duplicate seller',
          sp,
          `duplicate of ${at}.sellers[${first}] (${key.replace(':', ' ')})`,
        );
      } else {
        seen.set(key, s);
      }
      if (seller.until !== undefined && Date.parse(seller.until) < now) {
        warnings.add(
          'until',
          `${sp}.until`,
          `${seller.until} is past: this seller no longer counts as authorized`,
        );
      }
      if (seller.id !== undefined) {
        if (channel.marketplace === 'amazon' && !/^[A-Z0-9]{10,16}$/.test(seller.id)) {
          warnings.add(
            'seller id',
            `${sp}.id`,
            `${JSON.stringify(seller.id)} does not look like an Amazon merchant id (10-16 uppercase letters and digits, the seller= of offer links)`,
          );
        }
        if (channel.marketplace === 'ebay' && seller.id !== seller.id.toLowerCase()) {
          warnings.add(
            'seller id',
            `${sp}.id`,
            `eBay user names are written in lower case: ${JSON.stringify(seller.id.toLowerCase())}`,
          );
        }
      }
      if (channel.marketplace === 'web' && seller.domain === undefined) {
        warnings.add('web seller', sp, 'a "web" seller is matched by its domain; this one has none');
      }
      if (
        channel.marketplace !== 'web' &&
        seller.domain !== undefined &&
        seller.id === undefined &&
        seller.name === undefined
      ) {
        warnings.add(
          'web seller',
          sp,
          `only "web" sellers are matched by domain; on ${channel.marketplace} give an id or a name`,
        );
      }
      for (const k of [seller.id && `id:${seller.id}`, seller.name && `name:${normalizeName(seller.name)}`]) {
        if (k && !authorized.has(`${channel.marketplace}|${k}`))
          authorized.set(`${channel.marketplace}|${k}`, sp);
      }
    });
    feed.channels.forEach((other, o) => {
      if (o <= c || other.marketplace !== channel.marketplace) return;
      const a = channel.sites ?? ['*'];
      const b = other.sites ?? ['*'];
      const overlap = a.includes('*') || b.includes('*') ? ['*'] : a.filter((s) => b.includes(s));
      if (overlap.length > 0) {
        warnings.add(
          'overlapping channels',
          at,
          `overlaps channels[${o}] on ${channel.marketplace} (${overlap.includes('*') ? 'every site' : overlap.join(', ')}); one channel per marketplace and site is clearer`,
        );
      }
    });
  });

  const blockedSeen = new Map<string, number>();
  (feed.blocked ?? []).forEach((entry, b) => {
    const bp = `blocked[${b}]`;
    const keys = [entry.id && `id:${entry.id}`, entry.name && `name:${normalizeName(entry.name)}`].filter(
      (k): k is string => typeof k === 'string' && k.length > 0,
    );
    for (const k of keys) {
      const clash = authorized.get(`${entry.marketplace}|${k}`);
      if (clash) warnings.add('blocked and authorized', bp, `this seller is also authorized at ${clash}`);
    }
    const first = blockedSeen.get(`${entry.marketplace}|${keys[0]}`);
    if (first !== undefined) warnings.add('duplicate blocked', bp, `duplicate of blocked[${first}]`);
    else blockedSeen.set(`${entry.marketplace}|${keys[0]}`, b);
  });

  const gtins = new Map<string, number>();
  (feed.products ?? []).forEach((product, p) => {
    const pp = `products[${p}]`;
    if (product.gtin !== undefined) {
      const first = gtins.get(product.gtin);
      if (first !== undefined)
        warnings.add('duplicate gtin', `${pp}.gtin`, `same GTIN as products[${first}]`);
      else gtins.set(product.gtin, p);
    }
    if (product.gtin === undefined && (!product.ids || Object.keys(product.ids).length === 0)) {
      warnings.add('product id', pp, 'no gtin and no ids: no listing can be matched to this product');
    }
    const priceKeys = new Map<string, number>();
    (product.prices ?? []).forEach((price, i) => {
      const at = `${pp}.prices[${i}]`;
      if (price.floor !== undefined && price.msrp !== undefined && cents(price.floor) > cents(price.msrp)) {
        warnings.add(
          'floor above msrp',
          at,
          `floor ${price.floor} is above msrp ${price.msrp} ${price.currency}`,
        );
      }
      const key = `${price.currency}|${price.condition ?? 'any'}`;
      const first = priceKeys.get(key);
      if (first !== undefined) {
        warnings.add(
          'duplicate price',
          at,
          `a second ${price.currency} price for condition ${price.condition ?? '(any)'}; see prices[${first}]`,
        );
      } else {
        priceKeys.set(key, i);
      }
    });
  });

  if (!feed.report)
    notes.add('report', 'report', 'no report endpoint: shoppers cannot send you reports of suspect listings');
  if (feed.channels.length === 0)
    notes.add('channels', 'channels', 'no channels: the feed says nothing about who may sell');
}

function lintDirectory(directory: Directory, warnings: Collector, notes: Collector): void {
  const brandIds = new Map<string, number>();
  const keyOwners = new Map<string, string>();
  directory.brands.forEach((brand, b) => {
    const bp = `brands[${b}]`;
    const first = brandIds.get(brand.brandId);
    if (first !== undefined)
      warnings.add('duplicate brand', `${bp}.brandId`, `brandId "${brand.brandId}" is also brands[${first}]`);
    else brandIds.set(brand.brandId, b);
    const keyids = new Set<string>();
    brand.keys.forEach((key, k) => {
      if (keyids.has(key.keyid))
        warnings.add(
          'duplicate keyid',
          `${bp}.keys[${k}].keyid`,
          `keyid "${key.keyid}" appears twice in this brand`,
        );
      keyids.add(key.keyid);
      const owner = keyOwners.get(key.publicKey);
      if (owner !== undefined && owner !== brand.brandId) {
        warnings.add(
          'shared key',
          `${bp}.keys[${k}].publicKey`,
          `this key is also pinned for brand "${owner}"`,
        );
      }
      keyOwners.set(key.publicKey, brand.brandId);
    });
    if (brand.status === 'revoked')
      notes.add('revoked', `${bp}.status`, `brand "${brand.brandId}" is revoked: its feeds are dropped`);
  });
}

/**
 * Lints a parsed JSON document of the given kind. Never throws; an input that is not even an
 * object is one error.
 */
export function lintDocument(input: unknown, kind: DocumentKind, options: LintOptions = {}): LintResult {
  const errors = new Collector();
  const warnings = new Collector();
  const notes = new Collector();
  const now = options.now?.getTime() ?? Date.now();
  const done = (): LintResult => ({
    kind,
    errors: errors.finish(),
    warnings: warnings.finish(),
    notes: notes.finish(),
  });

  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    errors.add('schema', '(document)', `expected a JSON object (a ${kind})`);
    return done();
  }
  let candidate: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  if (options.unsigned) {
    const filled: string[] = [];
    const iso = new Date(now).toISOString();
    if (candidate.issuedAt === undefined) {
      candidate = { ...candidate, issuedAt: iso };
      filled.push('issuedAt');
    }
    if (candidate.expiresAt === undefined) {
      candidate = { ...candidate, expiresAt: iso };
      filled.push('expiresAt');
    }
    if (candidate.version === undefined) {
      candidate = { ...candidate, version: 0 };
      filled.push('version');
    }
    if (filled.length > 0)
      notes.add(
        'unsigned',
        '(document)',
        `${filled.join(', ')} absent: sign sets ${filled.length === 1 ? 'it' : 'them'}`,
      );
  }

  const schema = kind === 'feed' ? Feed : Directory;
  unknownFields(schema, candidate, [], warnings);
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    for (const p of schemaProblems(parsed.error, candidate)) errors.add('schema', p.path, p.message);
    return done();
  }
  const document = parsed.data;

  if (!options.unsigned) {
    const issued = Date.parse(document.issuedAt);
    const expires = Date.parse(document.expiresAt);
    const max = MAX_LIFETIME_MS[kind];
    if (issued - now > 24 * 3_600_000)
      errors.add('dates', 'issuedAt', 'more than 24 h in the future: rejected as not-yet-valid');
    if (expires <= issued) errors.add('dates', 'expiresAt', 'not after issuedAt: rejected as expired');
    else if (expires - issued > max)
      errors.add(
        'dates',
        'expiresAt',
        `more than ${max / 86_400_000} days after issuedAt: rejected as expired`,
      );
    if (expires < now) errors.add('dates', 'expiresAt', 'already past: rejected as expired');
    else if (expires - now < Math.min(7 * 86_400_000, (expires - issued) / 4)) {
      warnings.add(
        'dates',
        'expiresAt',
        `expires soon (${document.expiresAt}): re-sign and publish a new version`,
      );
    }
  }
  if (options.envelopeBytes !== undefined) {
    const limit = MAX_BYTES[kind];
    const size = options.envelopeBytes;
    if (size > limit)
      errors.add(
        'size',
        '(document)',
        `the signed envelope is ${size} bytes, over the ${limit} byte limit: rejected as too-large`,
      );
    else if (size > limit * 0.8)
      warnings.add(
        'size',
        '(document)',
        `the signed envelope is ${size} bytes, close to the ${limit} byte limit; consider splitting products into another feed`,
      );
  }

  if ('brandId' in document) lintFeed(document, now, warnings, notes);
  else lintDirectory(document, warnings, notes);
  return done();
}
