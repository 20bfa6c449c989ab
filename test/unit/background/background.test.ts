import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type Background, createBackground, MIN_DELAY_MS, tabKey, WORK_ALARM } from '../../../lib/background';
import type { Verdict } from '../../../lib/check/types';
import { TabState } from '../../../lib/messages';
import { BackgroundMessage, CheckResponse } from '../../../lib/messaging';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';
import type { FeedMeta } from '../../../lib/store/types';
import { ACME, snap } from '../check/fixtures';
import {
  ACME_WITHOUT_OFFICIAL,
  contentSender,
  fakeReports,
  fakeSync,
  NOW,
  pageSender,
  RUNTIME_ID,
  setup,
  testBrowser,
} from './helpers';

const PAGE = 'https://www.amazon.com/dp/B0EXAMPLE1?th=1';

async function check(bg: Background, tabId: number, snapshot: ProductSnapshot | null, url = PAGE) {
  return bg.handleMessage({ type: 'check', snapshot, diagnostics: null }, contentSender(tabId, url));
}

async function verdictOf(reply: unknown): Promise<Verdict | null> {
  return CheckResponse.parse(reply).verdict;
}

describe('content script checks', () => {
  it('answers with the verdict, keeps the tab state in storage.session and shows it on the toolbar', async () => {
    const { bg } = setup([ACME]);
    const verdict = await verdictOf(await check(bg, 7, snap()));
    expect(verdict?.level).toBe('ok');

    await bg.settled();
    const stored = await fakeBrowser.storage.session.get(tabKey(7));
    const state = TabState.parse(stored[tabKey(7)]);
    expect(state).toMatchObject({ tabId: 7, url: PAGE, supported: true, verdict: { level: 'ok' } });
    expect(state.snapshot?.seller?.id).toBe('A1B2C3D4E5F6G7');

    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('✓');
    expect(await fakeBrowser.action.getTitle({ tabId: 7 })).toContain('ACME');
    // Another tab is untouched.
    expect(await fakeBrowser.action.getBadgeText({ tabId: 8 })).toBe('');
  });

  it('shows danger and caution with their own text, not colour alone', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 1, snap({ seller: { id: 'AOTHER0000001', name: 'Other', isPlatform: false } }));
    await check(bg, 2, snap({ price: { amount: 10, currency: 'USD' } }));
    await check(bg, 3, snap({ brand: 'Darong' }));
    await bg.settled();
    expect(await fakeBrowser.action.getBadgeText({ tabId: 1 })).toBe('!');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 2 })).toBe('?');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 3 })).toBe('');
    const [r1, g1, b1] = await fakeBrowser.action.getBadgeBackgroundColor({ tabId: 1 });
    const [r2, g2] = await fakeBrowser.action.getBadgeBackgroundColor({ tabId: 2 });
    expect(r1).toBeGreaterThan(g1 ?? 0);
    expect(r1).toBeGreaterThan(b1 ?? 0);
    expect(r2).toBeGreaterThan(200);
    expect(g2).toBeGreaterThan(150);
  });

  it('a page that is not a product page clears the tab', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 7, snap());
    expect(await verdictOf(await check(bg, 7, null))).toBeNull();
    await bg.settled();
    expect(await fakeBrowser.storage.session.get(tabKey(7))).toEqual({});
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('');
    expect(await bg.handleMessage({ type: 'tab-state', tabId: 7 }, pageSender())).toBeNull();
  });

  it('"clear" forgets the tab', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 7, snap());
    expect(await bg.handleMessage({ type: 'clear' }, contentSender(7, PAGE))).toEqual({ ok: true });
    expect(await bg.tabs.get(7)).toBeNull();
  });

  it('refuses a snapshot that does not belong to the page that sent it', async () => {
    const { bg } = setup([ACME]);
    const foreign = await check(bg, 7, snap(), 'https://evil.example/amazon-lookalike');
    expect(foreign).toMatchObject({ ok: false, code: 'site-mismatch' });
    // A shop cannot claim to be a marketplace, even one the same site hosts.
    const posing = await check(bg, 7, snap({ site: 'evil.example' }), 'https://evil.example/p');
    expect(posing).toMatchObject({ ok: false, code: 'site-mismatch' });
    expect(await bg.tabs.get(7)).toBeNull();
  });

  it('trusts a generic "web" snapshot only from an origin the shopper granted', async () => {
    const { bg, granted } = setup([ACME]);
    const web = snap({
      marketplace: 'web',
      site: 'acme.com',
      url: 'https://acme.com/p/skates',
      seller: null,
    });
    expect(await check(bg, 4, web, 'https://acme.com/p/skates')).toMatchObject({ code: 'site-mismatch' });
    granted.add('https://acme.com/*');
    expect((await verdictOf(await check(bg, 4, web, 'https://acme.com/p/skates')))?.level).toBe('ok');
    // Never on a marketplace's own domain, granted or not.
    granted.add('https://www.amazon.com/*');
    const onAmazon = snap({ marketplace: 'web', seller: null });
    expect(await check(bg, 5, onAmazon, PAGE)).toMatchObject({ code: 'site-mismatch' });
  });

  it('rejects malformed messages with a clear error', async () => {
    const { bg } = setup([ACME]);
    const bad = await bg.handleMessage(
      { type: 'check', snapshot: { ...snap(), price: { amount: -1, currency: 'usd' } }, diagnostics: null },
      contentSender(7, PAGE),
    );
    expect(bad).toMatchObject({ ok: false, code: 'invalid-message' });
    for (const m of [null, 42, 'check', {}, { type: 'nope' }, { type: 'tab-state', tabId: -1 }]) {
      expect(await bg.handleMessage(m, pageSender())).toMatchObject({ ok: false });
    }
  });
});

describe('sender checks', () => {
  it('content messages need this extension, a tab and the top frame', async () => {
    const { bg } = setup([ACME]);
    const message = { type: 'check', snapshot: snap(), diagnostics: null };
    const cases = [
      { ...contentSender(7, PAGE), id: 'another-extension' },
      { id: RUNTIME_ID, url: PAGE },
      { ...contentSender(7, PAGE), frameId: 3 },
      pageSender(),
    ];
    for (const sender of cases) {
      expect(await bg.handleMessage(message, sender)).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await bg.tabs.get(7)).toBeNull();
  });

  it('page messages need one of the extension own pages', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 7, snap());
    const message = { type: 'tab-state', tabId: 7 };
    expect(TabState.parse(await bg.handleMessage(message, pageSender('popup.html?tabId=7'))).tabId).toBe(7);
    // The popup opened as a tab has a sender.tab too: still one of our pages.
    expect(await bg.handleMessage(message, { ...pageSender(), tab: { id: 9 } })).not.toBeNull();
    const forbidden = [
      contentSender(7, PAGE),
      { id: RUNTIME_ID, url: 'chrome-extension://someone-else/popup.html' },
      { id: 'another-extension', url: pageSender().url },
      { id: RUNTIME_ID },
    ];
    for (const sender of forbidden) {
      expect(await bg.handleMessage(message, sender)).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });
});

describe('tab state', () => {
  it('reads back as null when the stored record is damaged, and drops it', async () => {
    const { bg } = setup([ACME]);
    await fakeBrowser.storage.session.set({ [tabKey(3)]: { tabId: 3, verdict: 'not a verdict' } });
    expect(await bg.handleMessage({ type: 'tab-state', tabId: 3 }, pageSender())).toBeNull();
    expect(await fakeBrowser.storage.session.get(tabKey(3))).toEqual({});
  });

  it('is cleared when the tab closes or navigates to another page, not on a #fragment change', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 1, snap());
    await bg.onTabUpdated(1, { url: `${PAGE}#reviews` });
    expect(await bg.tabs.get(1)).not.toBeNull();
    await bg.onTabUpdated(1, {});
    expect(await bg.tabs.get(1)).not.toBeNull();
    await bg.onTabUpdated(1, { url: 'https://www.amazon.com/gp/cart' });
    expect(await bg.tabs.get(1)).toBeNull();
    expect(await fakeBrowser.action.getBadgeText({ tabId: 1 })).toBe('');

    await check(bg, 2, snap());
    await bg.onTabRemoved(2);
    expect(await bg.tabs.get(2)).toBeNull();
  });

  it('is cleared when the tab loads a page whose URL the browser does not show us', async () => {
    const { bg } = setup([ACME]);
    await check(bg, 1, snap());
    await bg.onTabUpdated(1, { status: 'complete' });
    expect(await bg.tabs.get(1)).not.toBeNull();
    await bg.onTabUpdated(1, { status: 'loading' });
    expect(await bg.tabs.get(1)).toBeNull();
    expect(await fakeBrowser.action.getBadgeText({ tabId: 1 })).toBe('');
  });

  it('is only given to the popup while the tab still shows that page', async () => {
    const urls = new Map<number, string | undefined>([
      [1, `${PAGE}#reviews`],
      [2, 'https://www.amazon.com/gp/cart'],
      [3, undefined],
    ]);
    const { browser } = testBrowser();
    browser.tabs.get = async (tabId: number) => {
      if (!urls.has(tabId)) throw new Error(`No tab with id: ${tabId}`);
      return { url: urls.get(tabId) };
    };
    const bg = createBackground({ ...setup([ACME]).deps, browser });
    for (const tabId of [1, 2, 3, 4]) await check(bg, tabId, snap());
    const ask = (tabId: number) => bg.handleMessage({ type: 'tab-state', tabId }, pageSender());
    expect(TabState.parse(await ask(1)).tabId).toBe(1);
    // A URL the browser does not show us: onTabUpdated ("loading") handles leaving the page.
    expect(TabState.parse(await ask(3)).tabId).toBe(3);
    // Moved on, or gone: no verdict, and the stale one is dropped.
    for (const tabId of [2, 4]) {
      expect(await ask(tabId)).toBeNull();
      expect(await bg.tabs.get(tabId)).toBeNull();
    }
  });

  it('survives a restarted background: a new instance reads what the old one stored', async () => {
    const first = setup([ACME]);
    await check(first.bg, 5, snap());
    await first.bg.settled(); // its write done (it starts just after the answer)
    const second = createBackground(first.deps);
    expect((await second.tabs.get(5))?.verdict?.level).toBe('ok');
  });
});

describe('reports', () => {
  it('reports the listing the tab shows, with the verdict the shopper saw', async () => {
    const { bg, reports } = setup([ACME]);
    await check(bg, 7, snap({ seller: { id: 'AOTHER0000001', name: 'Other', isPlatform: false } }));
    const result = await bg.handleMessage(
      { type: 'report', tabId: 7, reason: 'seller-not-authorized', comment: 'box looked odd' },
      pageSender(),
    );
    expect(result).toEqual({ status: 'sent', reportId: 'r1', endpoint: 'https://acme.com/r' });
    const input = reports.submit.mock.calls[0]?.[0];
    expect(input?.snapshot.seller?.id).toBe('AOTHER0000001');
    expect(input?.verdict.level).toBe('danger');
    expect(input).toMatchObject({ reason: 'seller-not-authorized', comment: 'box looked odd' });
    expect(input?.client).toEqual({ version: '1.0.0', browser: 'chrome' });
  });

  it('says so when nothing was checked in the tab', async () => {
    const { bg, reports } = setup([ACME]);
    const result = await bg.handleMessage({ type: 'report', tabId: 99, reason: 'other' }, pageSender());
    expect(result).toMatchObject({ status: 'not-reportable' });
    expect(reports.submit).not.toHaveBeenCalled();
  });

  it('a queued report moves the alarm to its retry time', async () => {
    const retryAt = new Date(NOW.getTime() + 5 * 60_000);
    const reports = fakeReports({
      submit: vi.fn(async () => ({
        status: 'queued' as const,
        reportId: 'r2',
        endpoint: 'https://acme.com/r',
      })),
      nextWakeup: vi.fn(async () => retryAt),
    });
    const { bg } = setup([ACME], { reports });
    await check(bg, 7, snap());
    await bg.handleMessage({ type: 'report', tabId: 7, reason: 'other' }, pageSender());
    expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(retryAt.getTime());
  });

  it('lists and deletes reports', async () => {
    const { bg, reports } = setup([ACME]);
    expect(await bg.handleMessage({ type: 'reports' }, pageSender('options.html'))).toEqual([]);
    expect(
      await bg.handleMessage({ type: 'delete-report', reportId: 'r1' }, pageSender('options.html')),
    ).toEqual({
      ok: true,
    });
    expect(reports.delete).toHaveBeenCalledWith('r1');
  });
});

const USER_META: FeedMeta = {
  url: 'https://acme.com/feed.json',
  brandId: 'acme',
  source: 'user',
  keys: ['MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqo='],
  version: 42,
  sha256: null,
  etag: null,
  issuedAt: ACME.issuedAt,
  expiresAt: ACME.expiresAt,
  lastAttempt: null,
  lastSuccess: null,
  lastError: null,
  nextSync: null,
  failures: 0,
  generation: 1,
};

describe('feeds', () => {
  it('lists feeds, syncs now, adds and removes user feeds', async () => {
    const sync = fakeSync({
      addUserFeed: vi.fn(async () => ({
        ok: true as const,
        brandId: 'acme',
        fingerprint: 'AB:CD',
        meta: USER_META,
      })),
    });
    const { bg } = setup([ACME], { sync });
    const options = pageSender('options.html');
    expect(await bg.handleMessage({ type: 'feeds' }, options)).toEqual([]);
    expect(await bg.handleMessage({ type: 'sync-now' }, options)).toEqual([]);
    expect(sync.syncAll).toHaveBeenCalledWith({ force: true });
    expect(
      await bg.handleMessage({ type: 'add-feed', url: 'https://acme.com/feed.json' }, options),
    ).toMatchObject({
      ok: true,
      brandId: 'acme',
      fingerprint: 'AB:CD',
    });
    expect(sync.addUserFeed).toHaveBeenCalledWith('https://acme.com/feed.json');
    expect(
      await bg.handleMessage({ type: 'remove-feed', url: 'https://acme.com/feed.json' }, options),
    ).toEqual({
      ok: true,
    });
    expect(await bg.handleMessage({ type: 'add-feed', url: 'not a url' }, options)).toMatchObject({
      ok: false,
      code: 'invalid-message',
    });
  });

  it('a failure inside a request comes back as an error answer, not a rejection', async () => {
    const sync = fakeSync({
      removeFeed: vi.fn(async () => {
        throw new Error('database closed');
      }),
    });
    const { bg } = setup([ACME], { sync });
    expect(await bg.handleMessage({ type: 'remove-feed', url: 'https://acme.com/f' }, pageSender())).toEqual({
      ok: false,
      code: 'internal',
      message: 'database closed',
    });
  });
});

describe('the work alarm', () => {
  it('is set at start-up at the earliest wake-up of sync and reports', async () => {
    const soon = new Date(NOW.getTime() + 10 * 60_000);
    const later = new Date(NOW.getTime() + 60 * 60_000);
    const { bg } = setup([ACME], {
      sync: fakeSync({ nextWakeup: vi.fn(async () => later) }),
      reports: fakeReports({ nextWakeup: vi.fn(async () => soon) }),
    });
    await bg.start();
    expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(soon.getTime());
  });

  it('never sooner than Chrome allows, and at least daily when nothing is due', async () => {
    const { bg } = setup([ACME], { sync: fakeSync({ nextWakeup: vi.fn(async () => new Date(0)) }) });
    expect(await bg.schedule()).toBe(NOW.getTime() + MIN_DELAY_MS);
    const idle = setup([ACME]);
    expect(await idle.bg.schedule()).toBe(NOW.getTime() + 24 * 3_600_000);
  });

  it('runs due syncs and the report queue when it fires, then sets itself again', async () => {
    const { bg, sync, reports } = setup([ACME], {
      sync: fakeSync({ nextWakeup: vi.fn(async () => new Date(NOW.getTime() + 3_600_000)) }),
    });
    await bg.onAlarm({ name: 'something-else' });
    expect(sync.syncDue).not.toHaveBeenCalled();
    await bg.onAlarm({ name: WORK_ALARM });
    expect(sync.syncDue).toHaveBeenCalledTimes(1);
    expect(reports.processQueue).toHaveBeenCalledTimes(1);
    expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(NOW.getTime() + 3_600_000);
  });

  it('syncs everything right after install, and not on update', async () => {
    const { bg, sync } = setup([ACME]);
    await bg.onInstalled({ reason: 'update' });
    expect(sync.syncAll).not.toHaveBeenCalled();
    await bg.onInstalled({ reason: 'install' });
    expect(sync.syncAll).toHaveBeenCalledWith({ force: true });
    expect(await fakeBrowser.alarms.get(WORK_ALARM)).toBeDefined();
  });

  it('runs one job at a time', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sync = fakeSync({
      syncDue: vi.fn(async () => {
        await gate;
        return { directory: null, feeds: [] };
      }),
    });
    const { bg } = setup([ACME], { sync });
    const a = bg.runJobs();
    const b = bg.runJobs();
    release();
    await Promise.all([a, b]);
    expect(sync.syncDue).toHaveBeenCalledTimes(1);
  });

  it('keeps going when a job fails', async () => {
    const sync = fakeSync({
      syncDue: vi.fn(async () => {
        throw new Error('offline');
      }),
    });
    const { bg, reports } = setup([ACME], { sync });
    const summary = await bg.runJobs();
    expect(summary.listsChanged).toBe(false);
    expect(reports.processQueue).toHaveBeenCalled();
    expect(await fakeBrowser.alarms.get(WORK_ALARM)).toBeDefined();
  });
});

describe('re-checking open tabs when a list changes', () => {
  const NEXT = ACME_WITHOUT_OFFICIAL;

  it('pushes the new verdict to the tab and the toolbar after a sync imports a new version', async () => {
    const { bg, swap, sync, sendMessage } = setup([ACME]);
    await check(bg, 7, snap());
    await check(bg, 8, snap({ brand: 'Darong' }));
    await bg.settled();
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('✓');

    swap.replace([NEXT]);
    sync.syncDue.mockResolvedValueOnce({
      directory: null,
      feeds: [{ url: 'https://acme.example/f', status: 'updated', version: 43, error: null }],
    });
    const summary = await bg.runJobs();
    expect(summary).toMatchObject({ listsChanged: true, rechecked: 2 });

    expect((await bg.tabs.get(7))?.verdict?.level).toBe('danger');
    expect((await bg.tabs.get(7))?.verdict?.brand?.feedVersion).toBe(43);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('!');
    // Only the tab whose verdict changed hears about it.
    expect(sendMessage).toHaveBeenCalledTimes(1);
    const [tabId, pushed] = sendMessage.mock.calls[0] ?? [];
    expect(tabId).toBe(7);
    const message = BackgroundMessage.parse(pushed);
    expect(message).toMatchObject({ type: 'verdict', url: PAGE, verdict: { level: 'danger' } });
  });

  it('does nothing to tabs when the sync changed nothing', async () => {
    const { bg, swap, sendMessage } = setup([ACME]);
    await check(bg, 7, snap());
    swap.replace([NEXT]);
    const summary = await bg.runJobs();
    expect(summary.rechecked).toBe(0);
    expect(sendMessage).not.toHaveBeenCalled();
    expect((await bg.tabs.get(7))?.verdict?.level).toBe('ok');
  });

  it('a tab that went away does not stop the others', async () => {
    const { bg, swap, sendMessage } = setup([ACME]);
    await check(bg, 1, snap());
    await check(bg, 2, snap());
    sendMessage.mockRejectedValueOnce(new Error('Could not establish connection'));
    swap.replace([NEXT]);
    expect(await bg.recheckTabs()).toBe(2);
    expect(sendMessage).toHaveBeenCalledTimes(2);
    expect((await bg.tabs.get(2))?.verdict?.level).toBe('danger');
  });
});

describe('clock', () => {
  it('judges expiry by the later of the local clock and the newest issuedAt accepted', async () => {
    const { bg } = setup([ACME], {
      now: () => new Date('2026-11-25T00:00:00Z'),
      clockFloor: async () => '2027-01-01T00:00:00Z',
    });
    const verdict = await verdictOf(
      await check(bg, 7, snap({ seller: { id: 'AX', name: 'x', isPlatform: false } })),
    );
    expect(verdict?.reasons.map((r) => r.code)).toEqual(['feed-expired']);
  });
});

describe('Firefox MV2', () => {
  it('uses browserAction when there is no action', async () => {
    const { browser } = testBrowser({ action: undefined, browserAction: fakeBrowser.action });
    const bg = createBackground({
      ...setup([ACME]).deps,
      browser,
    });
    await check(bg, 7, snap());
    await bg.settled();
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('✓');
  });
});
