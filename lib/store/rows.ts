import type { Feed } from '../feed/schema';
import { normalizeProductId, normalizeSellerId, normalizeSellerName, normalizeSite } from './keys';
import type { BlockedRow, BrandPart, ChannelRow, ProductRow, SellerRow } from './records';

/**
 * The rows one feed becomes under generation g, handed to a sink one by one (importFeed's sink
 * puts them without awaiting; the benchmark's floor collects them to time a bare bulk put of
 * exactly the same rows). One function, so the two can never drift apart.
 */
export interface RowSink {
  seller(row: SellerRow): void;
  blocked(row: BlockedRow): void;
  product(row: ProductRow): void;
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}

function normalizeSites(sites: string[] | undefined): string[] | null {
  if (sites === undefined || sites.includes('*')) return null;
  return [...new Set(sites.map(normalizeSite))];
}

/** Emits every row of the feed; returns what the brand row keeps about it (channels, counts). */
export function feedRows(feed: Feed, g: number, sink: RowSink): Pick<BrandPart, 'channels' | 'counts'> {
  const b = feed.brandId;
  let s = 0;
  const channels: ChannelRow[] = feed.channels.map((channel, c) => {
    const m = channel.marketplace;
    for (const e of channel.sellers) {
      const idSource = e.id ?? e.domain;
      const i = idSource === undefined ? '' : normalizeSellerId(m, idSource);
      const row: SellerRow = { g, m, i, s: s++, c, e };
      const n = e.name === undefined ? undefined : nonEmpty(normalizeSellerName(e.name));
      if (n !== undefined) row.n = n;
      sink.seller(row);
    }
    return {
      marketplace: m,
      sites: normalizeSites(channel.sites),
      complete: channel.complete,
      sellerCount: channel.sellers.length,
    };
  });
  const sellers = s;

  s = 0;
  for (const e of feed.blocked ?? []) {
    const entry: BlockedRow['e'] = {};
    if (e.id !== undefined) entry.id = e.id;
    if (e.name !== undefined) entry.name = e.name;
    if (e.reason !== undefined) entry.reason = e.reason;
    const row: BlockedRow = { g, s: s++, b, m: e.marketplace, e: entry };
    const i = e.id === undefined ? undefined : nonEmpty(normalizeSellerId(e.marketplace, e.id));
    const n = e.name === undefined ? undefined : nonEmpty(normalizeSellerName(e.name));
    if (i !== undefined) row.i = i;
    if (n !== undefined) row.n = n;
    sink.blocked(row);
  }
  const blocked = s;

  s = 0;
  for (const p of feed.products ?? []) {
    const ids = [...new Set(Object.values(p.ids ?? {}).map(normalizeProductId))].filter((v) => v !== '');
    const row: ProductRow = { g, s: s++, b, k: ids.map((v): [string, string] => [b, v]), p };
    if (p.gtin !== undefined) row.t = p.gtin;
    sink.product(row);
  }
  return { channels, counts: { sellers, blocked, products: s } };
}
