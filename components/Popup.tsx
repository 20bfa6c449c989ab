import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Verdict } from '../lib/check/types';
import type { ReportReason } from '../lib/feed/schema';
import { t } from '../lib/i18n';
import type { TabState } from '../lib/messages';
import type { SubmitResult } from '../lib/report/types';
import {
  type EnabledMarketplaces,
  getEnabledMarketplaces,
  getReportConsent,
  giveReportConsent,
  NO_CONSENT,
  type ReportConsent,
} from '../lib/settings';
import type { ProductSnapshot } from '../lib/sites/snapshot';
import { type PageApi, RequestError } from '../lib/ui/client';
import { ellipsize, hostOf, safeHref } from '../lib/ui/format';
import {
  isWaiting,
  type Notice,
  type PopupStatus,
  popupStatus,
  priceComparison,
  reportPreview,
  rootLevel,
  sellerLine,
  sourceLines,
} from '../lib/ui/popup-model';
import { marketplaceName } from '../lib/ui/reasons';
import { brandName, LEVEL_ICON, suggestedReportReason, verdictTitle, verdictWord } from '../lib/ui/verdict';
import { ReasonList } from './Reasons';
import { ReportForm } from './ReportForm';

/**
 * The toolbar popup. Its root element is `<main class="popup" data-verdict="…">`: data-verdict is
 * the verdict's level (ok | caution | danger | unknown) once the tab's state is known, and is
 * absent while loading, so a reader waiting for the attribute sees the final value.
 */

export interface PopupViewProps {
  /** null while the first answer is awaited. */
  status: PopupStatus | null;
  /** True once waiting for a running check has stopped (the popup stops asking again). */
  settled: boolean;
  /** A request that failed (background unreachable or an invalid answer). */
  error: string | null;
  consent: ReportConsent;
  now: Date;
  onConsent: () => Promise<void> | void;
  onReport: (reason: ReportReason, comment: string | undefined) => Promise<SubmitResult>;
  onOpenOptions?: () => void;
}

function StateMessage({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="state">
      <h1>{title}</h1>
      {children}
    </header>
  );
}

const NOTICE_KEYS: Record<Notice, string> = {
  'no-list': 'notice_no_list',
  'no-brand': 'notice_no_brand',
  'no-channel': 'notice_no_channel',
  'feed-expired': 'notice_feed_expired',
  'seller-unreadable': 'notice_seller_unreadable',
  'not-for-sale': 'notice_not_for_sale',
};

function ProductFacts({ snapshot, verdict }: { snapshot: ProductSnapshot | null; verdict: Verdict }) {
  if (!snapshot) return null;
  const seller = sellerLine(snapshot);
  const price = priceComparison(snapshot, verdict.reasons);
  return (
    <section class="product" aria-labelledby="product-heading">
      <h2 id="product-heading">{t('popup_product_heading')}</h2>
      <dl>
        {snapshot.title && (
          <>
            <dt>{t('product_title')}</dt>
            <dd class="product-title">{ellipsize(snapshot.title, 140)}</dd>
          </>
        )}
        <dt>{t('product_brand')}</dt>
        <dd>{brandName(verdict.brand, snapshot.brand ?? t('value_unknown'))}</dd>
        <dt>{t('product_seller')}</dt>
        <dd>{seller ?? t('seller_not_shown')}</dd>
        <dt>{t('product_site')}</dt>
        <dd>
          {marketplaceName(snapshot.marketplace)} ({snapshot.site})
        </dd>
        {price && (
          <>
            <dt>{t('product_price')}</dt>
            <dd>
              <span class="price">{price.price}</span>
              {price.msrp && <span class="price-ref"> · {t('price_msrp', price.msrp)}</span>}
              {price.floor && <span class="price-ref"> · {t('price_floor', price.floor)}</span>}
              {price.percentBelow !== null && (
                <span class="price-below"> · {t('price_percent_below', String(price.percentBelow))}</span>
              )}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Advice({ verdict }: { verdict: Verdict }) {
  const website = safeHref(verdict.brand?.website);
  if (verdict.level === 'ok') {
    return <p>{t('advice_ok')}</p>;
  }
  if (verdict.level === 'unknown') {
    return (
      <ul class="advice">
        <li>{t('advice_unknown')}</li>
        {website && (
          <li>
            {t('advice_brand_site')}{' '}
            <a href={website} target="_blank" rel="noopener noreferrer">
              {hostOf(website)}
            </a>
          </li>
        )}
      </ul>
    );
  }
  return (
    <ul class="advice">
      <li>
        {website ? (
          <>
            {t('advice_buy_authorized')}{' '}
            <a href={website} target="_blank" rel="noopener noreferrer">
              {hostOf(website)}
            </a>
          </>
        ) : (
          t('advice_buy_authorized_no_site')
        )}
      </li>
      <li>{t('advice_check_listing')}</li>
      {verdict.brand && <li>{t('advice_report')}</li>}
    </ul>
  );
}

function VerdictView(props: {
  status: Extract<PopupStatus, { kind: 'verdict' }>;
  consent: ReportConsent;
  now: Date;
  onConsent: PopupViewProps['onConsent'];
  onReport: PopupViewProps['onReport'];
}) {
  const { status, consent, now, onConsent, onReport } = props;
  const { verdict, snapshot, notices } = status;
  const brand = verdict.brand;
  const source = brand ? sourceLines(brand, now) : null;
  return (
    <>
      <header class="verdict-head">
        <span class="verdict-icon" aria-hidden="true">
          {LEVEL_ICON[verdict.level]}
        </span>
        <div>
          <h1>{verdictTitle(verdict)}</h1>
          <p class="verdict-word">{verdictWord(verdict)}</p>
        </div>
      </header>
      {notices.length > 0 && (
        <ul class="notices">
          {notices.map((n) => (
            <li key={n} data-notice={n}>
              {t(NOTICE_KEYS[n])}
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="why-heading">
        <h2 id="why-heading">{t('popup_why_heading')}</h2>
        <ReasonList verdict={verdict} pageBrand={snapshot?.brand ?? null} />
      </section>
      <ProductFacts snapshot={snapshot} verdict={verdict} />
      {source && (
        <section class="source" aria-labelledby="source-heading">
          <h2 id="source-heading">{t('popup_source_heading')}</h2>
          <p>{source.list}</p>
          <p class="muted">
            {source.synced ?? t('source_never_synced')} · {source.expires}
          </p>
        </section>
      )}
      <section aria-labelledby="advice-heading">
        <h2 id="advice-heading">{t('popup_advice_heading')}</h2>
        <Advice verdict={verdict} />
      </section>
      {brand ? (
        <section class="report" aria-labelledby="report-heading">
          <h2 id="report-heading">{t('popup_report_heading')}</h2>
          <ReportForm
            brand={brand}
            preview={reportPreview(snapshot, verdict)}
            verdictWord={verdictWord(verdict)}
            defaultReason={suggestedReportReason(verdict)}
            consent={consent}
            onConsent={onConsent}
            onSubmit={onReport}
          />
        </section>
      ) : (
        <p class="muted">{t('report_needs_list')}</p>
      )}
    </>
  );
}

function Body(props: PopupViewProps) {
  const { status, settled, error, consent, now, onConsent, onReport } = props;
  if (error !== null && status === null) {
    return (
      <StateMessage title={t('popup_error_title')}>
        <p>{t('popup_error_body', error)}</p>
      </StateMessage>
    );
  }
  if (status === null) {
    return <StateMessage title={t('popup_loading')} />;
  }
  switch (status.kind) {
    case 'no-state':
      return settled ? (
        <StateMessage title={t('popup_no_state_title')}>
          <p>{t('popup_no_state_body')}</p>
        </StateMessage>
      ) : (
        <StateMessage title={t('popup_loading')} />
      );
    case 'unsupported':
      return (
        <StateMessage title={t('popup_unsupported_title')}>
          <p>{t('popup_unsupported_body')}</p>
        </StateMessage>
      );
    case 'not-product':
      return (
        <StateMessage title={t('popup_not_product_title')}>
          <p>{t('popup_not_product_body')}</p>
        </StateMessage>
      );
    case 'disabled':
      return (
        <StateMessage title={t('popup_disabled_title', marketplaceName(status.snapshot.marketplace))}>
          <p>{t('popup_disabled_body')}</p>
        </StateMessage>
      );
    case 'checking':
      return (
        <StateMessage title={settled ? t('popup_check_slow_title') : t('popup_checking')}>
          {settled && <p>{t('popup_check_slow_body')}</p>}
        </StateMessage>
      );
    case 'verdict':
      return (
        <VerdictView status={status} consent={consent} now={now} onConsent={onConsent} onReport={onReport} />
      );
  }
}

export function PopupView(props: PopupViewProps) {
  const { status, settled, error, onOpenOptions } = props;
  const known = status !== null && (!isWaiting(status) || settled);
  const level = known ? rootLevel(status) : error !== null ? 'unknown' : undefined;
  return (
    <main class="popup" data-verdict={level} aria-busy={!known && error === null}>
      <Body {...props} />
      {error !== null && status !== null && (
        <p class="error" role="alert">
          {t('popup_error_body', error)}
        </p>
      )}
      <footer>
        <span class="brand-mark">
          <img src="/icon/32.png" alt="" width={16} height={16} /> {t('extName')}
        </span>
        {onOpenOptions && (
          <button type="button" class="link" onClick={onOpenOptions}>
            {t('popup_open_settings')}
          </button>
        )}
      </footer>
    </main>
  );
}

// --- the container: asks the background, keeps asking while a check is running ---------------

export interface PopupSettings {
  getReportConsent(): Promise<ReportConsent>;
  giveReportConsent(): Promise<unknown>;
  getEnabledMarketplaces(): Promise<EnabledMarketplaces>;
}

const defaultSettings: PopupSettings = { getReportConsent, giveReportConsent, getEnabledMarketplaces };

export interface PopupAppProps {
  api: PageApi;
  /** The tab to show (popup.html?tabId=…); otherwise `activeTabId` is asked. */
  tabId: number | null;
  activeTabId: () => Promise<number | null>;
  settings?: PopupSettings;
  onOpenOptions?: () => void;
  /**
   * While the page is being read or checked, ask again every `retryMs`; after `maxAsks` asks the
   * popup says it is taking long (data-verdict "unknown") but keeps asking, four times slower, so
   * a verdict that arrives late still shows.
   */
  retryMs?: number;
  maxAsks?: number;
  /** Reports the root level to the page (the entrypoint mirrors it on #app). */
  onLevel?: (level: string | undefined) => void;
  now?: () => Date;
}

function messageOf(error: unknown): string {
  if (error instanceof RequestError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export function PopupApp(props: PopupAppProps) {
  const { api, activeTabId, settings = defaultSettings, onOpenOptions, retryMs = 600, maxAsks = 10 } = props;
  const now = props.now ?? (() => new Date());
  const [tabId, setTabId] = useState<number | null>(props.tabId);
  const [state, setState] = useState<{ status: PopupStatus | null; settled: boolean }>({
    status: null,
    settled: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [consent, setConsent] = useState<ReportConsent>(NO_CONSENT);

  useEffect(() => {
    settings.getReportConsent().then(setConsent, () => setConsent(NO_CONSENT));
  }, [settings]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      let id = props.tabId;
      if (id === null) {
        try {
          id = await activeTabId();
        } catch (e) {
          if (!cancelled) setError(messageOf(e));
          return;
        }
      }
      if (cancelled) return;
      if (id === null) {
        setState({ status: { kind: 'no-state' }, settled: true });
        return;
      }
      setTabId(id);
      const enabled = await settings.getEnabledMarketplaces().catch(() => null);
      const isOn = (m: string) => (enabled ? enabled[m as keyof EnabledMarketplaces] !== false : true);
      let asks = 0;
      const ask = async () => {
        asks += 1;
        let tabState: TabState | null;
        try {
          tabState = await api.tabState(id as number);
        } catch (e) {
          if (!cancelled) setError(messageOf(e));
          return;
        }
        if (cancelled) return;
        setError(null);
        const status = popupStatus(tabState, isOn);
        const waiting = isWaiting(status);
        const settled = !waiting || asks >= maxAsks;
        setState({ status, settled });
        if (waiting) timer = setTimeout(ask, settled ? retryMs * 4 : retryMs);
      };
      await ask();
    };
    run();
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, activeTabId, props.tabId, settings, retryMs, maxAsks]);

  const known = state.status !== null && (!isWaiting(state.status) || state.settled);
  const level = known && state.status ? rootLevel(state.status) : error !== null ? 'unknown' : undefined;
  useEffect(() => props.onLevel?.(level), [level, props.onLevel]);

  const onConsent = useCallback(async () => {
    await settings.giveReportConsent();
    setConsent({ given: true, at: now().toISOString() });
  }, [settings, now]);

  const onReport = useCallback(
    (reason: ReportReason, comment: string | undefined) => {
      if (tabId === null) return Promise.reject(new RequestError('no-tab', t('popup_no_state_title')));
      return api.report(tabId, reason, comment);
    },
    [api, tabId],
  );

  return (
    <PopupView
      status={state.status}
      settled={state.settled}
      error={error}
      consent={consent}
      now={now()}
      onConsent={onConsent}
      onReport={onReport}
      onOpenOptions={onOpenOptions}
    />
  );
}
