import type { BrandInfo, Level, ReasonCode, Verdict } from '../check/types';
import type { ReportReason } from '../feed/schema';
import { t } from '../i18n';

/**
 * How a verdict looks. Colour is never the only carrier of meaning: every level has its own icon
 * shape and its own word, and an accessible label that contains the word.
 */

export const LEVEL_ICON: Record<Level, string> = { ok: '✓', caution: '?', danger: '!', unknown: '·' };

/** Which sentence family a verdict belongs to; refines the level's word where the level alone misleads. */
export type VerdictVariant = 'seller' | 'price' | 'list' | 'unchecked' | 'plain';

const SELLER_CODES: readonly ReasonCode[] = ['seller-blocked', 'seller-not-authorized'];
const NO_LIST_CODES: readonly ReasonCode[] = ['no-feed', 'no-brand', 'no-channel', 'feed-expired'];
const UNCHECKED_CODES: readonly ReasonCode[] = ['seller-unreadable', 'not-for-sale'];

export function levelOf(verdict: Verdict | null | undefined): Level {
  return verdict?.level ?? 'unknown';
}

export function hasCode(verdict: Verdict | null | undefined, code: ReasonCode): boolean {
  return verdict?.reasons.some((r) => r.code === code) ?? false;
}

export function verdictVariant(verdict: Verdict | null | undefined): VerdictVariant {
  const level = levelOf(verdict);
  const codes = new Set(verdict?.reasons.map((r) => r.code) ?? []);
  if (level === 'danger') {
    if (SELLER_CODES.some((c) => codes.has(c))) return 'seller';
    if (codes.has('price-below-floor')) return 'price';
    return 'plain';
  }
  if (level === 'unknown') {
    if (UNCHECKED_CODES.some((c) => codes.has(c)) && !NO_LIST_CODES.some((c) => codes.has(c)))
      return 'unchecked';
    return 'list';
  }
  return 'plain';
}

const WORD_KEYS: Record<Level, Partial<Record<VerdictVariant, string>> & { plain: string }> = {
  ok: { plain: 'badge_ok' },
  caution: { plain: 'badge_caution' },
  danger: { plain: 'badge_danger', seller: 'badge_danger', price: 'badge_danger_price' },
  unknown: { plain: 'badge_unknown', list: 'badge_unknown', unchecked: 'badge_unknown_unchecked' },
};

const TITLE_KEYS: Record<Level, Partial<Record<VerdictVariant, string>> & { plain: string }> = {
  ok: { plain: 'level_ok_title' },
  caution: { plain: 'level_caution_title' },
  danger: { plain: 'level_danger_title', seller: 'level_danger_title', price: 'level_danger_price_title' },
  unknown: {
    plain: 'level_unknown_title',
    list: 'level_unknown_title',
    unchecked: 'level_unknown_unchecked_title',
  },
};

/** The short word beside the icon: "Authorized", "Check", "Not authorized", "No list". */
export function verdictWord(verdict: Verdict | null | undefined): string {
  const keys = WORD_KEYS[levelOf(verdict)];
  return t(keys[verdictVariant(verdict)] ?? keys.plain);
}

/** The headline: "Authorized seller", "Not authorized by the brand", ... (contains the word). */
export function verdictTitle(verdict: Verdict | null | undefined): string {
  const keys = TITLE_KEYS[levelOf(verdict)];
  return t(keys[verdictVariant(verdict)] ?? keys.plain);
}

/** The badge's accessible name: "Genuine: Authorized seller". */
export function verdictLabel(verdict: Verdict | null | undefined): string {
  return t('badge_label', verdictTitle(verdict));
}

/** The report reason to preselect for this verdict; the shopper can change it. */
export function suggestedReportReason(verdict: Verdict | null | undefined): ReportReason {
  if (!verdict) return 'other';
  const codes = new Set(verdict.reasons.map((r) => r.code));
  if (codes.has('seller-blocked') || codes.has('seller-not-authorized')) return 'seller-not-authorized';
  if (codes.has('price-below-floor')) return 'price-too-low';
  if (codes.has('seller-not-verified')) return 'seller-not-authorized';
  if (verdict.level === 'ok') return 'other';
  return 'looks-fake';
}

export const REPORT_REASONS: readonly ReportReason[] = [
  'seller-not-authorized',
  'price-too-low',
  'looks-fake',
  'received-fake',
  'other',
];

export function reportReasonLabel(reason: ReportReason): string {
  return t(`report_reason_${reason.replaceAll('-', '_')}`);
}

/** "ACME" for a brand, falling back to its id. */
export function brandName(brand: BrandInfo | null | undefined, fallback = ''): string {
  return brand?.name || brand?.brandId || fallback;
}
