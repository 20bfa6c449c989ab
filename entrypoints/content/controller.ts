import type { Verdict } from '@/lib/check/types';
import { BackgroundMessage, type Send, sendCheck, sendClear } from '@/lib/messaging';
import type { ExtractionDiagnostics, ProductSnapshot } from '@/lib/sites/snapshot';

/**
 * What the content script does on a page, without the browser: read the page, ask the background
 * for the verdict, show one badge, and read again when the product changes.
 *
 * - The verdict only ever comes from the background (a reply to 'check', or a pushed 'verdict'
 *   after a list changed). The page cannot message the extension, and nothing it writes into
 *   the DOM is used except through the site adapter's snapshot, which the background checks
 *   against the page's own URL.
 * - The script runs at document_end, while the page may still be building itself: as soon as a
 *   product is read, the check goes out and the badge is put beside it in its "checking" state,
 *   then filled with the answer. One badge for the page, moved or redrawn, never a second one.
 * - Late buy boxes: a MutationObserver (childList + subtree only) reads the page again. Its
 *   callback does no work per mutation record: it arms one timer, and ignores everything until
 *   that timer has fired. Reads that find nothing new double the wait (up to `maxThrottleMs`);
 *   a read that finds a change starts again from `throttleMs`. Watching stops once the product is
 *   complete (price and seller read), its verdict is shown and the page has loaded, or after
 *   `watchMs` at the latest.
 * - Single-page shops and variation switches: on every URL change the badge goes and the page is
 *   read afresh (the entrypoint forwards WXT's `wxt:locationchange`).
 * - Everything stops when `signal` aborts (the extension was updated or removed).
 */

export interface ExtractResult {
  snapshot: ProductSnapshot | null;
  diagnostics: ExtractionDiagnostics | null;
  adapter: string | null;
}

export interface BadgePlace {
  adapter: string | null;
  marketplace: string;
  pageBrand: string | null;
}

/** Shows the one badge of the page (entrypoints/content/badge-host.ts). */
export interface BadgeHost {
  /**
   * The background is being asked about the product as it reads now: shows the badge beside the
   * price in its "checking" state, or marks a shown badge as being checked again (it keeps its
   * last verdict until the answer comes).
   */
  checking(place: BadgePlace): void;
  /** Shows this verdict next to the product's price (moving the one badge there if needed). */
  show(verdict: Verdict | null, place: BadgePlace): void;
  /** Redraws the shown badge with a new verdict; false when no badge is shown. */
  update(verdict: Verdict | null): boolean;
  remove(): void;
  isShown(): boolean;
}

export interface ControllerDeps {
  doc: Document;
  /** The page's current URL. */
  url: () => string;
  extract: (doc: Document, url: string) => ExtractResult;
  /**
   * Settles once the shopper's settings are known; the first read waits for it after reading the
   * page, before sending or showing anything (reading and loading the settings overlap).
   */
  ready?: Promise<unknown>;
  /** May this page be checked? (false: its marketplace is switched off; read as no product) */
  allowed?: (url: string) => boolean;
  /** runtime.sendMessage. */
  send: Send;
  badge: BadgeHost;
  warn: (message: string) => void;
  signal: AbortSignal;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  MutationObserver?: typeof MutationObserver | undefined;
  /** Has the page's load event fired? (default: document.readyState is "complete") */
  pageLoaded?: () => boolean;
  /** How long to keep watching for a late buy box (default 15 s). */
  watchMs?: number;
  /** Wait between a DOM change and the read it causes (default 250 ms). */
  throttleMs?: number;
  /** The longest wait, reached by doubling while reads find nothing new (default 2 s). */
  maxThrottleMs?: number;
}

export interface Controller {
  /** First read of the page, and the start of the watch for late content. */
  start(): void;
  onLocationChange(): void;
  /** The page's load event: one more read, after which a complete product stops the watch. */
  onPageLoad(): void;
  /** The shopper's settings changed (a marketplace switched off or on): read the page again. */
  refresh(): Promise<void>;
  onBackgroundMessage(message: unknown): Promise<void>;
  /** Reads the page now (also what the observer's timer calls). */
  read(): Promise<void>;
  /** Is the page being watched for changes? */
  watching(): boolean;
}

function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/** All the snapshot the check needs is there: no reason to keep watching the page. */
function complete(s: ProductSnapshot): boolean {
  return s.price !== null && (s.seller !== null || s.marketplace === 'web');
}

/** At most this many records, each with at most this many nodes, are looked at to tell ours apart. */
const OWN_RECORDS = 4;
const OWN_NODES = 2;

function isOwnNode(node: Node): boolean {
  const el = node as Node & { localName?: string; hasAttribute?: (name: string) => boolean };
  if (el.localName === 'genuine-badge') return true;
  // WXT's document-level styles of a shadow-root UI (only for rules a shadow root cannot hold).
  return el.localName === 'style' && el.hasAttribute?.('wxt-shadow-root-document-styles') === true;
}

/**
 * Only our own badge going in or out (mounting, moving, removing it)? Looks at a bounded number of
 * records and nodes: a batch bigger than that is the page's own work, whatever is in it.
 */
export function onlyOwnMutations(records: readonly MutationRecord[]): boolean {
  if (records.length === 0 || records.length > OWN_RECORDS) return false;
  for (const r of records) {
    if (r.type !== 'childList') return false;
    const added = r.addedNodes.length;
    const removed = r.removedNodes.length;
    if (added + removed === 0 || added > OWN_NODES || removed > OWN_NODES) return false;
    for (let i = 0; i < added; i++) if (!isOwnNode(r.addedNodes[i] as Node)) return false;
    for (let i = 0; i < removed; i++) if (!isOwnNode(r.removedNodes[i] as Node)) return false;
  }
  return true;
}

export function createController(deps: ControllerDeps): Controller {
  const watchMs = deps.watchMs ?? 15_000;
  const throttleMs = deps.throttleMs ?? 250;
  const maxThrottleMs = Math.max(throttleMs, deps.maxThrottleMs ?? 2_000);
  const pageLoaded = deps.pageLoaded ?? (() => deps.doc.readyState === 'complete');
  let lastKey: string | null = null;
  /** The snapshot whose verdict the badge shows (not just "checking"). */
  let doneKey: string | null = null;
  let lastVerdict: { verdict: Verdict | null } | null = null;
  let seq = 0;
  let shownFor: string | null = null;
  let observer: MutationObserver | null = null;
  let watchTimer: unknown = null;
  let readTimer: unknown = null;
  let interval = throttleMs;
  let last: ExtractResult | null = null;
  /** The background holds a verdict for this tab from us (until we send 'clear'). */
  let announced = false;
  let settingsKnown = false;
  const logged = new Set<string>();

  function stopWatching(): void {
    observer?.disconnect();
    observer = null;
    if (watchTimer !== null) deps.clearTimeout(watchTimer);
    if (readTimer !== null) deps.clearTimeout(readTimer);
    watchTimer = null;
    readTimer = null;
  }

  /** One "[genuine] <adapter>: could not read <field>" line per field and page, when reading is over. */
  function logMissing(): void {
    const d = last?.diagnostics;
    if (!d) return;
    for (const field of d.missing) {
      const key = `${withoutHash(deps.url())}|${d.adapter}|${field}`;
      if (logged.has(key)) continue;
      logged.add(key);
      deps.warn(`[genuine] ${d.adapter}: could not read ${field}`);
    }
  }

  /** One read, `interval` from now, unless one is already coming. */
  function scheduleRead(): void {
    if (readTimer !== null || observer === null || deps.signal.aborted) return;
    readTimer = deps.setTimeout(() => {
      readTimer = null;
      void read(true);
    }, interval);
  }

  function startWatching(): void {
    stopWatching();
    interval = throttleMs;
    const MO = deps.MutationObserver ?? globalThis.MutationObserver;
    const root = deps.doc.body ?? deps.doc.documentElement;
    if (!MO || !root || deps.signal.aborted) return;
    observer = new MO((records) => {
      // A read is already coming: it will see this change too. Nothing is done per record.
      if (readTimer !== null) return;
      // Our own badge being added, moved or removed is not news about the product.
      if (onlyOwnMutations(records)) return;
      scheduleRead();
    });
    observer.observe(root, { childList: true, subtree: true });
    watchTimer = deps.setTimeout(() => {
      stopWatching();
      logMissing();
    }, watchMs);
  }

  /** After a read of an unchanged product: stop once everything is in, else watch more slowly. */
  function settle(snapshot: ProductSnapshot, key: string, fromWatch: boolean): void {
    if (observer === null) return;
    if (doneKey === key && complete(snapshot) && pageLoaded()) {
      stopWatching();
      logMissing();
      return;
    }
    if (fromWatch) interval = Math.min(interval * 2, maxThrottleMs);
  }

  async function read(fromWatch = false): Promise<void> {
    if (deps.signal.aborted) return;
    const url = deps.url();
    const started = seq;
    let result: ExtractResult;
    try {
      result = deps.extract(deps.doc, url);
    } catch {
      result = { snapshot: null, diagnostics: null, adapter: null };
    }
    if (!settingsKnown && deps.ready) {
      await deps.ready.catch(() => undefined);
      settingsKnown = true;
      // A navigation started its own read meanwhile.
      if (seq !== started || deps.signal.aborted) return;
    }
    if (deps.allowed && !deps.allowed(url)) result = { snapshot: null, diagnostics: null, adapter: null };
    last = result;
    const snapshot = result.snapshot;

    if (snapshot === null) {
      if (lastKey !== null || deps.badge.isShown() || announced) {
        // The product went away (a single-page shop moved on): no badge, no verdict.
        lastKey = null;
        doneKey = null;
        lastVerdict = null;
        seq++;
        shownFor = null;
        deps.badge.remove();
        if (announced) {
          announced = false;
          await sendClear(deps.send).catch(() => undefined);
        }
      }
      return;
    }

    const key = JSON.stringify(snapshot);
    if (key === lastKey && deps.badge.isShown()) {
      settle(snapshot, key, fromWatch);
      return;
    }
    lastKey = key;
    interval = throttleMs;
    const mine = ++seq;
    const place: BadgePlace = {
      adapter: result.adapter,
      marketplace: snapshot.marketplace,
      pageBrand: snapshot.brand,
    };
    announced = true;
    // The question goes out first; the badge goes up (checking) while the background works on it.
    const answer = sendCheck(deps.send, snapshot, result.diagnostics);
    answer.catch(() => undefined);
    deps.badge.checking(place);
    let verdict: Verdict | null;
    try {
      verdict = await answer;
    } catch (error) {
      if (mine === seq) {
        lastKey = null;
        // No answer for the page as it is now: back to the last verdict shown, or no badge at all.
        if (lastVerdict === null || !deps.badge.update(lastVerdict.verdict)) deps.badge.remove();
      }
      deps.warn(`[genuine] no verdict: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A newer read (or a navigation) overtook this one, or the extension was updated meanwhile.
    if (mine !== seq || deps.signal.aborted) return;
    deps.badge.show(verdict, place);
    doneKey = key;
    lastVerdict = { verdict };
    shownFor = withoutHash(url);
    settle(snapshot, key, false);
  }

  deps.signal.addEventListener('abort', () => {
    stopWatching();
    deps.badge.remove();
  });

  function forget(): void {
    lastKey = null;
    doneKey = null;
    lastVerdict = null;
    seq++;
    shownFor = null;
  }

  return {
    read: () => read(false),
    watching: () => observer !== null,
    start() {
      startWatching();
      void read(false);
    },
    onPageLoad() {
      if (deps.signal.aborted) return;
      interval = throttleMs;
      scheduleRead();
    },
    async refresh() {
      if (deps.signal.aborted) return;
      lastKey = null;
      await read(false);
    },
    onLocationChange() {
      if (deps.signal.aborted) return;
      forget();
      deps.badge.remove();
      startWatching();
      void read(false);
    },
    async onBackgroundMessage(message) {
      if (deps.signal.aborted) return;
      const parsed = BackgroundMessage.safeParse(message);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'recheck') {
        lastKey = null;
        await read(false);
        return;
      }
      // A verdict for the page this tab shows now, and a badge to put it on.
      if (shownFor === null || withoutHash(m.url) !== shownFor || withoutHash(deps.url()) !== shownFor)
        return;
      if (deps.badge.update(m.verdict)) lastVerdict = { verdict: m.verdict };
    },
  };
}
