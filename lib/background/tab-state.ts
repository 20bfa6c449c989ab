import { TabState } from '../messages';

/**
 * What the background knows about each tab, in storage.session: it survives the MV3 worker being
 * stopped (nothing lives only in globals), is gone when the browser closes, and is not readable by
 * content scripts (Chrome's default access level for the session area). Every read is parsed with
 * the TabState schema: a record that does not parse (an older version's, a damaged one) reads as
 * absent and is removed.
 */

/** The part of storage.session used here (webextension-polyfill's StorageArea fits). */
export interface SessionArea {
  get(keys?: null | string | string[] | Record<string, unknown>): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

const PREFIX = 'tab:';

export function tabKey(tabId: number): string {
  return `${PREFIX}${tabId}`;
}

export interface TabStates {
  get(tabId: number): Promise<TabState | null>;
  put(state: TabState): Promise<void>;
  remove(tabId: number): Promise<void>;
  /** Every valid stored state (for re-checking open tabs after a list changed). */
  all(): Promise<TabState[]>;
}

export function createTabStates(area: SessionArea): TabStates {
  return {
    async get(tabId) {
      const key = tabKey(tabId);
      const raw = (await area.get(key))[key];
      if (raw === undefined) return null;
      const parsed = TabState.safeParse(raw);
      if (parsed.success && parsed.data.tabId === tabId) return parsed.data;
      await area.remove(key);
      return null;
    },
    async put(state) {
      await area.set({ [tabKey(state.tabId)]: TabState.parse(state) });
    },
    async remove(tabId) {
      await area.remove(tabKey(tabId));
    },
    async all() {
      const everything = await area.get(null);
      const out: TabState[] = [];
      const bad: string[] = [];
      for (const [key, raw] of Object.entries(everything)) {
        if (!key.startsWith(PREFIX)) continue;
        const parsed = TabState.safeParse(raw);
        if (parsed.success && tabKey(parsed.data.tabId) === key) out.push(parsed.data);
        else bad.push(key);
      }
      if (bad.length > 0) await area.remove(bad);
      return out;
    },
  };
}

/**
 * Tab writes (storage.session and the toolbar button) run one after another per tab, in the order
 * they were asked for, without the asker having to wait: the content script gets its verdict
 * first and the tab's state is written after. Readers that must not see a stale state (the
 * popup's `tab-state`, re-checking tabs) wait for the tab's pending writes first.
 */
export interface TabWriteQueue {
  /**
   * Runs `write` after every write queued before it for the same tab. The promise settles when it
   * is done and never rejects: a failure is logged (the next check of the page writes again).
   */
  enqueue(tabId: number, write: () => Promise<void>): Promise<void>;
  /** Settles once every write queued so far for the tab is done. */
  settled(tabId: number): Promise<void>;
  /** Settles once every write queued so far, for any tab, is done. */
  settledAll(): Promise<void>;
}

export function createTabWriteQueue(
  log: (level: 'warn', message: string) => void = () => undefined,
): TabWriteQueue {
  const tails = new Map<number, Promise<void>>();
  return {
    enqueue(tabId, write) {
      const previous = tails.get(tabId) ?? Promise.resolve();
      const next = previous.then(write).catch((error: unknown) => {
        log(
          'warn',
          `tab ${tabId}: could not write its state: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      tails.set(tabId, next);
      void next.then(() => {
        if (tails.get(tabId) === next) tails.delete(tabId);
      });
      return next;
    },
    settled(tabId) {
      return tails.get(tabId) ?? Promise.resolve();
    },
    async settledAll() {
      await Promise.all(tails.values());
    },
  };
}
