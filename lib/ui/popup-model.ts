import type { BrandInfo, Level, Reason, Verdict } from '../check/types';
import { t } from '../i18n';
import type { TabState } from '../messages';
import type { ExtractionDiagnostics, ProductSnapshot } from '../sites/snapshot';
import { formatPrice, formatRelative, hostOf, listingUrlForReport } from './format';
import { hasCode } from './verdict';

/**
 * What the popup shows for a tab, decided from the TabState alone (pure, unit tested).
 *
 * - `waiting`: nothing known yet, or the page was read and the check is running; the popup asks
 *   again for a few seconds, then shows it as `no-state` / `checking` settled.
 * - `unsupported`: no adapter claims the site.
 * - `not-product`: a supported site, but not a product page.
 * - `disabled`: the shopper turned this marketplace off in the options.
 * - `verdict`: a verdict, with notices for the graceful states inside it.
 */
export type Notice =
  | 'no-list'
  | 'no-channel'
  | 'feed-expired'
  | 'seller-unreadable'
  | 'no-brand'
  | 'not-for-sale';

export type PopupStatus =
  | { kind: 'no-state' }
  | { kind: 'unsupported'; url: string | null }
  | { kind: 'not-product'; url: string | null }
  | { kind: 'disabled'; snapshot: ProductSnapshot }
  | { kind: 'checking'; snapshot: ProductSnapshot }
  | { kind: 'verdict'; snapshot: ProductSnapshot | null; verdict: Verdict; notices: Notice[] };

export function popupStatus(
  state: TabState | null,
  enabled: (marketplace: string) => boolean = () => true,
): PopupStatus {
  if (state === null) return { kind: 'no-state' };
  if (!state.supported) return { kind: 'unsupported', url: state.url };
  if (state.snapshot === null && state.verdict === null) return { kind: 'not-product', url: state.url };
  if (state.snapshot !== null && !enabled(state.snapshot.marketplace))
    return { kind: 'disabled', snapshot: state.snapshot };
  if (state.verdict === null) {
    // snapshot is non-null here
    return { kind: 'checking', snapshot: state.snapshot as ProductSnapshot };
  }
  return { kind: 'verdict', snapshot: state.snapshot, verdict: state.verdict, notices: notices(state) };
}

function notices(state: TabState): Notice[] {
  const out: Notice[] = [];
  const v = state.verdict;
  if (hasCode(v, 'no-feed')) out.push('no-list');
  if (hasCode(v, 'no-brand')) out.push('no-brand');
  if (hasCode(v, 'no-channel')) out.push('no-channel');
  if (hasCode(v, 'feed-expired')) out.push('feed-expired');
  if (hasCode(v, 'seller-unreadable') || sellerMissing(state.diagnostics, state.snapshot))
    out.push('seller-unreadable');
  if (hasCode(v, 'not-for-sale')) out.push('not-for-sale');
  return out;
}

function sellerMissing(diagnostics: ExtractionDiagnostics | null, snapshot: ProductSnapshot | null): boolean {
  if (diagnostics?.missing.includes('seller')) return true;
  return snapshot !== null && snapshot.seller !== null && !snapshot.seller.name && !snapshot.seller.id;
}

/** Whether the popup is still waiting for something that will come by itself. */
export function isWaiting(status: PopupStatus): boolean {
  return status.kind === 'no-state' || status.kind === 'checking';
}

/** The data-verdict of the popup's root: the verdict's level, "unknown" when there is none. */
export function rootLevel(status: PopupStatus): Level {
  return status.kind === 'verdict' ? status.verdict.level : 'unknown';
}

// --- pieces of the verdict view ---------------------------------------------------------------

/** "Sold by ACME Official", "Sold by Amazon", or null when the page showed no seller. */
export function sellerLine(snapshot: ProductSnapshot | null): string | null {
  const seller = snapshot?.seller;
  if (!seller) return null;
  const name = seller.name || seller.id;
  if (!name) return null;
  return seller.isPlatform ? t('product_sold_by_platform', name) : t('product_sold_by', name);
}

export type PriceComparison = {
  price: string;
  msrp: string | null;
  floor: string | null;
  percentBelow: number | null;
};

/** The page's price beside the brand's MSRP and floor, as found in the reasons' evidence. */
export function priceComparison(
  snapshot: ProductSnapshot | null,
  reasons: readonly Reason[],
): PriceComparison | null {
  const price = snapshot?.price;
  if (!price) return null;
  let msrp: number | null = null;
  let floor: number | null = null;
  let percentBelow: number | null = null;
  for (const reason of reasons) {
    const e = reason.evidence;
    if (e.price && e.price.currency !== price.currency) continue;
    if (msrp === null && e.msrp !== undefined) msrp = e.msrp;
    if (floor === null && e.floor !== undefined) floor = e.floor;
    if (percentBelow === null && e.percentBelow !== undefined) percentBelow = e.percentBelow;
  }
  return {
    price: formatPrice(price.amount, price.currency),
    msrp: msrp === null ? null : formatPrice(msrp, price.currency),
    floor: floor === null ? null : formatPrice(floor, price.currency),
    percentBelow: percentBelow !== null && percentBelow > 0 ? Math.round(percentBelow) : null,
  };
}

/** "ACME's list, version 42 · synced 3 hours ago · expires in 20 days". */
export function sourceLines(
  brand: BrandInfo,
  now: Date,
): { list: string; synced: string | null; expires: string } {
  const expired = Date.parse(brand.expiresAt) <= now.getTime();
  return {
    list: t(
      'source_list',
      brand.name || brand.brandId,
      String(brand.feedVersion),
      hostOf(brand.feedUrl) ?? brand.feedUrl,
    ),
    synced: brand.lastSync ? t('source_synced', formatRelative(brand.lastSync, now)) : null,
    expires: expired
      ? t('source_expired', formatRelative(brand.expiresAt, now))
      : t('source_expires', formatRelative(brand.expiresAt, now)),
  };
}

/** Exactly what a report will carry about the listing, for the notice shown before the first report. */
export type ReportPreview = {
  endpointHost: string | null;
  listingUrl: string | null;
  seller: string | null;
  price: string | null;
  level: Level;
};

export function reportPreview(snapshot: ProductSnapshot | null, verdict: Verdict): ReportPreview {
  const seller = snapshot?.seller;
  return {
    endpointHost: hostOf(verdict.brand?.reportEndpoint),
    listingUrl: snapshot ? listingUrlForReport(snapshot.url) : null,
    seller: seller ? seller.name || seller.id || null : null,
    price: snapshot?.price ? formatPrice(snapshot.price.amount, snapshot.price.currency) : null,
    level: verdict.level,
  };
}
