import { checkProduct } from '../check/check';
import type { Verdict } from '../check/types';
import { ContentMessage, PageMessage, type TabState } from '../messages';
import {
  type BackgroundMessage,
  contentSenderTab,
  isExtensionPageSender,
  type SenderLike,
} from '../messaging';
import type { ClientInfo } from '../report/build';
import type { ReportService } from '../report/queue';
import type { SubmitResult } from '../report/types';
import { ADAPTERS } from '../sites/registry';
import type { ProductSnapshot } from '../sites/snapshot';
import type { SiteAdapter } from '../sites/types';
import { siteOf } from '../sites/url';
import type { StoreReader, StoreWriter } from '../store/types';
import type { Sync, SyncReport } from '../sync';
import { type ActionApi, pickActionApi, showOnAction } from './action';
import { type GenericShops, originGranted, type PermissionsApi } from './generic-shops';
import {
  type AlarmsApi,
  FIRST_SYNC_DELAY_MS,
  MAX_DELAY_MS,
  nextAlarmTime,
  setWorkAlarm,
  WORK_ALARM,
} from './schedule';
import { createTabStates, createTabWriteQueue, type SessionArea, type TabStates } from './tab-state';

/**
 * The background's logic, with every browser API injected so that unit tests call it directly
 * (entrypoints/background.ts only registers listeners that await one readiness promise and
 * forward here). Nothing is kept only in memory: tab verdicts live in storage.session, lists and
 * reports in IndexedDB, the schedule in one alarm; the few in-memory values (a running job, the
 * tab writes under way, the clock floor read once) are only there to avoid doing the same work
 * twice or waiting for it.
 *
 * The check a content script sends is answered as soon as its verdict is known: the tab's state
 * (storage.session) and its toolbar button are written after (a task later; of several checks of
 * one tab queued meanwhile, only the newest), in order per tab, and whatever reads
 * a tab's state (the popup's `tab-state`, a report, re-checking tabs) waits for that tab's pending
 * writes first, so it never sees a stale one.
 *
 * Answers (the popup and options parse them with lib/ui/responses.ts):
 *   check         -> { verdict: Verdict | null }            (content script)
 *   clear         -> { ok: true }                          (content script)
 *   tab-state     -> TabState | null
 *   report        -> SubmitResult
 *   feeds         -> FeedMeta[]
 *   sync-now      -> FeedMeta[] (after the sync ran)
 *   add-feed      -> { ok: true, brandId, fingerprint, meta } | ErrorResponse
 *   remove-feed   -> { ok: true } | ErrorResponse
 *   reports       -> ReportRecord[]
 *   delete-report -> { ok: true }
 * and any request may be answered { ok: false, code, message } (ErrorResponse): "forbidden"
 * (wrong sender), "invalid-message" (failed the schema), "site-mismatch" (a snapshot that does
 * not belong to the page that sent it), "internal".
 */

export interface BackgroundBrowser {
  runtime: { id: string; getURL(path: string): string };
  tabs: {
    sendMessage(tabId: number, message: unknown): Promise<unknown>;
    /** To confirm a stored verdict still belongs to the page the tab shows. */
    get?(tabId: number): Promise<{ url?: string | undefined }>;
  };
  storage: { session: SessionArea };
  alarms: AlarmsApi;
  action?: ActionApi | undefined;
  browserAction?: ActionApi | undefined;
  permissions?: PermissionsApi | undefined;
}

export interface BackgroundDeps {
  browser: BackgroundBrowser;
  store: StoreReader & Pick<StoreWriter, 'listMeta'>;
  sync: Pick<Sync, 'syncDue' | 'syncAll' | 'nextWakeup' | 'addUserFeed' | 'removeFeed'>;
  reports: Pick<ReportService, 'submit' | 'processQueue' | 'list' | 'delete' | 'nextWakeup'>;
  client: ClientInfo;
  genericShops?: GenericShops;
  /** Marketplace adapters whose domains a snapshot's site must belong to; lib/sites ADAPTERS by default. */
  adapters?: readonly Pick<SiteAdapter, 'marketplace' | 'domains'>[];
  now?: () => Date;
  /**
   * The newest issuedAt ever accepted (store.getClockFloor): a clock set back cannot revive an
   * expired list. Read once and kept (it only rises), and read again after a sync imported something.
   */
  clockFloor?: () => Promise<string | null>;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RunSummary {
  /** True when a list was imported or dropped, so open tabs were checked again. */
  listsChanged: boolean;
  /** Tabs whose verdict was recomputed. */
  rechecked: number;
  /** When the work alarm fires next (ms since the epoch). */
  nextAlarm: number;
}

export interface Background {
  handleMessage(message: unknown, sender: SenderLike): Promise<unknown>;
  onTabRemoved(tabId: number): Promise<void>;
  onTabUpdated(tabId: number, change: { url?: string; status?: string }): Promise<void>;
  onAlarm(alarm: { name: string }): Promise<void>;
  onInstalled(details: { reason: string }): Promise<void>;
  /**
   * At every start of the background: keep the work alarm if it is set and ahead (else compute it
   * again), re-register granted shops. Reads no feed state when the alarm stands.
   */
  start(): Promise<void>;
  /** Sync what is due (or everything with forceSync), send queued reports, re-check tabs, reschedule. */
  runJobs(options?: { forceSync?: boolean }): Promise<RunSummary>;
  /** Recomputes every open product tab's verdict from its stored snapshot; pushes changes. */
  recheckTabs(): Promise<number>;
  /** Sets the work alarm at the earliest wake-up of sync and reports; returns when. */
  schedule(): Promise<number>;
  /** Tab states as readers see them: each read waits for the tab's pending writes. */
  readonly tabs: TabStates;
  /** Settles once every tab write asked for so far (state and toolbar button) is done. */
  settled(): Promise<void>;
}

type ErrorResponse = { ok: false; code: string; message: string };

function refuse(code: string, message: string): ErrorResponse {
  return { ok: false, code, message };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withoutHash(url: string | null | undefined): string | null {
  if (!url) return null;
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

function listsChanged(report: SyncReport): boolean {
  return (
    report.feeds.some((r) => r.status === 'updated' || r.status === 'dropped') ||
    report.directory?.status === 'dropped'
  );
}

/** Did the sync import anything (which may raise the clock floor)? */
function imported(report: SyncReport): boolean {
  return report.feeds.some((r) => r.status === 'updated') || report.directory?.status === 'updated';
}

/** Resolves in a later task (after the microtasks queued now, such as sending an answer). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The same check of the same page: a re-check's verdict may replace the stored one. */
function sameCheck(a: TabState, b: TabState): boolean {
  return (
    a.updatedAt === b.updatedAt &&
    a.url === b.url &&
    JSON.stringify(a.snapshot) === JSON.stringify(b.snapshot)
  );
}

/** Verdicts that say the same thing (checkedAt aside). */
function sameVerdict(a: Verdict | null, b: Verdict | null): boolean {
  if (a === null || b === null) return a === b;
  const strip = (v: Verdict) => JSON.stringify({ ...v, checkedAt: '' });
  return strip(a) === strip(b);
}

const CONTENT_TYPES = new Set<string>(ContentMessage.options.map((o) => o.shape.type.value));

export function createBackground(deps: BackgroundDeps): Background {
  const { browser, store, sync, reports } = deps;
  const action = pickActionApi(browser);
  const clock = deps.now ?? (() => new Date());
  const log = deps.log ?? ((level, message) => console[level](`[genuine] ${message}`));
  const adapters = deps.adapters ?? ADAPTERS;
  let running: Promise<RunSummary> | null = null;

  // Tab state: `stored` is storage.session itself, written only through `writes` (one queue per
  // tab); `tabs` is what readers use, each read after the tab's pending writes.
  const stored = createTabStates(browser.storage.session);
  const writes = createTabWriteQueue(log);
  const tabs: TabStates = {
    async get(tabId) {
      await writes.settled(tabId);
      return stored.get(tabId);
    },
    put: (state) => writes.enqueue(state.tabId, () => stored.put(state)),
    remove: (tabId) => writes.enqueue(tabId, () => stored.remove(tabId)),
    async all() {
      await writes.settledAll();
      return stored.all();
    },
  };

  /** Per tab, the newest checked state waiting to be written (older ones are not written at all). */
  const latestChecked = new Map<number, TabState>();

  /** Writes a checked tab's state and shows its verdict on the toolbar button. */
  async function showTab(state: TabState): Promise<void> {
    await Promise.all([stored.put(state), showOnAction(action, state.tabId, state.verdict)]);
  }

  /** Forgets a tab's verdict and blanks its toolbar button (after the tab's pending writes). */
  function clearTab(tabId: number): Promise<void> {
    return writes.enqueue(tabId, async () => {
      await Promise.all([stored.remove(tabId), showOnAction(action, tabId, null)]);
    });
  }

  // The clock floor (feed-format.md section 4: "now" is never below the newest issuedAt accepted),
  // kept in memory rather than read on every check: it only rises, and only a sync that imported
  // something raises it. The first read starts right away so that the first check rarely waits.
  let floorMs = Number.NaN;
  let floorKnown = false;
  let floorReading: Promise<void> | null = null;

  async function readFloor(): Promise<void> {
    try {
      const value = deps.clockFloor ? await deps.clockFloor() : null;
      const ms = value ? Date.parse(value) : Number.NaN;
      if (Number.isFinite(ms) && !(ms <= floorMs)) floorMs = ms;
      floorKnown = true;
    } catch (error) {
      // Not known yet: the next check reads it again.
      log('warn', `could not read the clock floor: ${errorText(error)}`);
    }
  }

  /** Reads the floor (again); a read already under way is shared unless `fresh` is asked. */
  function loadFloor(fresh = false): Promise<void> {
    if (floorReading && !fresh) return floorReading;
    const reading = readFloor().finally(() => {
      if (floorReading === reading) floorReading = null;
    });
    floorReading = reading;
    return reading;
  }
  void loadFloor();

  /** The later of the local clock and the newest issuedAt ever accepted (feed-format.md section 4). */
  async function checkTime(): Promise<Date> {
    if (!floorKnown) await loadFloor();
    const local = clock();
    return Number.isFinite(floorMs) && floorMs > local.getTime() ? new Date(floorMs) : local;
  }

  /** Does the snapshot belong to the page that sent it? A page cannot pose as another site. */
  async function fitsSender(snapshot: ProductSnapshot, pageUrl: string | undefined): Promise<boolean> {
    if (!pageUrl) return false;
    const site = siteOf(pageUrl);
    if (site === null || site !== snapshot.site) return false;
    const marketplaceSite = adapters.some((a) => a.domains.includes(site));
    if (snapshot.marketplace === 'web') {
      if (marketplaceSite) return false;
      // The generic adapter runs only where the shopper granted access.
      return browser.permissions ? originGranted(browser.permissions, pageUrl) : false;
    }
    return adapters.some((a) => a.marketplace === snapshot.marketplace && a.domains.includes(site));
  }

  /**
   * The tab's state, if the tab still shows that page: a tab that is gone or shows another URL
   * has no verdict. (Where the browser hides a tab's URL from us, onTabUpdated's "loading" has
   * already cleared a tab that left for a site we cannot see.)
   */
  async function currentState(tabId: number): Promise<TabState | null> {
    const state = await tabs.get(tabId);
    if (!state || !browser.tabs.get) return state;
    let url: string | undefined;
    try {
      url = (await browser.tabs.get(tabId)).url;
    } catch {
      await clearTab(tabId);
      return null;
    }
    if (url !== undefined && withoutHash(url) !== withoutHash(state.url)) {
      await clearTab(tabId);
      return null;
    }
    return state;
  }

  async function handleContent(message: unknown, tabId: number, sender: SenderLike): Promise<unknown> {
    const parsed = ContentMessage.safeParse(message);
    if (!parsed.success)
      return refuse('invalid-message', parsed.error.issues[0]?.message ?? 'invalid message');
    const m = parsed.data;
    // Content scripts never wait for the tab's writes: they are queued in order and readers of the
    // tab's state wait for them (see the note at the top).
    if (m.type === 'clear') {
      void clearTab(tabId);
      return { ok: true };
    }
    const pageUrl = sender.url ?? sender.tab?.url;
    if (m.snapshot === null) {
      void clearTab(tabId);
      return { verdict: null };
    }
    if (!(await fitsSender(m.snapshot, pageUrl))) {
      return refuse('site-mismatch', 'the product does not belong to the page that sent it');
    }
    const verdict = await checkProduct(m.snapshot, store, await checkTime());
    const state: TabState = {
      tabId,
      url: pageUrl ?? null,
      supported: true,
      snapshot: m.snapshot,
      diagnostics: m.diagnostics,
      verdict,
      updatedAt: clock().toISOString(),
    };
    // Queued now, so that a reader of the tab's state waits for it, but started a task later: the
    // answer goes out first (a write started now would run its synchronous part, serializing the
    // state and four toolbar calls, before the answer, which waits behind it in the microtask
    // queue). A check that comes in meanwhile for the same tab supersedes this one unwritten.
    latestChecked.set(tabId, state);
    void writes.enqueue(tabId, async () => {
      await nextTask();
      if (latestChecked.get(tabId) !== state) return;
      latestChecked.delete(tabId);
      await showTab(state);
    });
    return { verdict };
  }

  async function handlePage(message: unknown): Promise<unknown> {
    const parsed = PageMessage.safeParse(message);
    if (!parsed.success)
      return refuse('invalid-message', parsed.error.issues[0]?.message ?? 'invalid message');
    const m = parsed.data;
    switch (m.type) {
      case 'tab-state':
        return currentState(m.tabId);
      case 'report': {
        const state = await tabs.get(m.tabId);
        if (!state?.snapshot || !state.verdict) {
          const none: SubmitResult = {
            status: 'not-reportable',
            message: 'No product has been checked in this tab.',
          };
          return none;
        }
        const input: Parameters<typeof reports.submit>[0] = {
          snapshot: state.snapshot,
          verdict: state.verdict,
          reason: m.reason,
          client: deps.client,
        };
        if (m.comment !== undefined) input.comment = m.comment;
        const result = await reports.submit(input);
        // A report that could not go out yet is retried by the same alarm.
        if (result.status === 'queued') await schedule();
        return result;
      }
      case 'feeds':
        return store.listMeta();
      case 'sync-now':
        await runJobs({ forceSync: true });
        return store.listMeta();
      case 'add-feed': {
        const result = await sync.addUserFeed(m.url);
        if (result.ok) {
          await loadFloor(true);
          await recheckTabs();
          await schedule();
        }
        return result;
      }
      case 'remove-feed': {
        const result = await sync.removeFeed(m.url);
        if (result.ok) await recheckTabs();
        return result;
      }
      case 'reports':
        return reports.list();
      case 'delete-report':
        await reports.delete(m.reportId);
        await schedule();
        return { ok: true };
    }
  }

  async function handleMessage(message: unknown, sender: SenderLike): Promise<unknown> {
    try {
      const type =
        typeof message === 'object' && message !== null && 'type' in message
          ? (message as { type: unknown }).type
          : null;
      if (typeof type === 'string' && CONTENT_TYPES.has(type)) {
        const tabId = contentSenderTab(sender, browser.runtime.id);
        if (tabId === null) return refuse('forbidden', 'only the extension content script may send this');
        return await handleContent(message, tabId, sender);
      }
      if (!isExtensionPageSender(sender, browser.runtime.id, browser.runtime.getURL(''))) {
        return refuse('forbidden', "only the extension's own pages may send this");
      }
      return await handlePage(message);
    } catch (error) {
      log('error', `message failed: ${errorText(error)}`);
      return refuse('internal', errorText(error));
    }
  }

  async function recheckTabs(): Promise<number> {
    const now = await checkTime();
    let count = 0;
    for (const state of await tabs.all()) {
      if (state.snapshot === null) continue;
      try {
        const verdict = await checkProduct(state.snapshot, store, now);
        count++;
        if (sameVerdict(state.verdict, verdict)) continue;
        let written = false;
        await writes.enqueue(state.tabId, async () => {
          // Checked again (or gone) while this verdict was computed: the newer state stands.
          const current = await stored.get(state.tabId);
          if (current === null || !sameCheck(current, state)) return;
          await showTab({ ...state, verdict, updatedAt: clock().toISOString() });
          written = true;
        });
        if (!written) continue;
        const push: BackgroundMessage = { type: 'verdict', url: state.url ?? state.snapshot.url, verdict };
        // The tab may be gone, or show a page without our content script: nothing to update.
        await browser.tabs.sendMessage(state.tabId, push).catch(() => undefined);
      } catch (error) {
        log('warn', `re-check of tab ${state.tabId} failed: ${errorText(error)}`);
      }
    }
    return count;
  }

  async function schedule(): Promise<number> {
    const [a, b] = await Promise.all([
      sync.nextWakeup().catch(() => null),
      reports.nextWakeup().catch(() => null),
    ]);
    const when = nextAlarmTime([a, b], clock());
    await setWorkAlarm(browser.alarms, when);
    return when;
  }

  async function work(forceSync: boolean): Promise<RunSummary> {
    let changed = false;
    try {
      const report = forceSync ? await sync.syncAll({ force: true }) : await sync.syncDue();
      changed = listsChanged(report);
      // An import may have raised the clock floor.
      if (imported(report)) await loadFloor(true);
    } catch (error) {
      log('error', `sync failed: ${errorText(error)}`);
    }
    try {
      await reports.processQueue();
    } catch (error) {
      log('error', `report queue failed: ${errorText(error)}`);
    }
    const rechecked = changed ? await recheckTabs() : 0;
    const nextAlarm = await schedule();
    return { listsChanged: changed, rechecked, nextAlarm };
  }

  function runJobs(options: { forceSync?: boolean } = {}): Promise<RunSummary> {
    const force = options.forceSync === true;
    // One run at a time. A forced run waits for the one in progress, then runs itself.
    const previous = running;
    if (previous && !force) return previous;
    const next = (previous ? previous.catch(() => undefined) : Promise.resolve()).then(() => work(force));
    running = next;
    const done = () => {
      if (running === next) running = null;
    };
    next.then(done, done);
    return next;
  }

  /**
   * At start: an alarm that is set and ahead (no further than a schedule ever puts it) stands;
   * only a missing or stale one is computed again, since that reads every feed's schedule.
   */
  async function keepOrSchedule(): Promise<void> {
    const alarm = await Promise.resolve(browser.alarms.get(WORK_ALARM)).catch(() => undefined);
    const now = clock().getTime();
    if (alarm && alarm.scheduledTime > now && alarm.scheduledTime <= now + MAX_DELAY_MS) return;
    await schedule();
  }

  return {
    tabs,
    settled: () => writes.settledAll(),
    handleMessage,
    recheckTabs,
    schedule,
    runJobs,
    async onTabRemoved(tabId) {
      await tabs.remove(tabId);
    },
    async onTabUpdated(tabId, change) {
      if (change.url === undefined && change.status !== 'loading') return;
      const state = await tabs.get(tabId);
      if (!state) return;
      // A new page (not just a new #fragment): the old verdict no longer applies. The content
      // script of a product page sends a fresh check; any other page leaves the button blank.
      // Loading without a URL we may see: the tab went to a site we have no access to (or
      // reloads, and its content script checks again).
      if (change.url === undefined || withoutHash(state.url) !== withoutHash(change.url))
        await clearTab(tabId);
    },
    async onAlarm(alarm) {
      if (alarm.name !== WORK_ALARM) return;
      await runJobs();
    },
    async onInstalled(details) {
      if (details.reason !== 'install') return;
      // A safety net first (the worker may stop mid-sync), then the first sync right away.
      await setWorkAlarm(browser.alarms, clock().getTime() + FIRST_SYNC_DELAY_MS);
      await runJobs({ forceSync: true });
    },
    async start() {
      await keepOrSchedule().catch((error) => log('error', `scheduling failed: ${errorText(error)}`));
      if (deps.genericShops) {
        await deps.genericShops.sync().catch((error) => log('warn', `granted shops: ${errorText(error)}`));
      }
    },
  };
}
