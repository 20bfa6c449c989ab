import { type Mock, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type BackgroundBrowser, type BackgroundDeps, createBackground } from '../../../lib/background';
import type { Feed } from '../../../lib/feed/schema';
import type { ReportService } from '../../../lib/report/queue';
import type { SubmitResult } from '../../../lib/report/types';
import type { FeedMeta, StoreReader, StoreWriter } from '../../../lib/store/types';
import type { Sync, SyncReport } from '../../../lib/sync';
import { ACME } from '../check/fixtures';
import { createMemoryStore } from '../check/memory-store';

export const EXTENSION_BASE = fakeBrowser.runtime.getURL('');
export const RUNTIME_ID = fakeBrowser.runtime.id;

/** Marketplaces the tests' snapshots come from (the real registry is filled by lib/sites). */
export const TEST_ADAPTERS = [
  { marketplace: 'amazon' as const, domains: ['amazon.com', 'amazon.co.uk'] },
  { marketplace: 'tmall' as const, domains: ['tmall.com'] },
];

/** A content script's sender in tab `tabId` showing `url`. */
export function contentSender(tabId: number, url: string) {
  return { id: RUNTIME_ID, url, frameId: 0, tab: { id: tabId, url } };
}

/** The popup or options page. */
export function pageSender(path = 'popup.html') {
  return { id: RUNTIME_ID, url: `${EXTENSION_BASE}${path}` };
}

/** A StoreReader whose feeds a test can swap, as a sync would. */
/** ACME's next version, without its official Amazon seller: a list change that changes a verdict. */
export const ACME_WITHOUT_OFFICIAL: Feed = {
  ...ACME,
  version: 43,
  channels: ACME.channels.map((c) =>
    c.marketplace === 'amazon' && c.complete
      ? { ...c, sellers: c.sellers.filter((s) => s.id !== 'A1B2C3D4E5F6G7') }
      : c,
  ),
};

export function swappableStore(feeds: Feed[]) {
  let inner = createMemoryStore(feeds.map((feed) => ({ feed })));
  const metas: FeedMeta[] = [];
  const store: StoreReader & Pick<StoreWriter, 'listMeta'> = {
    findBrandsByName: (k) => inner.findBrandsByName(k),
    brandNameKeys: () => inner.brandNameKeys(),
    getBrand: (id) => inner.getBrand(id),
    channels: (b, m, s) => inner.channels(b, m, s),
    findSeller: (b, m, s, k) => inner.findSeller(b, m, s, k),
    findBlocked: (m, k) => inner.findBlocked(m, k),
    findProduct: (b, k) => inner.findProduct(b, k),
    listMeta: async () => metas,
  };
  return {
    store,
    metas,
    replace(next: Feed[]) {
      inner = createMemoryStore(next.map((feed) => ({ feed })));
    },
  };
}

const EMPTY_REPORT: SyncReport = { directory: null, feeds: [] };

type Mocked<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? Mock<T[K]> : never };
export type FakeSync = Mocked<BackgroundDeps['sync']>;
export type FakeReports = Mocked<BackgroundDeps['reports']>;

export function fakeSync(overrides: Partial<FakeSync> = {}): FakeSync {
  const sync: FakeSync = {
    syncDue: vi.fn<Sync['syncDue']>(async () => EMPTY_REPORT),
    syncAll: vi.fn<Sync['syncAll']>(async () => EMPTY_REPORT),
    nextWakeup: vi.fn<Sync['nextWakeup']>(async () => null),
    addUserFeed: vi.fn<Sync['addUserFeed']>(async () => ({
      ok: false,
      code: 'fetch-failed',
      message: 'offline',
    })),
    removeFeed: vi.fn<Sync['removeFeed']>(async () => ({ ok: true })),
    ...overrides,
  };
  return sync;
}

export function fakeReports(overrides: Partial<FakeReports> = {}): FakeReports {
  return {
    submit: vi.fn<ReportService['submit']>(
      async (): Promise<SubmitResult> => ({ status: 'sent', reportId: 'r1', endpoint: 'https://acme.com/r' }),
    ),
    processQueue: vi.fn<ReportService['processQueue']>(async () => ({
      attempted: 0,
      sent: 0,
      retrying: 0,
      failed: 0,
    })),
    list: vi.fn<ReportService['list']>(async () => []),
    delete: vi.fn<ReportService['delete']>(async () => undefined),
    nextWakeup: vi.fn<ReportService['nextWakeup']>(async () => null),
    ...overrides,
  };
}

export function testBrowser(overrides: Partial<BackgroundBrowser> = {}) {
  const sendMessage = vi.fn(async (_tabId: number, _message: unknown): Promise<unknown> => undefined);
  const granted = new Set<string>();
  const browser: BackgroundBrowser = {
    runtime: fakeBrowser.runtime,
    tabs: { sendMessage },
    storage: { session: fakeBrowser.storage.session },
    alarms: fakeBrowser.alarms,
    action: fakeBrowser.action,
    permissions: {
      getAll: async () => ({ origins: [...granted] }),
      contains: async ({ origins }) => (origins ?? []).every((o) => granted.has(o)),
    },
    ...overrides,
  };
  return { browser, sendMessage, granted };
}

export const NOW = new Date('2026-11-25T12:00:00Z');

export function setup(
  feeds: Feed[],
  options: Omit<Partial<BackgroundDeps>, 'sync' | 'reports'> & {
    sync?: FakeSync;
    reports?: FakeReports;
  } = {},
) {
  const swap = swappableStore(feeds);
  const sync = options.sync ?? fakeSync();
  const reports = options.reports ?? fakeReports();
  const { browser, sendMessage, granted } = testBrowser();
  const deps: BackgroundDeps = {
    browser,
    store: swap.store,
    client: { version: '1.0.0', browser: 'chrome' },
    adapters: TEST_ADAPTERS,
    now: () => NOW,
    log: () => undefined,
    ...options,
    sync,
    reports,
  };
  const bg = createBackground(deps);
  return { bg, deps, swap, sync, reports, browser, sendMessage, granted };
}
