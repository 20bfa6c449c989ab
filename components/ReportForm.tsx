import { useId, useState } from 'preact/hooks';
import type { BrandInfo, Level } from '../lib/check/types';
import type { ReportReason } from '../lib/feed/schema';
import { t } from '../lib/i18n';
import type { SubmitResult } from '../lib/report/types';
import type { ReportConsent } from '../lib/settings';
import { RequestError } from '../lib/ui/client';
import { safeHref } from '../lib/ui/format';
import type { ReportPreview } from '../lib/ui/popup-model';
import { REPORT_REASONS, reportReasonLabel } from '../lib/ui/verdict';

export const COMMENT_MAX = 500;

export interface ReportFormProps {
  brand: BrandInfo;
  preview: ReportPreview;
  /** The verdict's word ("Not authorized"), for the list of what is sent. */
  verdictWord: string;
  defaultReason: ReportReason;
  consent: ReportConsent;
  /** Remembers the consent; called when Report is pressed for the first time. */
  onConsent: () => Promise<void> | void;
  onSubmit: (reason: ReportReason, comment: string | undefined) => Promise<SubmitResult>;
}

type Outcome = { kind: 'result'; result: SubmitResult } | { kind: 'error'; message: string };

function contactHref(contact: string): string | null {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return `mailto:${contact}`;
  return safeHref(contact);
}

/** The brand's contact or website, as a link when it is one. */
function BrandContact({ contact, website }: { contact: string | null; website: string | null }) {
  const site = safeHref(website);
  return (
    <>
      {contact && (
        <span class="contact">
          {t('report_contact')}{' '}
          {contactHref(contact) ? (
            <a href={contactHref(contact) ?? undefined} target="_blank" rel="noopener noreferrer">
              {contact}
            </a>
          ) : (
            contact
          )}
        </span>
      )}{' '}
      {site && (
        <span class="contact">
          {t('report_website')}{' '}
          <a href={site} target="_blank" rel="noopener noreferrer">
            {site}
          </a>
        </span>
      )}
    </>
  );
}

function ResultMessage({ outcome, brand }: { outcome: Outcome; brand: BrandInfo }) {
  if (outcome.kind === 'error')
    return <span data-result="error">{t('report_result_error', outcome.message)}</span>;
  const r = outcome.result;
  const host = (endpoint: string) => {
    try {
      return new URL(endpoint).host;
    } catch {
      return endpoint;
    }
  };
  switch (r.status) {
    case 'sent':
      return <span data-result="sent">{t('report_result_sent', host(r.endpoint))}</span>;
    case 'queued':
      return <span data-result="queued">{t('report_result_queued', host(r.endpoint))}</span>;
    case 'no-endpoint':
      return (
        <span data-result="no-endpoint">
          {t('report_result_no_endpoint', brand.name || brand.brandId)}{' '}
          {r.contact || r.website ? (
            <BrandContact contact={r.contact} website={r.website} />
          ) : (
            t('report_result_no_contact')
          )}
        </span>
      );
    case 'limited':
      return (
        <span data-result="limited">
          {r.limit === 'listing-daily'
            ? t('report_result_limited_listing')
            : t('report_result_limited_daily')}
        </span>
      );
    case 'not-reportable':
      return <span data-result="not-reportable">{t('report_result_not_reportable', r.message)}</span>;
  }
}

/** The list of exactly what a report carries and where it goes. */
function WhatIsSent({
  preview,
  brand,
  verdictWord,
}: {
  preview: ReportPreview;
  brand: BrandInfo;
  verdictWord: string;
}) {
  const name = brand.name || brand.brandId;
  return (
    <div class="what-is-sent">
      <p>
        {preview.endpointHost
          ? t('report_disclosure_to', preview.endpointHost, name)
          : t('report_disclosure_no_endpoint', name)}
      </p>
      <ul>
        <li>{t('report_field_listing', preview.listingUrl ?? t('value_none'))}</li>
        <li>{t('report_field_seller', preview.seller ?? t('value_none'))}</li>
        <li>{t('report_field_price', preview.price ?? t('value_none'))}</li>
        <li>{t('report_field_verdict', verdictWord)}</li>
        <li>{t('report_field_reason')}</li>
      </ul>
      <p class="nothing-about-you">{t('report_disclosure_nothing_about_you')}</p>
    </div>
  );
}

/**
 * Report in one click: the reason is preselected from the verdict and can be changed, a comment
 * is optional. Until the first report ever, exactly what will be sent and to whom stays visible
 * above the button; pressing Report is the consent and is remembered.
 */
export function ReportForm(props: ReportFormProps) {
  const { brand, preview, verdictWord, defaultReason, consent, onConsent, onSubmit } = props;
  const [reason, setReason] = useState<ReportReason>(defaultReason);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [justConsented, setConsented] = useState(false);
  const consented = consent.given || justConsented;
  const id = useId();
  const done =
    outcome?.kind === 'result' && (outcome.result.status === 'sent' || outcome.result.status === 'queued');

  const submit = async (event: Event) => {
    event.preventDefault();
    if (sending || done) return;
    setSending(true);
    setOutcome(null);
    try {
      if (!consented) {
        await onConsent();
        setConsented(true);
      }
      const trimmed = comment.trim().slice(0, COMMENT_MAX);
      const result = await onSubmit(reason, trimmed === '' ? undefined : trimmed);
      setOutcome({ kind: 'result', result });
    } catch (error) {
      const message =
        error instanceof RequestError
          ? `${error.message} (${error.code})`
          : error instanceof Error
            ? error.message
            : String(error);
      setOutcome({ kind: 'error', message });
    } finally {
      setSending(false);
    }
  };

  const level: Level = preview.level;
  return (
    <form
      class="report-form"
      onSubmit={submit}
      data-level={level}
      aria-describedby={consented ? undefined : `${id}-sent`}
    >
      <div class="field">
        <label for={`${id}-reason`}>{t('report_reason_label')}</label>
        <select
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as ReportReason)}
          disabled={sending || done}
        >
          {REPORT_REASONS.map((r) => (
            <option key={r} value={r}>
              {reportReasonLabel(r)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-comment`}>{t('report_comment_label')}</label>
        <textarea
          id={`${id}-comment`}
          rows={2}
          maxLength={COMMENT_MAX}
          value={comment}
          onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value.slice(0, COMMENT_MAX))}
          aria-describedby={`${id}-count`}
          disabled={sending || done}
        />
        <span id={`${id}-count`} class="counter">
          {t('report_comment_counter', String(comment.length), String(COMMENT_MAX))}
        </span>
      </div>
      {consented ? (
        <details class="what-is-sent-details">
          <summary>{t('report_what_is_sent')}</summary>
          <WhatIsSent preview={preview} brand={brand} verdictWord={verdictWord} />
        </details>
      ) : (
        <div id={`${id}-sent`} class="first-report-notice">
          <WhatIsSent preview={preview} brand={brand} verdictWord={verdictWord} />
          <p class="consent-note">{t('report_consent_note')}</p>
        </div>
      )}
      <button type="submit" class="primary report-button" disabled={done} aria-disabled={sending}>
        {t('report_button')}
      </button>
      <p class="report-result" role="status" aria-live="polite">
        {sending ? t('report_sending') : outcome ? <ResultMessage outcome={outcome} brand={brand} /> : null}
      </p>
    </form>
  );
}
