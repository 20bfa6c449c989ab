import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  type Background,
  createBackground,
  type SessionArea,
  tabKey,
  WORK_ALARM,
} from '../../../lib/background';
import type { Feed } from '../../../lib/feed/schema';
import { TabState } from '../../../lib/messages';
import { CheckResponse } from '../../../lib/messaging';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';
import { ACME, snap } from '../check/fixtures';
import {
  ACME_WITHOUT_OFFICIAL,
  contentSender,
  fakeReports,
  fakeSync,
  NOW,
  pageSender,
  setup,
  testBrowser,
} from './helpers';

const PAGE = 'https://www.amazon.com/dp/B0EXAMPLE1?th=1';
const HOUR = 3_600_000;

async function check(bg: Background, tabId: number, snapshot: ProductSnapshot | null) {
  return bg.handleMessage({ type: 'check', snapshot, diagnostics: null }, contentSender(tabId, PAGE));
}

/** Lets every pending promise and timer callback run (no timing is asserted, only what happened). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** storage.session whose writes wait until released (or fail, when told to). */
function heldSession() {
  const inner = fakeBrowser.storage.session;
  const waiting: (() => void)[] = [];
  let holding = true;
  let failing = false;
  const area: SessionArea = {
    get: (keys) => inner.get(keys),
    async set(items) {
      if (holding) await new Promise<void>((resolve) => waiting.push(resolve));
      if (failing) throw new Error('quota exceeded');
      await inner.set(items);
    },
    remove: (keys) => inner.remove(keys),
  };
  return {
    area,
    /** Writes waiting to be released. */
    waiting: () => waiting.length,
    release() {
      holding = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
    fail() {
      failing = true;
    },
  };
}

function withHeldSession(feeds: Feed[] = [ACME]) {
  const session = heldSession();
  const base = setup(feeds);
  const { browser } = testBrowser({ storage: { session: session.area } });
  const log = vi.fn();
  const bg = createBackground({ ...base.deps, browser, log });
  return { ...base, bg, session, log };
}

describe('answering a check before the tab is written', () => {
  it('answers the content script while the tab state is still being written', async () => {
    const { bg, session } = withHeldSession();
    const reply = CheckResponse.parse(await check(bg, 7, snap()));
    expect(reply.verdict?.level).toBe('ok');
    // The answer came back before the write began (it starts a task later), then the write is held.
    expect(session.waiting()).toBe(0);
    await turn();
    expect(session.waiting()).toBe(1);
    expect(await fakeBrowser.storage.session.get(tabKey(7))).toEqual({});
    session.release();
    await bg.settled();
    expect(TabState.parse((await fakeBrowser.storage.session.get(tabKey(7)))[tabKey(7)]).verdict?.level).toBe(
      'ok',
    );
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('✓');
  });

  it('of several checks of one tab answered before its write began, only the newest is written', async () => {
    const { bg, session } = withHeldSession();
    const writes = vi.spyOn(session.area, 'set');
    const first = CheckResponse.parse(await check(bg, 7, snap()));
    const second = CheckResponse.parse(
      await check(bg, 7, snap({ seller: { id: 'AUNKNOWN000001', name: 'Somebody', isPlatform: false } })),
    );
    expect(first.verdict?.level).toBe('ok');
    expect(second.verdict?.level).not.toBe('ok');
    for (let i = 0; i < 5 && session.waiting() === 0; i++) await turn();
    // One write under way (the newest); the older state is never written.
    expect(session.waiting()).toBe(1);
    session.release();
    await bg.settled();
    expect(writes).toHaveBeenCalledTimes(1);
    const stored = TabState.parse((await fakeBrowser.storage.session.get(tabKey(7)))[tabKey(7)]);
    expect(stored.verdict?.level).toBe(second.verdict?.level);
    expect(stored.snapshot?.seller?.id).toBe('AUNKNOWN000001');
  });

  it('a tab-state request (the popup) waits for the pending write and never reads a stale state', async () => {
    const { bg, session } = withHeldSession();
    await check(bg, 7, snap());
    let answered = false;
    const asking = bg.handleMessage({ type: 'tab-state', tabId: 7 }, pageSender()).then((answer) => {
      answered = true;
      return answer;
    });
    await turn();
    expect(answered).toBe(false);
    session.release();
    expect(TabState.parse(await asking).verdict?.level).toBe('ok');
  });

  it('a report waits for the pending write too', async () => {
    const { bg, session, reports } = withHeldSession();
    await check(bg, 7, snap({ seller: { id: 'AOTHER0000001', name: 'Other', isPlatform: false } }));
    const reporting = bg.handleMessage({ type: 'report', tabId: 7, reason: 'other' }, pageSender());
    await turn();
    expect(reports.submit).not.toHaveBeenCalled();
    session.release();
    expect(await reporting).toMatchObject({ status: 'sent' });
    expect(reports.submit.mock.calls[0]?.[0].verdict.level).toBe('danger');
  });

  it('keeps the order of writes per tab: a later clear wins over an earlier check, and the reverse', async () => {
    const { bg, session } = withHeldSession();
    await check(bg, 7, snap());
    await check(bg, 7, null);
    await check(bg, 8, null);
    await check(bg, 8, snap());
    session.release();
    await bg.settled();
    expect(await fakeBrowser.storage.session.get(tabKey(7))).toEqual({});
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('');
    expect((await bg.tabs.get(8))?.verdict?.level).toBe('ok');
    expect(await fakeBrowser.action.getBadgeText({ tabId: 8 })).toBe('✓');
  });

  it('re-checking tabs after a sync waits for pending writes, so a just-checked tab is not missed', async () => {
    const NEXT = ACME_WITHOUT_OFFICIAL;
    const { bg, session, swap } = withHeldSession();
    await check(bg, 7, snap());
    swap.replace([NEXT]);
    const rechecking = bg.recheckTabs();
    await turn();
    session.release();
    expect(await rechecking).toBe(1);
    expect((await bg.tabs.get(7))?.verdict?.level).toBe('danger');
  });

  it('a failed write is logged; the answer was already given', async () => {
    const { bg, session, log } = withHeldSession();
    session.fail();
    const reply = CheckResponse.parse(await check(bg, 7, snap()));
    expect(reply.verdict?.level).toBe('ok');
    session.release();
    await bg.settled();
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('quota exceeded'));
    // The next write of the tab still goes through.
    await check(bg, 7, null);
    await bg.settled();
    expect(await bg.tabs.get(7)).toBeNull();
  });
});

describe('the clock floor', () => {
  it('is read once, not on every check', async () => {
    const clockFloor = vi.fn(async () => '2026-01-01T00:00:00Z');
    const { bg } = setup([ACME], { clockFloor });
    for (let i = 0; i < 5; i++) await check(bg, i + 1, snap());
    expect(clockFloor).toHaveBeenCalledTimes(1);
  });

  it('is read again after a sync imported something, and the raised floor applies at once', async () => {
    let floor = '2026-01-01T00:00:00Z';
    const clockFloor = vi.fn(async () => floor);
    const sync = fakeSync();
    const { bg } = setup([ACME], { clockFloor, sync });
    const seller = { id: 'AOTHER0000001', name: 'Other', isPlatform: false };
    expect(CheckResponse.parse(await check(bg, 7, snap({ seller }))).verdict?.level).toBe('danger');

    // Nothing imported: not read again.
    await bg.runJobs();
    expect(clockFloor).toHaveBeenCalledTimes(1);

    // An import brings a document issued after ACME's expiry: ACME's list is now judged expired.
    floor = '2027-01-01T00:00:00Z';
    sync.syncDue.mockResolvedValueOnce({
      directory: null,
      feeds: [{ url: 'https://other.example/f', status: 'updated', version: 2, error: null }],
    });
    await bg.runJobs();
    expect(clockFloor).toHaveBeenCalledTimes(2);
    const after = CheckResponse.parse(await check(bg, 7, snap({ seller })));
    expect(after.verdict?.reasons.map((r) => r.code)).toEqual(['feed-expired']);
  });

  it('a failed read is tried again by the next check', async () => {
    const clockFloor = vi
      .fn<() => Promise<string | null>>()
      .mockRejectedValueOnce(new Error('database closed'))
      .mockResolvedValue('2027-01-01T00:00:00Z');
    const { bg } = setup([ACME], { clockFloor });
    await check(bg, 7, snap());
    const reply = CheckResponse.parse(await check(bg, 7, snap()));
    expect(reply.verdict?.reasons.map((r) => r.code)).toEqual(['feed-expired']);
  });
});

describe('start-up', () => {
  function tracked() {
    const sync = fakeSync({ nextWakeup: vi.fn(async () => new Date(NOW.getTime() + 2 * HOUR)) });
    const reports = fakeReports();
    const base = setup([ACME], { sync, reports });
    const listMeta = vi.spyOn(base.swap.store, 'listMeta');
    return { ...base, listMeta };
  }

  it('keeps a work alarm that is set and ahead, reading no feed state', async () => {
    const { bg, sync, reports, listMeta } = tracked();
    const when = NOW.getTime() + 5 * HOUR;
    await fakeBrowser.alarms.create(WORK_ALARM, { when });
    await bg.start();
    expect(sync.nextWakeup).not.toHaveBeenCalled();
    expect(reports.nextWakeup).not.toHaveBeenCalled();
    expect(listMeta).not.toHaveBeenCalled();
    expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(when);
  });

  it('computes the schedule when the alarm is missing', async () => {
    const { bg, sync } = tracked();
    await bg.start();
    expect(sync.nextWakeup).toHaveBeenCalledTimes(1);
    expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(NOW.getTime() + 2 * HOUR);
  });

  it('computes it again when the alarm is in the past, or further ahead than any schedule puts it', async () => {
    for (const when of [NOW.getTime() - HOUR, NOW.getTime() + 30 * 24 * HOUR]) {
      const { bg, sync } = tracked();
      await fakeBrowser.alarms.create(WORK_ALARM, { when });
      await bg.start();
      expect(sync.nextWakeup).toHaveBeenCalledTimes(1);
      expect((await fakeBrowser.alarms.get(WORK_ALARM))?.scheduledTime).toBe(NOW.getTime() + 2 * HOUR);
    }
  });
});
