import type { BrandInfo, Reason, ReasonCode } from '../check/types';
import { hasMessage, t } from '../i18n';
import type { Marketplace } from '../sites/snapshot';
import { MARKETPLACES } from '../sites/snapshot';
import { formatDate, formatPrice } from './format';

/**
 * Reason -> sentence. The check engine gives each reason a messageKey (`reason_<code with _>`)
 * and messageArgs; the locales hold one sentence per code whose placeholders are, in order, the
 * names below. This table is the contract between lib/check and the locales.
 *
 * When the arguments a reason carries do not match (a different count), the sentence is built
 * from the reason's structured evidence instead, so a sentence never shows a hole.
 */
export const REASON_ARGS: Record<ReasonCode, readonly string[]> = {
  'seller-blocked': ['seller', 'brand'],
  'seller-not-authorized': ['seller', 'brand', 'site'],
  'seller-not-verified': ['seller', 'brand', 'site'],
  'seller-authorized': ['seller', 'brand', 'site'],
  'platform-authorized': ['seller', 'brand'],
  'price-below-floor': ['price', 'floor', 'brand'],
  'used-item': [],
  'no-channel': ['brand', 'site'],
  'no-feed': ['brand'],
  'feed-expired': ['brand', 'date'],
  'seller-unreadable': [],
  'no-brand': [],
  'not-for-sale': [],
};

export function reasonKey(code: ReasonCode): string {
  return `reason_${code.replaceAll('-', '_')}`;
}

export function marketplaceName(marketplace: string | null | undefined): string {
  if (!marketplace) return '';
  if ((MARKETPLACES as readonly string[]).includes(marketplace)) {
    return t(`marketplace_${marketplace as Marketplace}`);
  }
  return marketplace;
}

type Context = { brand?: BrandInfo | null; pageBrand?: string | null };

function argFromEvidence(name: string, reason: Reason, context: Context): string {
  const e = reason.evidence;
  switch (name) {
    case 'seller':
      return e.seller?.name || e.seller?.id || t('seller_unknown');
    case 'brand':
      return context.brand?.name || context.pageBrand || e.brandId || t('brand_unknown');
    case 'site':
      return e.site || marketplaceName(e.marketplace) || '';
    case 'marketplace':
      return marketplaceName(e.marketplace) || e.site || '';
    case 'price':
      return e.price ? formatPrice(e.price.amount, e.price.currency) : '';
    case 'floor': {
      const reference = e.floor ?? e.msrp;
      return reference !== undefined && e.price ? formatPrice(reference, e.price.currency) : '';
    }
    case 'date':
      return e.expiredAt
        ? formatDate(e.expiredAt)
        : context.brand?.expiresAt
          ? formatDate(context.brand.expiresAt)
          : '';
    default:
      return '';
  }
}

/** One plain sentence for a reason, in the shopper's language. */
export function reasonSentence(reason: Reason, context: Context = {}): string {
  const expected = REASON_ARGS[reason.code];
  const ownKey = reasonKey(reason.code);
  // Only keys of the reason family are looked up: a key is data from another context.
  const key =
    /^reason_[a-z0-9_]{1,60}$/.test(reason.messageKey) && hasMessage(reason.messageKey)
      ? reason.messageKey
      : ownKey;
  const args =
    key === reason.messageKey &&
    reason.messageArgs.length === expected.length &&
    reason.messageArgs.every((a) => a !== '')
      ? reason.messageArgs
      : expected.map((name) => argFromEvidence(name, reason, context));
  return t(key, ...args);
}

/** Reasons worth showing, most serious first (danger, caution, ok, unknown), stable otherwise. */
export function orderedReasons(reasons: readonly Reason[]): Reason[] {
  const rank: Record<Reason['level'], number> = { danger: 0, caution: 1, ok: 2, unknown: 3 };
  return reasons
    .map((reason, index) => ({ reason, index }))
    .sort((a, b) => rank[a.reason.level] - rank[b.reason.level] || a.index - b.index)
    .map((x) => x.reason);
}
