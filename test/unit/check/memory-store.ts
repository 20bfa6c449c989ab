import { normalizeName } from '../../../lib/feed/names';
import type { Feed, Product } from '../../../lib/feed/schema';
import type { Marketplace } from '../../../lib/sites/snapshot';
import type {
  BlockedMatch,
  BrandRecord,
  ChannelRecord,
  ProductKeys,
  SellerKey,
  SellerMatch,
  StoreReader,
} from '../../../lib/store/types';

/**
 * StoreReader over plain Feed objects, for unit tests of lib/check. It answers each question
 * the way lib/store/types.ts documents it, by scanning (the real store uses indexes):
 * - names: a brand's name and aliases, normalized with normalizeName;
 * - channels cover a site when `sites` is missing, contains "*", or contains the site;
 * - sellers match by id when the page shows one (ids compared case-insensitively), else by
 *   normalized name; on "web" the id is the shop's domain (entry.domain);
 * - the blocked list is searched across every brand, as the real store does.
 * The check engine, not the store, decides what an entry's `until` means.
 */

export interface MemoryFeed {
  feed: Feed;
  url?: string;
  lastSync?: string | null;
}

const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase();
const site = (s: string) =>
  fold(s)
    .replace(/\.$/, '')
    .replace(/^www\./, '');

export function createMemoryStore(feeds: readonly MemoryFeed[]): StoreReader & { calls: string[] } {
  const byId = new Map<string, { feed: Feed; url: string; lastSync: string | null }>();
  for (const f of feeds) {
    byId.set(f.feed.brandId, {
      feed: f.feed,
      url: f.url ?? `https://${f.feed.brandId}.example/.well-known/genuine-feed.json`,
      lastSync: f.lastSync ?? null,
    });
  }
  const calls: string[] = [];

  const record = (brandId: string): BrandRecord | null => {
    const entry = byId.get(brandId);
    if (!entry) return null;
    const { feed, url, lastSync } = entry;
    return {
      brandId: feed.brandId,
      name: feed.brand.name,
      aliases: feed.brand.aliases ?? [],
      website: feed.brand.website ?? null,
      contact: feed.brand.contact ?? null,
      reportEndpoint: feed.report?.endpoint ?? null,
      feedUrl: url,
      feedVersion: feed.version,
      issuedAt: feed.issuedAt,
      expiresAt: feed.expiresAt,
      lastSync,
      marketplaces: [...new Set(feed.channels.map((c) => c.marketplace))],
    };
  };

  const covering = (brandId: string, marketplace: Marketplace, s: string) => {
    const feed = byId.get(brandId)?.feed;
    if (!feed) return [];
    return feed.channels.filter(
      (c) =>
        c.marketplace === marketplace &&
        (c.sites === undefined || c.sites.includes('*') || c.sites.map(site).includes(site(s))),
    );
  };

  const keysOf = (brandId: string): string[] => {
    const feed = byId.get(brandId)?.feed;
    if (!feed) return [];
    return [...new Set([feed.brand.name, ...(feed.brand.aliases ?? [])].map(normalizeName))];
  };

  return {
    calls,
    async findBrandsByName(key) {
      calls.push(`findBrandsByName:${key}`);
      return [...byId.keys()].filter((id) => keysOf(id).includes(key)).map((id) => record(id) as BrandRecord);
    },
    async brandNameKeys() {
      calls.push('brandNameKeys');
      return [...byId.keys()].flatMap((brandId) => keysOf(brandId).map((key) => ({ key, brandId })));
    },
    async getBrand(brandId) {
      return record(brandId);
    },
    async channels(brandId, marketplace, s): Promise<ChannelRecord[]> {
      calls.push(`channels:${brandId}:${marketplace}:${s}`);
      return covering(brandId, marketplace, s).map((c) => ({
        brandId,
        marketplace: c.marketplace,
        sites: c.sites === undefined || c.sites.includes('*') ? null : c.sites,
        complete: c.complete,
        sellerCount: c.sellers.length,
      }));
    },
    async findSeller(brandId, marketplace, s, seller: SellerKey): Promise<SellerMatch | null> {
      calls.push(`findSeller:${brandId}:${marketplace}:${s}`);
      for (const c of covering(brandId, marketplace, s)) {
        for (const e of c.sellers) {
          const entryId = marketplace === 'web' ? (e.domain ?? e.id) : e.id;
          const hit =
            seller.id !== null
              ? entryId !== undefined &&
                (marketplace === 'web'
                  ? site(entryId) === site(seller.id)
                  : fold(entryId) === fold(seller.id))
              : seller.name !== null &&
                e.name !== undefined &&
                normalizeName(e.name) === normalizeName(seller.name);
          if (hit) {
            const entry: SellerMatch['entry'] = {};
            if (e.id !== undefined) entry.id = e.id;
            if (e.name !== undefined) entry.name = e.name;
            if (e.relation !== undefined) entry.relation = e.relation;
            if (e.until !== undefined) entry.until = e.until;
            return {
              brandId,
              channel: {
                brandId,
                marketplace: c.marketplace,
                sites: c.sites === undefined || c.sites.includes('*') ? null : c.sites,
                complete: c.complete,
                sellerCount: c.sellers.length,
              },
              entry,
            };
          }
        }
      }
      return null;
    },
    async findBlocked(marketplace, seller): Promise<BlockedMatch[]> {
      calls.push(`findBlocked:${marketplace}`);
      const out: BlockedMatch[] = [];
      for (const { feed } of byId.values()) {
        for (const b of feed.blocked ?? []) {
          if (b.marketplace !== marketplace) continue;
          const hit =
            (seller.id !== null && b.id !== undefined && fold(b.id) === fold(seller.id)) ||
            (seller.name !== null &&
              b.name !== undefined &&
              normalizeName(b.name) === normalizeName(seller.name));
          if (hit) {
            const m: BlockedMatch = { brandId: feed.brandId, marketplace };
            if (b.id !== undefined) m.id = b.id;
            if (b.name !== undefined) m.name = b.name;
            if (b.reason !== undefined) m.reason = b.reason;
            out.push(m);
          }
        }
      }
      return out;
    },
    async findProduct(brandId, keys: ProductKeys): Promise<Product | null> {
      calls.push(`findProduct:${brandId}`);
      const products = byId.get(brandId)?.feed.products ?? [];
      if (keys.gtin !== null) {
        const byGtin = products.find((p) => p.gtin === keys.gtin);
        if (byGtin) return byGtin;
      }
      if (keys.productId !== null) {
        const pid = fold(keys.productId);
        const byPid = products.find((p) => Object.values(p.ids ?? {}).some((v) => fold(v) === pid));
        if (byPid) return byPid;
      }
      return null;
    },
  };
}
