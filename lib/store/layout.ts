import { z } from 'zod';
import type { Feed } from '../feed/schema';
import type { Marketplace } from '../sites/snapshot';
import { normalizeProductId, normalizeSellerId, normalizeSellerName, normalizeSite } from './keys';
import type { ChannelRow, Layout, PartCounts } from './records';

/**
 * The bulk rows one feed becomes (lib/store/index.ts describes the whole database). Built by ONE
 * function, `feedRecords`, which importFeed writes and the benchmark's floor bulk-puts, so the two
 * can never drift apart.
 *
 * `buckets` store, out-of-line keys [g, kind, n] (g = the feed's generation), values text, one
 * item a line, so that a reader finds the line it needs with indexOf and parses only that line:
 * - [g, "s", n]: seller entries seq n*sc .. n*sc+sc-1 (seq runs over all channels of the feed, in
 *   feed order), a line each: the JSON of a SellerEntryRecord [channel index, id or domain, name,
 *   relation, until] with absent fields null and trailing nulls left out.
 * - [g, "p", n]: products seq n*pc .. n*pc+pc-1, a line each: the JSON of the feed's Product as it
 *   was verified.
 * - [g, "k", n]: lookup bucket n of k: a line "token:seq[,seq...]" for every lookup key whose
 *   FNV-1a hash h has h % k === n; the token is h in base 36. Lookup keys: "i" + normalized seller
 *   id (domain on "web"), "n" + normalized seller name, "t" + GTIN-14, "k" + normalized product
 *   id; i/n point at seller seqs, t/k at product seqs. About KEYS_PER_BUCKET keys a bucket. A
 *   token stands for its key's hash, not the key: readers check every entry they are pointed at
 *   against the key they looked up (so a hash collision, or a damaged bucket, costs a wasted read,
 *   never a wrong answer).
 * - [g, "a", 0]: a small feed's only row (layout.a): its lookup bucket, seller chunk and product
 *   chunk (the rows [g, "k", 0], [g, "s", 0], [g, "p", 0] it would otherwise have), in that order,
 *   separated by SECTION.
 * (JSON.stringify escapes line breaks, so a JSON line never holds one.)
 * `blocked` store, out-of-line keys [marketplace, "i"|"n", normalized id or name, g, seq], value
 * { b: brandId, e: { id?, name?, reason? } }: one row per lookup key of each blocked seller, so
 * that a seller is found across every brand with one key-range read.
 */

/**
 * Row sizes. A reader scans a row for its line with indexOf and parses that line only, so larger
 * rows cost a read little, while every row costs an import a put: a typical feed (200 sellers,
 * 40 products, about 460 lookup keys) fits one lookup bucket, one seller chunk and one product
 * chunk, which are then packed into one row.
 */
export const KEYS_PER_BUCKET = 512;
export const SELLERS_PER_CHUNK = 512;
export const PRODUCTS_PER_CHUNK = 128;

/** Separates the sections of a packed row ([g, "a", 0]); JSON.stringify escapes it, so no line holds it. */
export const SECTION = '\u0001';

export type BucketKind = 'k' | 's' | 'p' | 'a';
export type BucketKey = [g: number, kind: BucketKind, n: number];
export type BlockedKind = 'i' | 'n';
export type BlockedKey = [marketplace: Marketplace, kind: BlockedKind, key: string, g: number, seq: number];

const Str = z.string().max(4096);
const Field = Str.nullable().optional();
const Seq = z.number().int().nonnegative();

/** [channel index, id or domain, name, relation, until]. */
export const SellerEntryRecord = z.tuple([Seq, Field, Field, Field, Field]);
export type SellerEntryRecord = z.infer<typeof SellerEntryRecord>;

export const BlockedValue = z.object({
  b: z.string().max(64),
  e: z.object({ id: Str.optional(), name: Str.optional(), reason: Str.optional() }),
});
export type BlockedValue = z.infer<typeof BlockedValue>;

/** A generation's blocked row keys without g, as kept (JSON) on its brand part, then its retired generation row. */
export const BlockedKeyList = z.array(
  z.tuple([z.string().max(64), z.enum(['i', 'n']), z.string().max(4096), Seq]),
);

export type StoreRecord =
  | { store: 'buckets'; key: BucketKey; value: string }
  | { store: 'blocked'; key: BlockedKey; value: BlockedValue };

/** What one feed becomes: the bulk rows, and what its brand part and generation row keep. */
export interface FeedRecords {
  channels: ChannelRow[];
  counts: PartCounts;
  layout: Layout;
  /** BrandPart.blocked (and, once retired, GenerationRow.blocked). */
  blockedKeys: string;
  records: StoreRecord[];
}

/** FNV-1a, 32 bits, over the string's UTF-16 code units (from `h`, to hash a prefix and a rest). */
export function fnv1a(text: string, h = 0x811c9dc5): number {
  let hash = h;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export const lookupKey = {
  sellerId: (normalizedId: string) => `i${normalizedId}`,
  sellerName: (normalizedName: string) => `n${normalizedName}`,
  gtin: (gtin: string) => `t${gtin}`,
  productId: (normalizedId: string) => `k${normalizedId}`,
};

/** Which lookup bucket (of `buckets`) holds a key, and the key's token in it. */
export function lookupSlot(key: string, buckets: number): { bucket: number; token: string } {
  const h = fnv1a(key);
  return { bucket: h % buckets, token: h.toString(36) };
}

function normalizeSites(sites: string[] | undefined): string[] | null {
  if (sites === undefined || sites.includes('*')) return null;
  return [...new Set(sites.map(normalizeSite))];
}

/** Trailing absent fields left out: most entries have no `until`, many no relation. */
function sellerRecord(
  c: number,
  id: string | undefined,
  name: string | undefined,
  relation: string | undefined,
  until: string | undefined,
): SellerEntryRecord {
  const fields = [id ?? null, name ?? null, relation ?? null, until ?? null];
  while (fields.length > 0 && fields[fields.length - 1] === null) fields.pop();
  return [c, ...fields] as SellerEntryRecord;
}

interface Prepared {
  channels: ChannelRow[];
  counts: PartCounts;
  layout: Layout;
  blockedKeys: string;
  buckets: { kind: BucketKind; n: number; value: string }[];
  blocked: { m: Marketplace; kind: BlockedKind; key: string; seq: number; value: BlockedValue }[];
}

/** The generation-independent work of feedRecords (serializing), done before a transaction opens. */
export interface PreparedFeed {
  readonly prepared: Prepared;
}

export function prepareFeed(feed: Feed): PreparedFeed {
  // Lookup key hash -> seqs (a number while there is one). Keys with one hash share the entry.
  const lookups = new Map<number, number | number[]>();
  const point = (prefix: string, key: string, seq: number) => {
    const h = fnv1a(key, fnv1a(prefix));
    const had = lookups.get(h);
    if (had === undefined) lookups.set(h, seq);
    else if (typeof had === 'number') {
      if (had !== seq) lookups.set(h, [had, seq]);
    } else if (had[had.length - 1] !== seq) had.push(seq);
  };

  const sellerChunks: SellerEntryRecord[][] = [];
  let seq = 0;
  const channels: ChannelRow[] = feed.channels.map((channel, c) => {
    const m = channel.marketplace;
    for (const e of channel.sellers) {
      const idSource = e.id ?? e.domain;
      const id = idSource === undefined ? '' : normalizeSellerId(m, idSource);
      const name = e.name === undefined ? '' : normalizeSellerName(e.name);
      if (id !== '') point('i', id, seq);
      if (name !== '') point('n', name, seq);
      const chunk = Math.floor(seq / SELLERS_PER_CHUNK);
      if (sellerChunks[chunk] === undefined) sellerChunks[chunk] = [];
      sellerChunks[chunk].push(sellerRecord(c, idSource, e.name, e.relation, e.until));
      seq++;
    }
    return {
      marketplace: m,
      sites: normalizeSites(channel.sites),
      complete: channel.complete,
      sellerCount: channel.sellers.length,
    };
  });
  const sellers = seq;

  const productChunks: unknown[][] = [];
  const products = feed.products ?? [];
  products.forEach((p, s) => {
    if (p.gtin !== undefined) point('t', p.gtin, s);
    for (const id of new Set(Object.values(p.ids ?? {}).map(normalizeProductId))) {
      if (id !== '') point('k', id, s);
    }
    const chunk = Math.floor(s / PRODUCTS_PER_CHUNK);
    if (productChunks[chunk] === undefined) productChunks[chunk] = [];
    productChunks[chunk].push(p);
  });

  const blocked: Prepared['blocked'] = [];
  (feed.blocked ?? []).forEach((e, s) => {
    const value: BlockedValue = { b: feed.brandId, e: {} };
    if (e.id !== undefined) value.e.id = e.id;
    if (e.name !== undefined) value.e.name = e.name;
    if (e.reason !== undefined) value.e.reason = e.reason;
    const id = e.id === undefined ? '' : normalizeSellerId(e.marketplace, e.id);
    const name = e.name === undefined ? '' : normalizeSellerName(e.name);
    if (id !== '') blocked.push({ m: e.marketplace, kind: 'i', key: id, seq: s, value });
    if (name !== '') blocked.push({ m: e.marketplace, kind: 'n', key: name, seq: s, value });
  });

  const k = Math.ceil(lookups.size / KEYS_PER_BUCKET);
  const lookupBuckets: string[][] = Array.from({ length: k }, () => []);
  for (const [h, seqs] of lookups) {
    (lookupBuckets[h % k] as string[]).push(
      `${h.toString(36)}:${typeof seqs === 'number' ? seqs : seqs.join(',')}`,
    );
  }

  const buckets: Prepared['buckets'] = [];
  const lines = (items: unknown[]) => items.map((item) => JSON.stringify(item)).join('\n');
  // A feed that fits one bucket and one chunk of each kind is one row: one put, and one get for
  // a lookup and the entry it points at.
  const packed = k <= 1 && sellerChunks.length <= 1 && productChunks.length <= 1;
  if (packed && (k > 0 || sellerChunks.length > 0 || productChunks.length > 0)) {
    const sections = [
      (lookupBuckets[0] ?? []).join('\n'),
      lines(sellerChunks[0] ?? []),
      lines(productChunks[0] ?? []),
    ];
    buckets.push({ kind: 'a', n: 0, value: sections.join(SECTION) });
  } else if (!packed) {
    sellerChunks.forEach((chunk, n) => {
      buckets.push({ kind: 's', n, value: lines(chunk) });
    });
    productChunks.forEach((chunk, n) => {
      buckets.push({ kind: 'p', n, value: lines(chunk) });
    });
    lookupBuckets.forEach((entries, n) => {
      // An empty bucket is not written: a missing row reads as "no such key".
      if (entries.length > 0) buckets.push({ kind: 'k', n, value: entries.join('\n') });
    });
  }

  return {
    prepared: {
      channels,
      counts: { sellers, blocked: feed.blocked?.length ?? 0, products: products.length },
      layout: {
        k,
        s: sellerChunks.length,
        p: productChunks.length,
        sc: SELLERS_PER_CHUNK,
        pc: PRODUCTS_PER_CHUNK,
        a: packed,
      },
      blockedKeys: JSON.stringify(blocked.map((b) => [b.m, b.kind, b.key, b.seq])),
      buckets,
      blocked,
    },
  };
}

/** About how many bytes of rows a prepared feed becomes (to size a shared import transaction). */
export function preparedSize({ prepared }: PreparedFeed): number {
  let size = prepared.blockedKeys.length;
  for (const b of prepared.buckets) size += b.value.length;
  for (const b of prepared.blocked) size += 64 + b.key.length;
  return size;
}

/** The records of a prepared feed under generation g. */
export function placeFeed({ prepared }: PreparedFeed, g: number): FeedRecords {
  const records: StoreRecord[] = [];
  for (const b of prepared.buckets) records.push({ store: 'buckets', key: [g, b.kind, b.n], value: b.value });
  for (const b of prepared.blocked) {
    records.push({ store: 'blocked', key: [b.m, b.kind, b.key, g, b.seq], value: b.value });
  }
  return {
    channels: prepared.channels,
    counts: prepared.counts,
    layout: prepared.layout,
    blockedKeys: prepared.blockedKeys,
    records,
  };
}

/** Every bulk record importFeed writes for `feed` under generation g. */
export function feedRecords(feed: Feed, g: number): FeedRecords {
  return placeFeed(prepareFeed(feed), g);
}

// ---- read side --------------------------------------------------------------------------------

/** A lookup bucket line's seqs: decimal integers separated by commas. */
const SeqList = z.string().regex(/^\d{1,15}(,\d{1,15}){0,99999}$/);

/** The seqs a lookup bucket row lists under a token (none when absent, damaged or not text). */
export function seqsIn(raw: unknown, token: string): number[] {
  if (typeof raw !== 'string') return [];
  const head = `${token}:`;
  let start: number;
  if (raw.startsWith(head)) start = head.length;
  else {
    const at = raw.indexOf(`\n${head}`);
    if (at < 0) return [];
    start = at + 1 + head.length;
  }
  const end = raw.indexOf('\n', start);
  const field = SeqList.safeParse(raw.slice(start, end < 0 ? raw.length : end));
  return field.success ? field.data.split(',').map(Number) : [];
}

/** Section `index` of a packed row (0 lookups, 1 sellers, 2 products); undefined unless text. */
export function sectionOf(raw: unknown, index: number): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const sections = raw.split(SECTION);
  return sections.length === 3 ? sections[index] : undefined;
}

/** Line `index` of a chunk row, JSON-parsed; undefined when missing, damaged or not text. */
export function lineAt(raw: unknown, index: number): unknown {
  if (typeof raw !== 'string' || !Number.isSafeInteger(index) || index < 0) return undefined;
  let start = 0;
  for (let i = 0; i < index; i++) {
    const next = raw.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
  }
  const end = raw.indexOf('\n', start);
  try {
    return JSON.parse(raw.slice(start, end < 0 ? raw.length : end));
  } catch {
    return undefined;
  }
}
