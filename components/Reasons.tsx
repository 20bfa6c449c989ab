import type { BrandInfo, Verdict } from '../lib/check/types';
import { orderedReasons, reasonSentence } from '../lib/ui/reasons';
import { LEVEL_ICON } from '../lib/ui/verdict';

export interface ReasonListProps {
  verdict: Verdict;
  /** The brand as the page spells it, for sentences about brands without a list. */
  pageBrand?: string | null;
  class?: string;
}

/** Each reason of a verdict as one plain sentence, most serious first, each with its level's icon. */
export function ReasonList({ verdict, pageBrand = null, class: className = 'reasons' }: ReasonListProps) {
  const brand: BrandInfo | null = verdict.brand;
  const reasons = orderedReasons(verdict.reasons);
  if (reasons.length === 0) return null;
  return (
    <ul class={className}>
      {reasons.map((reason, index) => (
        <li key={`${reason.code}-${index}`} data-level={reason.level} data-code={reason.code}>
          <span class="reason-icon" aria-hidden="true">
            {LEVEL_ICON[reason.level]}
          </span>
          <span class="reason-text">{reasonSentence(reason, { brand, pageBrand })}</span>
        </li>
      ))}
    </ul>
  );
}
