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
 * - Late buy boxes: a MutationObserver (debounced) reads the page again until the product is
 *   complete (price and seller read) or a bounded time has passed.
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

/** Shows the one badge of the page (entrypoints/content/badge-host.tsx). */
export interface BadgeHost {
  /** Removes any badge, then shows this verdict next to the product's price. */
  show(verdict: Verdict | null, place: BadgePlace): Promise<void>;
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
  /** runtime.sendMessage. */
  send: Send;
  badge: BadgeHost;
  warn: (message: string) => void;
  signal: AbortSignal;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  MutationObserver?: typeof MutationObserver | undefined;
  /** How long to keep watching for a late buy box (default 15 s). */
  watchMs?: number;
  /** Quiet time after the last DOM change before reading again (default 400 ms). */
  debounceMs?: number;
}

export interface Controller {
  /** First read of the page, and the start of the watch for late content. */
  start(): void;
  onLocationChange(): void;
  /** The shopper's settings changed (a marketplace switched off or on): read the page again. */
  refresh(): Promise<void>;
  onBackgroundMessage(message: unknown): Promise<void>;
  /** Reads the page now (also what the debounced observer calls). */
  read(): Promise<void>;
}

function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/** All the snapshot the check needs is there: no reason to keep watching the page. */
function complete(s: ProductSnapshot): boolean {
  return s.price !== null && (s.seller !== null || s.marketplace === 'web');
}

export function createController(deps: ControllerDeps): Controller {
  const watchMs = deps.watchMs ?? 15_000;
  const debounceMs = deps.debounceMs ?? 400;
  let lastKey: string | null = null;
  let seq = 0;
  let shownFor: string | null = null;
  let observer: MutationObserver | null = null;
  let watchTimer: unknown = null;
  let debounceTimer: unknown = null;
  let last: ExtractResult | null = null;
  /** The background holds a verdict for this tab from us (until we send 'clear'). */
  let announced = false;
  const logged = new Set<string>();

  function stopWatching(): void {
    observer?.disconnect();
    observer = null;
    if (watchTimer !== null) deps.clearTimeout(watchTimer);
    if (debounceTimer !== null) deps.clearTimeout(debounceTimer);
    watchTimer = null;
    debounceTimer = null;
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

  function startWatching(): void {
    stopWatching();
    const MO = deps.MutationObserver ?? globalThis.MutationObserver;
    const root = deps.doc.body ?? deps.doc.documentElement;
    if (!MO || !root || deps.signal.aborted) return;
    observer = new MO((records) => {
      // Our own badge being added or redrawn is not news about the product.
      const foreign = records.some((r) => {
        const target = r.target as Node & { localName?: string };
        if (target.localName === 'genuine-badge') return false;
        const nodes = [...r.addedNodes, ...r.removedNodes];
        return (
          nodes.length === 0 ||
          nodes.some((n) => (n as Node & { localName?: string }).localName !== 'genuine-badge')
        );
      });
      if (!foreign) return;
      if (debounceTimer !== null) deps.clearTimeout(debounceTimer);
      debounceTimer = deps.setTimeout(() => {
        debounceTimer = null;
        void read();
      }, debounceMs);
    });
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    watchTimer = deps.setTimeout(() => {
      stopWatching();
      logMissing();
    }, watchMs);
  }

  async function read(): Promise<void> {
    if (deps.signal.aborted) return;
    const url = deps.url();
    let result: ExtractResult;
    try {
      result = deps.extract(deps.doc, url);
    } catch {
      result = { snapshot: null, diagnostics: null, adapter: null };
    }
    last = result;
    const snapshot = result.snapshot;

    if (snapshot === null) {
      if (lastKey !== null || deps.badge.isShown() || announced) {
        // The product went away (a single-page shop moved on): no badge, no verdict.
        lastKey = null;
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
      if (complete(snapshot)) stopWatching();
      return;
    }
    lastKey = key;
    const mine = ++seq;
    let verdict: Verdict | null;
    try {
      announced = true;
      verdict = await sendCheck(deps.send, snapshot, result.diagnostics);
    } catch (error) {
      if (mine === seq) lastKey = null;
      deps.warn(`[genuine] no verdict: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A newer read (or a navigation) overtook this one, or the extension was updated meanwhile.
    if (mine !== seq || deps.signal.aborted) return;
    await deps.badge.show(verdict, {
      adapter: result.adapter,
      marketplace: snapshot.marketplace,
      pageBrand: snapshot.brand,
    });
    shownFor = withoutHash(url);
    if (complete(snapshot)) {
      stopWatching();
      logMissing();
    }
  }

  deps.signal.addEventListener('abort', () => {
    stopWatching();
    deps.badge.remove();
  });

  return {
    read,
    start() {
      startWatching();
      void read();
    },
    async refresh() {
      if (deps.signal.aborted) return;
      lastKey = null;
      await read();
    },
    onLocationChange() {
      if (deps.signal.aborted) return;
      lastKey = null;
      seq++;
      shownFor = null;
      deps.badge.remove();
      startWatching();
      void read();
    },
    async onBackgroundMessage(message) {
      if (deps.signal.aborted) return;
      const parsed = BackgroundMessage.safeParse(message);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'recheck') {
        lastKey = null;
        await read();
        return;
      }
      // A verdict for the page this tab shows now, and a badge to put it on.
      if (shownFor === null || withoutHash(m.url) !== shownFor || withoutHash(deps.url()) !== shownFor)
        return;
      deps.badge.update(m.verdict);
    },
  };
}
