import type { PriceEntry } from '../feed/schema';
import type { ProductSnapshot } from '../sites/snapshot';
import type { BrandRecord, SellerKey, SellerMatch, StoreReader } from '../store/types';
import { detectBrand } from './brand';
import type { BrandInfo, Evidence, Level, Reason, ReasonCode, Verdict } from './types';

/**
 * The verdict engine: one product page against the brand lists held locally. Pure apart from
 * the store reads; the clock is a parameter. Rules (shared/design/feed-format.md section 3):
 *
 * - Brand: lib/check/brand.ts, conservative. No brand on the page and none in the title ->
 *   unknown (no-brand); a brand we hold no list for -> unknown (no-feed); two brands fit ->
 *   unknown (no-brand).
 * - An expired list gives unknown (feed-expired) and nothing else, even for a blocked seller:
 *   stale data is worse than none.
 * - Nothing to buy (no price, no seller) -> unknown (not-for-sale).
 * - Blocked: only the detected brand's blocked list counts. A seller another brand caught selling
 *   fakes of ITS products says nothing about this listing, and when no brand is detected a blocked
 *   seller is not reported either: every danger must be about this product and this brand.
 * - Authorized: the seller is matched by id when the page shows one, else by name (the store does
 *   the matching, lib/store); an entry whose `until` is past does not count. Listed -> ok
 *   (seller-authorized, or platform-authorized when the marketplace itself sells).
 * - Not listed on a channel marked complete that covers this marketplace and site -> danger
 *   (seller-not-authorized: "not an authorized seller", never "fake"); an empty complete list
 *   means nobody is authorized. Not listed and only incomplete channels -> caution
 *   (seller-not-verified).
 * - The marketplace selling itself (Amazon.com, Walmart.com, JD self-operated) but not on the
 *   brand's complete list: the brand has not authorized it, yet a platform buying from
 *   distributors is far less likely to sell fakes than an anonymous third party, and shoppers
 *   trust it for good reason. So: caution (seller-not-verified, evidence.platform = true), not
 *   danger.
 * - No channel for this marketplace -> unknown (no-channel); the blocked list and price floor
 *   still apply because they do not depend on channels.
 * - Seller unreadable (seller null, or neither id nor name, while a price shows) -> unknown
 *   (seller-unreadable), never danger; only the price signal can then add caution. On the
 *   brand's own and partners' web shops (marketplace "web") the shop's registrable domain is the
 *   seller, so a web page always has a readable seller id.
 * - Price: a NEW item (condition "new" or not stated) priced below the floor for the same
 *   currency -> caution (price-below-floor) with percentBelow against the MSRP, or the floor when
 *   there is no MSRP. A different currency is no signal. Used and refurbished items are exempt
 *   (used-item, neutral): the seller is still judged as for any other listing.
 * - Level = the worst reason: danger > caution > ok > unknown. Unknown (and the neutral used-item
 *   note) never overrides a real signal.
 *
 * Message arguments (messageArgs, in order) per reason follow lib/ui/reasons.ts REASON_ARGS, the
 * contract with public/_locales (prices as "39.99 USD", dates as YYYY-MM-DD, the site rather than
 * the marketplace id so that amazon.de and amazon.com differ):
 *   seller-blocked:        seller, brand            (the brand's reason is evidence.blockedReason)
 *   seller-not-authorized: seller, brand, site
 *   seller-not-verified:   seller, brand, site
 *   seller-authorized:     seller, brand, site
 *   platform-authorized:   seller, brand
 *   price-below-floor:     price, floor, brand      (percentBelow and msrp are in evidence)
 *   used-item:             none                     (evidence.condition)
 *   no-channel:            brand, site
 *   no-feed:               brand as the page spells it
 *   feed-expired:          brand, expiry date
 *   seller-unreadable, no-brand, not-for-sale: none
 */

const RANK: Record<Level, number> = { unknown: 0, ok: 1, caution: 2, danger: 3 };

/** The worst level among the reasons; unknown when there are none. */
export function worstLevel(reasons: readonly Pick<Reason, 'level'>[]): Level {
  let level: Level = 'unknown';
  for (const r of reasons) if (RANK[r.level] > RANK[level]) level = r.level;
  return level;
}

/** The i18n key of a reason code: reason_<code with - replaced by _>. */
export function messageKeyOf(code: ReasonCode): string {
  return `reason_${code.replace(/-/g, '_')}`;
}

function reason(code: ReasonCode, level: Level, evidence: Evidence, args: string[] = []): Reason {
  return { code, level, messageKey: messageKeyOf(code), messageArgs: args, evidence };
}

export function brandInfo(brand: BrandRecord): BrandInfo {
  return {
    brandId: brand.brandId,
    name: brand.name,
    website: brand.website,
    contact: brand.contact,
    reportEndpoint: brand.reportEndpoint,
    feedUrl: brand.feedUrl,
    feedVersion: brand.feedVersion,
    issuedAt: brand.issuedAt,
    expiresAt: brand.expiresAt,
    lastSync: brand.lastSync,
  };
}

/** "39.99 USD", "1200 JPY". */
function money(amount: number, currency: string): string {
  return `${Number.isInteger(amount) ? String(amount) : amount.toFixed(2)} ${currency}`;
}

function isPast(iso: string | undefined, now: Date): boolean {
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t <= now.getTime();
}

/** The seller as the store matches it, or null when the page does not show who sells. */
function sellerKey(snapshot: ProductSnapshot): SellerKey | null {
  if (snapshot.marketplace === 'web') {
    // On a brand's or partner's own web shop the shop is the seller: its registrable domain.
    return { id: snapshot.site, name: snapshot.seller?.name ?? null };
  }
  const s = snapshot.seller;
  if (s === null) return null;
  if (s.id === null && s.name === null) return s.isPlatform ? { id: null, name: null } : null;
  return { id: s.id, name: s.name };
}

function sellerLabel(snapshot: ProductSnapshot, key: SellerKey): string {
  return key.name ?? key.id ?? (snapshot.seller?.isPlatform ? snapshot.site : '');
}

/** The first floor for new items in the listing's currency, and an MSRP for the same. */
function newItemPrices(
  prices: readonly PriceEntry[],
  currency: string,
): { floor: number | null; msrp: number | null } {
  const forNew = prices.filter(
    (p) => p.currency === currency && (p.condition === undefined || p.condition === 'new'),
  );
  const num = (s: string | undefined): number | null => {
    if (s === undefined) return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  };
  const withFloor = forNew.find((p) => num(p.floor) !== null);
  const floor = num(withFloor?.floor);
  const msrp = num(withFloor?.msrp) ?? num(forNew.find((p) => num(p.msrp) !== null)?.msrp);
  return { floor, msrp };
}

function verdict(brand: BrandRecord | null, reasons: Reason[], now: Date): Verdict {
  return {
    level: worstLevel(reasons),
    brand: brand ? brandInfo(brand) : null,
    reasons,
    checkedAt: now.toISOString(),
  };
}

/**
 * The verdict for one product page. Reads only from the store; never throws for any snapshot
 * that passed the ProductSnapshot schema (store errors propagate to the caller).
 */
export async function checkProduct(
  snapshot: ProductSnapshot,
  store: StoreReader,
  now: Date,
): Promise<Verdict> {
  const place = { marketplace: snapshot.marketplace, site: snapshot.site };
  const notForSale = snapshot.price === null && snapshot.seller === null;
  const detection = await detectBrand(snapshot, store);

  if (detection.kind !== 'found') {
    if (notForSale) return verdict(null, [reason('not-for-sale', 'unknown', place)], now);
    if (detection.kind === 'unlisted') {
      return verdict(null, [reason('no-feed', 'unknown', place, [detection.name])], now);
    }
    return verdict(null, [reason('no-brand', 'unknown', place)], now);
  }

  const brand = detection.brand;
  const base: Evidence = {
    brandId: brand.brandId,
    feedUrl: brand.feedUrl,
    feedVersion: brand.feedVersion,
    ...place,
  };

  if (isPast(brand.expiresAt, now)) {
    return verdict(
      brand,
      [
        reason('feed-expired', 'unknown', { ...base, expiredAt: brand.expiresAt }, [
          brand.name,
          brand.expiresAt.slice(0, 10),
        ]),
      ],
      now,
    );
  }
  if (notForSale) return verdict(brand, [reason('not-for-sale', 'unknown', base)], now);

  const reasons: Reason[] = [];
  const key = sellerKey(snapshot);
  const readable = key !== null && (key.id !== null || key.name !== null);
  const price = snapshot.price;
  const condition = snapshot.condition ?? 'new';

  // Once the brand is known the remaining lookups do not depend on each other: ask them all at
  // once rather than one after another. The answers are used exactly as before, in the same order.
  const channelsAsked = store.channels(brand.brandId, snapshot.marketplace, snapshot.site);
  const blockedAsked =
    readable && key !== null ? store.findBlocked(snapshot.marketplace, key) : Promise.resolve([]);
  const sellerAsked =
    readable && key !== null
      ? store.findSeller(brand.brandId, snapshot.marketplace, snapshot.site, key)
      : Promise.resolve(null);
  // The seller's entry counts only when a channel covers the site; a failed lookup whose answer
  // is not used must not fail the check (it is awaited below when it is used).
  sellerAsked.catch(() => undefined);
  const productAsked =
    price !== null && condition === 'new'
      ? store.findProduct(brand.brandId, { gtin: snapshot.gtin, productId: snapshot.productId })
      : Promise.resolve(null);
  const [channels, blockedAll, product] = await Promise.all([channelsAsked, blockedAsked, productAsked]);

  if (channels.length === 0) reasons.push(reason('no-channel', 'unknown', base, [brand.name, snapshot.site]));

  if (key === null) {
    reasons.push(reason('seller-unreadable', 'unknown', base));
  } else {
    const platform = snapshot.seller?.isPlatform === true;
    const label = sellerLabel(snapshot, key);
    const sellerEvidence: Evidence = { ...base, seller: { id: key.id, name: key.name }, platform };

    const hit = blockedAll.find((b) => b.brandId === brand.brandId);
    if (hit) {
      const entry: NonNullable<Evidence['sellerEntry']> = {};
      if (hit.id !== undefined) entry.id = hit.id;
      if (hit.name !== undefined) entry.name = hit.name;
      const ev: Evidence = { ...sellerEvidence, sellerEntry: entry };
      if (hit.reason !== undefined) ev.blockedReason = hit.reason;
      reasons.push(reason('seller-blocked', 'danger', ev, [label, brand.name]));
    }

    if (channels.length > 0) {
      let match: SellerMatch | null = await sellerAsked;
      if (match && isPast(match.entry.until, now)) match = null;
      if (match) {
        const ev: Evidence = {
          ...sellerEvidence,
          channelComplete: match.channel.complete,
          sellerEntry: match.entry,
        };
        reasons.push(
          platform
            ? reason('platform-authorized', 'ok', ev, [label, brand.name])
            : reason('seller-authorized', 'ok', ev, [label, brand.name, snapshot.site]),
        );
      } else {
        const complete = channels.some((c) => c.complete);
        const ev: Evidence = { ...sellerEvidence, channelComplete: complete };
        if (complete && !platform) {
          reasons.push(reason('seller-not-authorized', 'danger', ev, [label, brand.name, snapshot.site]));
        } else {
          const r = reason('seller-not-verified', 'caution', ev, [label, brand.name, snapshot.site]);
          // The marketplace itself sells but the brand's complete list leaves it out: say that, not
          // "the list is incomplete", which would be untrue here.
          reasons.push(complete && platform ? { ...r, messageKey: 'reason_platform_not_listed' } : r);
        }
      }
    }
  }

  if (price !== null) {
    if (condition !== 'new') {
      reasons.push(reason('used-item', 'unknown', { ...base, price, condition }));
    } else {
      const { floor, msrp } = newItemPrices(product?.prices ?? [], price.currency);
      if (floor !== null && price.amount < floor) {
        const reference = msrp !== null && msrp > 0 ? msrp : floor;
        const percentBelow = reference > 0 ? Math.floor(((reference - price.amount) / reference) * 100) : 0;
        const ev: Evidence = { ...base, price, floor, percentBelow };
        if (msrp !== null) ev.msrp = msrp;
        reasons.push(
          reason('price-below-floor', 'caution', ev, [
            money(price.amount, price.currency),
            money(floor, price.currency),
            brand.name,
          ]),
        );
      }
    }
  }

  return verdict(brand, reasons, now);
}
