import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { ReportRecord } from '../lib/report/types';
import {
  allMarketplacesOn,
  type EnabledMarketplaces,
  getEnabledMarketplaces,
  getTheme,
  setMarketplaceEnabled,
  setTheme,
  type Theme,
} from '../lib/settings';
import { MARKETPLACES, type Marketplace } from '../lib/sites/snapshot';
import type { FeedMeta } from '../lib/store/types';
import { type PageApi, RequestError } from '../lib/ui/client';
import { feedErrorText, isLoudFeedError } from '../lib/ui/feeds';
import { formatDateTime, formatRelative, hostOf, safeHref } from '../lib/ui/format';
import { ALL_SHOPS, type HostPermissions, shopOrigin } from '../lib/ui/permissions';
import { marketplaceName } from '../lib/ui/reasons';
import { reportReasonLabel } from '../lib/ui/verdict';

/**
 * The options page: subscribed lists and their state, Sync now, add and remove a list by URL
 * (trust on first use, with the key fingerprint shown), which sites are checked, the optional
 * permission for other shops, the report history and what leaves the browser.
 */

function errorMessage(error: unknown): string {
  if (error instanceof RequestError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <>{t('value_never')}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

// --- feeds ------------------------------------------------------------------------------------

export interface FeedListProps {
  feeds: FeedMeta[] | null;
  /** Key fingerprints per feed URL, as lib/feed's keyFingerprint prints them. */
  fingerprints: Record<string, string[]>;
  now: Date;
  busy: boolean;
  onRemove: (url: string) => void;
}

export function FeedList({ feeds, fingerprints, now, busy, onRemove }: FeedListProps) {
  if (feeds === null) return <p class="muted">{t('options_loading')}</p>;
  if (feeds.length === 0) return <p class="muted">{t('options_feeds_empty')}</p>;
  return (
    <ul class="feeds">
      {feeds.map((feed) => {
        const expired = feed.expiresAt !== null && Date.parse(feed.expiresAt) <= now.getTime();
        const prints = fingerprints[feed.url] ?? [];
        return (
          <li
            key={feed.url}
            class="feed"
            data-source={feed.source}
            data-error={feed.lastError ? 'yes' : undefined}
          >
            <div class="feed-head">
              <h3>{feed.brandId}</h3>
              <span class="tag">
                {feed.source === 'user' ? t('feed_source_user') : t('feed_source_directory')}
              </span>
            </div>
            <dl>
              <dt>{t('feed_url')}</dt>
              <dd>
                <code>{feed.url}</code>
              </dd>
              <dt>{t('feed_version')}</dt>
              <dd>{feed.version === null ? t('feed_not_synced') : String(feed.version)}</dd>
              <dt>{t('feed_last_sync')}</dt>
              <dd>
                <When iso={feed.lastSuccess} now={now} />
              </dd>
              <dt>{t('feed_next_sync')}</dt>
              <dd>
                <When iso={feed.nextSync} now={now} />
              </dd>
              <dt>{t('feed_expires')}</dt>
              <dd class={expired ? 'bad' : undefined}>
                {feed.expiresAt ? (
                  <>
                    <When iso={feed.expiresAt} now={now} />
                    {expired && ` · ${t('feed_expired_note')}`}
                  </>
                ) : (
                  t('value_unknown')
                )}
              </dd>
              <dt>{t('feed_fingerprint')}</dt>
              <dd>
                {prints.length === 0
                  ? t('value_unknown')
                  : prints.map((p) => (
                      <code key={p} class="fingerprint">
                        {p}
                      </code>
                    ))}
              </dd>
            </dl>
            {feed.lastError && (
              <p class={isLoudFeedError(feed.lastError.code) ? 'feed-error loud' : 'feed-error'}>
                <strong>{t('feed_last_error')}</strong> <code>{feed.lastError.code}</code>:{' '}
                {feedErrorText(feed.lastError.code, feed.lastError.message)}{' '}
                <span class="muted">
                  (<When iso={feed.lastError.at} now={now} />)
                </span>
              </p>
            )}
            {feed.source === 'user' && (
              <button type="button" onClick={() => onRemove(feed.url)} disabled={busy}>
                {t('feed_remove')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export type AddFeedOutcome =
  | { ok: true; brandId: string; fingerprint: string }
  | { ok: false; code: string; message: string };

export interface AddFeedFormProps {
  busy: boolean;
  outcome: AddFeedOutcome | null;
  onAdd: (url: string) => void;
}

export function AddFeedForm({ busy, outcome, onAdd }: AddFeedFormProps) {
  const id = useId();
  const [url, setUrl] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    const value = url.trim();
    if (value !== '') onAdd(value);
  };
  return (
    <form class="add-feed" onSubmit={submit}>
      <p class="muted">{t('add_feed_explain')}</p>
      <div class="row">
        <label for={`${id}-url`}>{t('add_feed_label')}</label>
        <input
          id={`${id}-url`}
          name="feed-url"
          type="url"
          inputMode="url"
          placeholder="https://brand.example/.well-known/genuine-feed.json"
          required
          value={url}
          onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)}
          spellcheck={false}
          autoComplete="off"
        />
        <button type="submit" class="primary" disabled={busy}>
          {t('add_feed_button')}
        </button>
      </div>
      <div aria-live="polite">
        {outcome?.ok === true && (
          <div class="add-result ok" role="status">
            <p>{t('add_feed_ok', outcome.brandId)}</p>
            <p>
              {t('add_feed_fingerprint')} <code class="fingerprint">{outcome.fingerprint}</code>
            </p>
            <p class="muted">{t('add_feed_compare')}</p>
          </div>
        )}
      </div>
      {outcome?.ok === false &&
        (isLoudFeedError(outcome.code) ? (
          <div class="add-result loud" role="alert">
            <p>
              <strong>{t('feed_error_key_changed_title')}</strong>
            </p>
            <p>{feedErrorText(outcome.code, outcome.message)}</p>
            <p>
              <code>{outcome.code}</code>: {outcome.message}
            </p>
          </div>
        ) : (
          <div class="add-result error" role="alert">
            <p>
              <strong>{t('add_feed_failed')}</strong> {feedErrorText(outcome.code, outcome.message)}
            </p>
            <p class="muted">
              <code>{outcome.code}</code>: {outcome.message}
            </p>
          </div>
        ))}
    </form>
  );
}

// --- sites and permissions ----------------------------------------------------------------------

export interface SitesProps {
  enabled: EnabledMarketplaces;
  onToggle: (marketplace: Marketplace, on: boolean) => void;
}

export function SitesSection({ enabled, onToggle }: SitesProps) {
  return (
    <fieldset class="sites">
      <legend>{t('sites_legend')}</legend>
      <div class="site-grid">
        {MARKETPLACES.filter((m) => m !== 'web').map((m) => (
          <label key={m} class="check">
            <input
              type="checkbox"
              checked={enabled[m]}
              onChange={(e) => onToggle(m, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {marketplaceName(m)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export interface ShopsProps {
  /** Whether other shops are checked at all (the "web" marketplace switch). */
  webEnabled: boolean;
  /** Origins granted beyond the marketplaces ("https://*\/*" or one per shop). */
  granted: string[];
  message: string | null;
  onToggleWeb: (on: boolean) => void;
  onRequest: (origins: string[]) => void;
  onRevoke: (origins: string[]) => void;
}

export function ShopsSection({ webEnabled, granted, message, onToggleWeb, onRequest, onRevoke }: ShopsProps) {
  const id = useId();
  const [shop, setShop] = useState('');
  const [invalid, setInvalid] = useState(false);
  const allShops = granted.includes(ALL_SHOPS);
  const addShop = (event: Event) => {
    event.preventDefault();
    const origin = shopOrigin(shop);
    setInvalid(origin === null);
    // The permission request must run inside the click, before anything is awaited.
    if (origin !== null) onRequest([origin]);
  };
  return (
    <div class="shops">
      <p class="muted">{t('shops_explain')}</p>
      <label class="check">
        <input
          type="checkbox"
          checked={webEnabled}
          onChange={(e) => onToggleWeb((e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        {t('shops_web_toggle')}
      </label>
      <div class="row">
        {allShops ? (
          <button type="button" onClick={() => onRevoke([ALL_SHOPS])}>
            {t('shops_all_revoke')}
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => onRequest([ALL_SHOPS])}>
            {t('shops_all_request')}
          </button>
        )}
        <span class="muted">{allShops ? t('shops_all_granted') : t('shops_all_not_granted')}</span>
      </div>
      <form class="row" onSubmit={addShop}>
        <label for={`${id}-shop`}>{t('shops_one_label')}</label>
        <input
          id={`${id}-shop`}
          type="text"
          placeholder="shop.example.com"
          value={shop}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-shop-error` : undefined}
          onInput={(e) => setShop((e.currentTarget as HTMLInputElement).value)}
          spellcheck={false}
          autoComplete="off"
        />
        <button type="submit">{t('shops_one_button')}</button>
      </form>
      {invalid && (
        <p id={`${id}-shop-error`} class="bad">
          {t('shops_one_invalid')}
        </p>
      )}
      {granted.filter((o) => o !== ALL_SHOPS).length > 0 && (
        <ul class="granted">
          {granted
            .filter((o) => o !== ALL_SHOPS)
            .map((origin) => (
              <li key={origin}>
                <code>{origin}</code>{' '}
                <button
                  type="button"
                  onClick={() => onRevoke([origin])}
                  aria-label={t('shops_remove_label', origin)}
                >
                  {t('shops_remove')}
                </button>
              </li>
            ))}
        </ul>
      )}
      <p aria-live="polite" class="muted">
        {message}
      </p>
    </div>
  );
}

// --- reports ----------------------------------------------------------------------------------

export interface ReportHistoryProps {
  reports: ReportRecord[] | null;
  now: Date;
  busy: boolean;
  onDelete: (reportId: string) => void;
}

function statusText(r: ReportRecord, now: Date): string {
  switch (r.status) {
    case 'sent':
      return t('report_status_sent');
    case 'queued':
      return t('report_status_queued');
    case 'retrying':
      return r.nextAttemptAt
        ? t('report_status_retrying_at', formatRelative(r.nextAttemptAt, now))
        : t('report_status_retrying');
    case 'failed':
      return t('report_status_failed');
  }
}

export function ReportHistory({ reports, now, busy, onDelete }: ReportHistoryProps) {
  if (reports === null) return <p class="muted">{t('options_loading')}</p>;
  if (reports.length === 0) return <p class="muted">{t('reports_empty')}</p>;
  const sorted = [...reports].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <table class="reports">
      <thead>
        <tr>
          <th scope="col">{t('reports_col_time')}</th>
          <th scope="col">{t('reports_col_brand')}</th>
          <th scope="col">{t('reports_col_listing')}</th>
          <th scope="col">{t('reports_col_reason')}</th>
          <th scope="col">{t('reports_col_status')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('reports_col_actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => {
          const listing = r.payload.listing;
          const href = safeHref(listing.url);
          const seller = listing.seller?.name || listing.seller?.id;
          return (
            <tr key={r.reportId} data-status={r.status}>
              <td>
                <When iso={r.createdAt} now={now} />
              </td>
              <td>{r.payload.brandId}</td>
              <td class="listing">
                {href ? (
                  <a href={href} target="_blank" rel="noopener noreferrer">
                    {listing.title || `${hostOf(href) ?? ''}${new URL(href).pathname}`}
                  </a>
                ) : (
                  listing.url
                )}
                {seller && <span class="muted"> · {seller}</span>}
              </td>
              <td>{reportReasonLabel(r.payload.reason)}</td>
              <td class={`status status-${r.status}`}>
                {statusText(r, now)}
                {r.endpoint && r.status !== 'failed' && <span class="muted"> · {hostOf(r.endpoint)}</span>}
                {r.lastError && r.status !== 'sent' && (
                  <span class="muted">
                    {' '}
                    · {t('report_last_error')} <code>{r.lastError}</code>
                  </span>
                )}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => onDelete(r.reportId)}
                  disabled={busy}
                  aria-label={t('reports_delete_label', listing.title || listing.url)}
                >
                  {t('reports_delete')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// --- privacy ----------------------------------------------------------------------------------

export function PrivacySection({ feeds }: { feeds: FeedMeta[] | null }) {
  const hosts = [
    ...new Set((feeds ?? []).map((f) => hostOf(f.url)).filter((h): h is string => h !== null)),
  ].sort();
  return (
    <div class="privacy">
      <p>{t('privacy_intro')}</p>
      <ul>
        <li>
          <strong>{t('privacy_sync_title')}</strong> {t('privacy_sync_body')}
          {hosts.length > 0 && (
            <>
              {' '}
              {t('privacy_sync_hosts')} {hosts.join(', ')}
            </>
          )}
        </li>
        <li>
          <strong>{t('privacy_reports_title')}</strong> {t('privacy_reports_body')}
        </li>
        <li>
          <strong>{t('privacy_nothing_title')}</strong> {t('privacy_nothing_body')}
        </li>
      </ul>
      <p class="muted">{t('privacy_local')}</p>
    </div>
  );
}

// --- theme ------------------------------------------------------------------------------------

export function ThemeSection({ theme, onChange }: { theme: Theme; onChange: (theme: Theme) => void }) {
  const id = useId();
  return (
    <div class="row">
      <label for={`${id}-theme`}>{t('theme_label')}</label>
      <select
        id={`${id}-theme`}
        value={theme}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as Theme)}
      >
        <option value="system">{t('theme_system')}</option>
        <option value="light">{t('theme_light')}</option>
        <option value="dark">{t('theme_dark')}</option>
      </select>
    </div>
  );
}

// --- the page ---------------------------------------------------------------------------------

export interface OptionsSettings {
  getEnabledMarketplaces(): Promise<EnabledMarketplaces>;
  setMarketplaceEnabled(marketplace: Marketplace, on: boolean): Promise<EnabledMarketplaces>;
  getTheme(): Promise<Theme>;
  setTheme(theme: Theme): Promise<void>;
}

const defaultSettings: OptionsSettings = {
  getEnabledMarketplaces,
  setMarketplaceEnabled,
  getTheme,
  setTheme,
};

export interface OptionsAppProps {
  api: PageApi;
  permissions: HostPermissions;
  fingerprint: (publicKey: string) => Promise<string>;
  settings?: OptionsSettings;
  onTheme?: (theme: Theme) => void;
  now?: () => Date;
}

export function OptionsApp(props: OptionsAppProps) {
  const { api, permissions, fingerprint, settings = defaultSettings, onTheme } = props;
  const now = (props.now ?? (() => new Date()))();
  const [feeds, setFeeds] = useState<FeedMeta[] | null>(null);
  const [fingerprints, setFingerprints] = useState<Record<string, string[]>>({});
  const [reports, setReports] = useState<ReportRecord[] | null>(null);
  const [enabled, setEnabled] = useState<EnabledMarketplaces>(allMarketplacesOn());
  const [theme, setThemeState] = useState<Theme>('system');
  const [granted, setGranted] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [feedStatus, setFeedStatus] = useState<string | null>(null);
  const [addOutcome, setAddOutcome] = useState<AddFeedOutcome | null>(null);
  const [shopMessage, setShopMessage] = useState<string | null>(null);
  const [reportStatus, setReportStatus] = useState<string | null>(null);

  const loadFeeds = useCallback(async () => {
    try {
      const list = await api.feeds();
      setFeeds(list);
      const entries = await Promise.all(
        list.map(async (f) => {
          const prints = await Promise.all(f.keys.map((k) => fingerprint(k).catch(() => null)));
          return [f.url, prints.filter((p): p is string => p !== null)] as const;
        }),
      );
      setFingerprints(Object.fromEntries(entries));
    } catch (error) {
      setFeeds([]);
      setFeedStatus(t('options_request_failed', errorMessage(error)));
    }
  }, [api, fingerprint]);

  const loadReports = useCallback(async () => {
    try {
      setReports(await api.reports());
    } catch (error) {
      setReports([]);
      setReportStatus(t('options_request_failed', errorMessage(error)));
    }
  }, [api]);

  const loadGranted = useCallback(async () => {
    setGranted(await permissions.granted().catch(() => []));
  }, [permissions]);

  useEffect(() => {
    loadFeeds();
    loadReports();
    loadGranted();
    settings.getEnabledMarketplaces().then(setEnabled, () => undefined);
    settings.getTheme().then(setThemeState, () => undefined);
  }, [loadFeeds, loadReports, loadGranted, settings]);

  const syncNow = async () => {
    setBusy(true);
    setFeedStatus(t('feeds_syncing'));
    try {
      await api.syncNow();
      await loadFeeds();
      setFeedStatus(t('feeds_synced'));
    } catch (error) {
      setFeedStatus(t('options_request_failed', errorMessage(error)));
    } finally {
      setBusy(false);
    }
  };

  const addFeed = async (url: string) => {
    setBusy(true);
    setAddOutcome(null);
    try {
      const result = await api.addFeed(url);
      setAddOutcome(result);
      if (result.ok) await loadFeeds();
    } catch (error) {
      const code = error instanceof RequestError ? error.code : 'error';
      setAddOutcome({ ok: false, code, message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const removeFeed = async (url: string) => {
    setBusy(true);
    try {
      await api.removeFeed(url);
      setFeedStatus(t('feed_removed', url));
      await loadFeeds();
    } catch (error) {
      setFeedStatus(t('options_request_failed', errorMessage(error)));
    } finally {
      setBusy(false);
    }
  };

  const deleteReport = async (reportId: string) => {
    setBusy(true);
    try {
      await api.deleteReport(reportId);
      setReportStatus(t('reports_deleted'));
      await loadReports();
    } catch (error) {
      setReportStatus(t('options_request_failed', errorMessage(error)));
    } finally {
      setBusy(false);
    }
  };

  const toggleMarketplace = (marketplace: Marketplace, on: boolean) => {
    setEnabled((was) => ({ ...was, [marketplace]: on }));
    settings.setMarketplaceEnabled(marketplace, on).then(setEnabled, () => undefined);
  };

  const requestOrigins = (origins: string[]) => {
    // Called straight from the click handler: permissions.request needs the user gesture.
    permissions.request(origins).then(
      async (ok) => {
        setShopMessage(ok ? t('shops_granted', origins.join(', ')) : t('shops_refused'));
        await loadGranted();
      },
      (error: unknown) => setShopMessage(t('options_request_failed', errorMessage(error))),
    );
  };

  const revokeOrigins = (origins: string[]) => {
    permissions.remove(origins).then(
      async () => {
        setShopMessage(t('shops_revoked', origins.join(', ')));
        await loadGranted();
      },
      (error: unknown) => setShopMessage(t('options_request_failed', errorMessage(error))),
    );
  };

  const changeTheme = (next: Theme) => {
    setThemeState(next);
    onTheme?.(next);
    settings.setTheme(next).catch(() => undefined);
  };

  return (
    <main class="options">
      <header class="page-head">
        <img src="/icon/48.png" alt="" width={32} height={32} />
        <h1>{t('options_title')}</h1>
      </header>

      <section aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">{t('feeds_heading')}</h2>
        <div class="row">
          <button type="button" onClick={syncNow} disabled={busy}>
            {t('feeds_sync_now')}
          </button>
          <span role="status" class="muted">
            {feedStatus}
          </span>
        </div>
        <FeedList feeds={feeds} fingerprints={fingerprints} now={now} busy={busy} onRemove={removeFeed} />
        <h3>{t('add_feed_heading')}</h3>
        <AddFeedForm busy={busy} outcome={addOutcome} onAdd={addFeed} />
      </section>

      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading">{t('sites_heading')}</h2>
        <SitesSection enabled={enabled} onToggle={toggleMarketplace} />
        <h3>{t('shops_heading')}</h3>
        <ShopsSection
          webEnabled={enabled.web}
          granted={granted}
          message={shopMessage}
          onToggleWeb={(on) => toggleMarketplace('web', on)}
          onRequest={requestOrigins}
          onRevoke={revokeOrigins}
        />
      </section>

      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">{t('reports_heading')}</h2>
        <p role="status" class="muted">
          {reportStatus}
        </p>
        <ReportHistory reports={reports} now={now} busy={busy} onDelete={deleteReport} />
      </section>

      <section aria-labelledby="appearance-heading">
        <h2 id="appearance-heading">{t('appearance_heading')}</h2>
        <ThemeSection theme={theme} onChange={changeTheme} />
      </section>

      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">{t('privacy_heading')}</h2>
        <PrivacySection feeds={feeds} />
      </section>
    </main>
  );
}
