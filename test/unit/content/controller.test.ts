import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BadgeHost,
  type BadgePlace,
  type ControllerDeps,
  createController,
  type ExtractResult,
  onlyOwnMutations,
} from '../../../entrypoints/content/controller';
import type { Verdict } from '../../../lib/check/types';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';

/**
 * The content script's behaviour on a page, with the browser replaced: a DOM (happy-dom), a
 * fake background behind `send`, a badge host that records what it shows, and timers the test
 * fires by hand (no real waiting).
 */

function verdict(level: Verdict['level'], version = 1): Verdict {
  return {
    level,
    brand: {
      brandId: 'acme',
      name: 'ACME',
      website: null,
      contact: null,
      reportEndpoint: null,
      feedUrl: 'https://acme.com/f',
      feedVersion: version,
      issuedAt: '2026-11-20T00:00:00Z',
      expiresAt: '2026-12-20T00:00:00Z',
      lastSync: null,
    },
    reasons: [],
    checkedAt: '2026-11-25T00:00:00Z',
  };
}

/** Reads the test page: a product when #title exists; price and seller when their elements do. */
function extract(doc: Document, url: string): ExtractResult {
  const title = doc.getElementById('title')?.textContent ?? null;
  if (title === null) return { snapshot: null, diagnostics: null, adapter: null };
  const price = doc.getElementById('price')?.textContent;
  const seller = doc.getElementById('seller')?.textContent;
  const snapshot: ProductSnapshot = {
    marketplace: 'amazon',
    site: 'amazon.com',
    url: url.replace(/[?#].*$/, ''),
    productId: 'B0EXAMPLE1',
    gtin: null,
    title,
    brand: 'ACME',
    price: price ? { amount: Number(price), currency: 'USD' } : null,
    seller: seller ? { id: seller, name: seller, isPlatform: false } : null,
    condition: 'new',
  };
  const missing = [
    ...(snapshot.price ? [] : ['price' as const]),
    ...(snapshot.seller ? [] : ['seller' as const]),
  ];
  return { snapshot, diagnostics: { adapter: 'amazon', missing }, adapter: 'amazon' };
}

function recordingBadge() {
  const shown: { verdict: Verdict | null; place: BadgePlace }[] = [];
  const updates: (Verdict | null)[] = [];
  /** What the page showed, in order: "checking", then each verdict level drawn, "removed". */
  const states: string[] = [];
  let on = false;
  let mounts = 0;
  const badge: BadgeHost = {
    checking() {
      if (!on) mounts++;
      on = true;
      states.push('checking');
    },
    show(v, place) {
      if (!on) mounts++;
      on = true;
      shown.push({ verdict: v, place });
      states.push(v?.level ?? 'unknown');
    },
    update(v) {
      if (!on) return false;
      updates.push(v);
      states.push(v?.level ?? 'unknown');
      return true;
    },
    remove() {
      if (on) states.push('removed');
      on = false;
    },
    isShown: () => on,
  };
  return { badge, shown, updates, states, mounts: () => mounts, isShown: () => on };
}

function manualTimers() {
  let next = 0;
  const tasks = new Map<number, { run: () => void; ms: number }>();
  return {
    setTimeout: (run: () => void, ms: number) => {
      tasks.set(++next, { run, ms });
      return next;
    },
    clearTimeout: (handle: unknown) => {
      tasks.delete(handle as number);
    },
    /** Fires the pending timers of exactly this delay. */
    fire(ms: number) {
      for (const [id, t] of [...tasks]) {
        if (t.ms !== ms) continue;
        tasks.delete(id);
        t.run();
      }
    },
    pending: (ms: number) => [...tasks.values()].filter((t) => t.ms === ms).length,
  };
}

/** Lets MutationObserver callbacks and resolved promises run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

let url = 'https://www.amazon.com/dp/B0EXAMPLE1';
let loaded = true;

function setup(overrides: Partial<ControllerDeps> = {}) {
  const timers = manualTimers();
  const b = recordingBadge();
  const abort = new AbortController();
  const sent: unknown[] = [];
  const answers: Verdict[] = [];
  const send = vi.fn(async (message: unknown) => {
    sent.push(message);
    const m = message as { type: string };
    if (m.type === 'clear') return { ok: true };
    return { verdict: answers.shift() ?? verdict('ok') };
  });
  const warn = vi.fn();
  const controller = createController({
    doc: document,
    url: () => url,
    extract,
    send,
    badge: b.badge,
    warn,
    signal: abort.signal,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    watchMs: 15_000,
    throttleMs: 400,
    maxThrottleMs: 3_200,
    pageLoaded: () => loaded,
    ...overrides,
  });
  const checks = () =>
    sent.filter((m) => (m as { type: string }).type === 'check') as { snapshot: ProductSnapshot }[];
  return { controller, timers, ...b, abort, sent, send, answers, warn, checks };
}

afterEach(() => {
  document.body.innerHTML = '';
  url = 'https://www.amazon.com/dp/B0EXAMPLE1';
  loaded = true;
});

describe('content script', () => {
  it('reads the product, asks the background and shows the verdict beside it', async () => {
    document.body.innerHTML =
      '<h1 id="title">ACME Rocket Skates</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.answers.push(verdict('danger'));
    t.controller.start();
    await settle();
    expect(t.checks()).toHaveLength(1);
    expect(t.checks()[0]?.snapshot.seller?.id).toBe('A1');
    expect(t.shown).toEqual([
      { verdict: verdict('danger'), place: { adapter: 'amazon', marketplace: 'amazon', pageBrand: 'ACME' } },
    ]);
    // Everything was read: nothing left to watch, nothing to complain about.
    expect(t.timers.pending(15_000)).toBe(0);
    expect(t.warn).not.toHaveBeenCalled();
  });

  it('does nothing on a page that is not a product page', async () => {
    document.body.innerHTML = '<h1>Today’s deals</h1>';
    const t = setup();
    t.controller.start();
    await settle();
    expect(t.sent).toEqual([]);
    expect(t.shown).toEqual([]);
  });

  it('reads again when a late buy box appears, then stops watching', async () => {
    document.body.innerHTML = '<h1 id="title">ACME Rocket Skates</h1><div id="buybox"></div>';
    const t = setup();
    t.answers.push(verdict('unknown'), verdict('ok'));
    t.controller.start();
    await settle();
    expect(t.checks()).toHaveLength(1);
    expect(t.checks()[0]?.snapshot.seller).toBeNull();

    document
      .getElementById('buybox')
      ?.insertAdjacentHTML('beforeend', '<span id="price">199</span><a id="seller">A1</a>');
    await settle();
    expect(t.timers.pending(400)).toBe(1);
    t.timers.fire(400);
    await settle();
    expect(t.checks()).toHaveLength(2);
    expect(t.checks()[1]?.snapshot.price?.amount).toBe(199);
    expect(t.shown.map((s) => s.verdict?.level)).toEqual(['unknown', 'ok']);

    // Complete now: later changes to the page are not watched.
    document.body.insertAdjacentHTML('beforeend', '<div>ads</div>');
    await settle();
    expect(t.timers.pending(400)).toBe(0);
  });

  it('gives up watching after a bounded time and says which fields it could not read', async () => {
    document.body.innerHTML = '<h1 id="title">ACME Rocket Skates</h1>';
    const t = setup();
    t.controller.start();
    await settle();
    t.timers.fire(15_000);
    expect(t.warn.mock.calls.map((c) => c[0])).toEqual([
      '[genuine] amazon: could not read price',
      '[genuine] amazon: could not read seller',
    ]);
    document.body.insertAdjacentHTML('beforeend', '<span id="price">5</span>');
    await settle();
    expect(t.timers.pending(400)).toBe(0);
    expect(t.checks()).toHaveLength(1);
  });

  it('ignores its own badge being added to the page', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1>';
    const t = setup();
    t.controller.start();
    await settle();
    document.body.append(document.createElement('genuine-badge'));
    await settle();
    expect(t.timers.pending(400)).toBe(0);
  });

  it('does not ask again for the same product', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span>';
    const t = setup();
    t.controller.start();
    await settle();
    await t.controller.read();
    await t.controller.read();
    expect(t.checks()).toHaveLength(1);
  });

  it('starts over when the URL changes (a variation, a single-page shop)', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.controller.start();
    await settle();
    url = 'https://www.amazon.com/dp/B0EXAMPLE2';
    document.body.innerHTML = '<h1 id="title">ACME blue</h1><span id="price">189</span><a id="seller">A1</a>';
    t.controller.onLocationChange();
    await settle();
    expect(t.checks().map((c) => c.snapshot.url)).toEqual([
      'https://www.amazon.com/dp/B0EXAMPLE1',
      'https://www.amazon.com/dp/B0EXAMPLE2',
    ]);
    expect(t.shown).toHaveLength(2);
    expect(t.isShown()).toBe(true);
  });

  it('removes the badge and tells the background when the product goes away', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.controller.start();
    await settle();
    url = 'https://www.amazon.com/gp/cart';
    document.body.innerHTML = '<h1>Cart</h1>';
    t.controller.onLocationChange();
    await settle();
    expect(t.isShown()).toBe(false);
    expect(t.sent.at(-1)).toEqual({ type: 'clear' });
  });

  it('shows only the answer for the latest read when answers arrive out of order', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const resolvers: ((v: unknown) => void)[] = [];
    const send = vi.fn((message: unknown) => {
      if ((message as { type: string }).type !== 'check') return Promise.resolve({ ok: true });
      return new Promise<unknown>((resolve) => resolvers.push(resolve));
    });
    const t = setup({ send });
    t.controller.start();
    await settle();
    document.getElementById('price')?.replaceChildren('150');
    const second = t.controller.read();
    await settle();
    resolvers[1]?.({ verdict: verdict('caution') });
    await second;
    resolvers[0]?.({ verdict: verdict('ok') });
    await settle();
    expect(t.shown.map((s) => s.verdict?.level)).toEqual(['caution']);
  });

  it('redraws the badge with a verdict the background pushes for this page only', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.controller.start();
    await settle();
    await t.controller.onBackgroundMessage({
      type: 'verdict',
      url: 'https://www.amazon.com/dp/OTHER',
      verdict: verdict('danger'),
    });
    await t.controller.onBackgroundMessage({
      type: 'verdict',
      url: `${url}#reviews`,
      verdict: verdict('danger', 2),
    });
    await t.controller.onBackgroundMessage({ type: 'verdict', url, verdict: { level: 'danger' } });
    await t.controller.onBackgroundMessage('hello');
    expect(t.updates).toEqual([verdict('danger', 2)]);
  });

  it('reads again when the settings change, and steps back when the marketplace is switched off', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    let off = false;
    const t = setup({
      extract: (doc, u) => (off ? { snapshot: null, diagnostics: null, adapter: null } : extract(doc, u)),
    });
    t.controller.start();
    await settle();
    await t.controller.refresh();
    expect(t.checks()).toHaveLength(2);
    off = true;
    await t.controller.refresh();
    expect(t.isShown()).toBe(false);
    expect(t.sent.at(-1)).toEqual({ type: 'clear' });
    off = false;
    await t.controller.refresh();
    expect(t.checks()).toHaveLength(3);
    expect(t.isShown()).toBe(true);
  });

  it('reads and asks again on "recheck"', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.controller.start();
    await settle();
    await t.controller.onBackgroundMessage({ type: 'recheck' });
    expect(t.checks()).toHaveLength(2);
  });

  it('shows nothing and says why when the background refuses', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const send = vi.fn(async () => ({ ok: false, code: 'site-mismatch', message: 'not this page' }));
    const t = setup({ send });
    t.controller.start();
    await settle();
    expect(t.shown).toEqual([]);
    expect(t.warn).toHaveBeenCalledWith('[genuine] no verdict: site-mismatch: not this page');
  });

  it('stops everything when the extension goes away', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1>';
    const t = setup();
    t.controller.start();
    await settle();
    t.abort.abort();
    expect(t.isShown()).toBe(false);
    document.body.insertAdjacentHTML('beforeend', '<span id="price">5</span><a id="seller">A1</a>');
    await settle();
    expect(t.timers.pending(400)).toBe(0);
    t.controller.onLocationChange();
    await t.controller.onBackgroundMessage({ type: 'recheck' });
    await settle();
    expect(t.checks()).toHaveLength(1);
  });

  it('puts the badge up as "checking" once the question is out, then fills in the answer', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const order: string[] = [];
    let answer: (v: unknown) => void = () => undefined;
    const send = vi.fn((message: unknown) => {
      order.push(`send ${(message as { type: string }).type}`);
      return new Promise<unknown>((resolve) => {
        answer = resolve;
      });
    });
    const t = setup({ send });
    const checking = t.badge.checking.bind(t.badge);
    t.badge.checking = (place) => {
      order.push('checking');
      return checking(place);
    };
    t.controller.start();
    await settle();
    expect(order).toEqual(['send check', 'checking']);
    expect(t.states).toEqual(['checking']);
    answer({ verdict: verdict('danger') });
    await settle();
    expect(t.states).toEqual(['checking', 'danger']);
    expect(t.mounts()).toBe(1);
  });

  it('re-reads a page that fills in its seller late, with one badge all along', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><div id="box"></div>';
    const t = setup();
    t.answers.push(verdict('unknown'), verdict('danger'));
    t.controller.start();
    await settle();
    document.getElementById('box')?.insertAdjacentHTML('beforeend', '<a id="seller">A1</a>');
    await settle();
    t.timers.fire(400);
    await settle();
    expect(t.checks().map((c) => c.snapshot.seller?.id ?? null)).toEqual([null, 'A1']);
    expect(t.states).toEqual(['checking', 'unknown', 'checking', 'danger']);
    expect(t.mounts()).toBe(1);
  });

  it('watches the page tree only, not text changes', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><p id="ad">Deal ends in 10:00</p>';
    const t = setup();
    t.controller.start();
    await settle();
    const text = document.getElementById('ad')?.firstChild as Text;
    for (let i = 0; i < 20; i++) text.data = `Deal ends in 09:${String(59 - i).padStart(2, '0')}`;
    await settle();
    expect(t.timers.pending(400)).toBe(0);
    document.getElementById('ad')?.append(document.createElement('b'));
    await settle();
    expect(t.timers.pending(400)).toBe(1);
  });

  it('arms one timer for any number of changes, and reads once when it fires', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><div id="feed"></div>';
    const setTimeoutCalls: number[] = [];
    const timers = manualTimers();
    const t = setup({
      setTimeout: (run, ms) => {
        setTimeoutCalls.push(ms);
        return timers.setTimeout(run, ms);
      },
      clearTimeout: timers.clearTimeout,
    });
    t.controller.start();
    await settle();
    const feed = document.getElementById('feed') as HTMLElement;
    // Many batches of many records each (a page building itself).
    for (let batch = 0; batch < 10; batch++) {
      for (let i = 0; i < 200; i++) feed.append(document.createElement('div'));
      await settle();
    }
    expect(setTimeoutCalls.filter((ms) => ms === 400)).toHaveLength(1);
    timers.fire(400);
    await settle();
    // The product did not change: no second question.
    expect(t.checks()).toHaveLength(1);
  });

  it('slows down while reads find nothing new, and speeds up again when something changes', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><div id="feed"></div>';
    const delays: number[] = [];
    const timers = manualTimers();
    const t = setup({
      setTimeout: (run, ms) => {
        if (ms !== 15_000) delays.push(ms);
        return timers.setTimeout(run, ms);
      },
      clearTimeout: timers.clearTimeout,
    });
    t.controller.start();
    await settle();
    const feed = document.getElementById('feed') as HTMLElement;
    const churn = async () => {
      feed.append(document.createElement('div'));
      await settle();
      const ms = delays.at(-1) as number;
      timers.fire(ms);
      await settle();
    };
    for (let i = 0; i < 6; i++) await churn();
    expect(delays).toEqual([400, 800, 1600, 3200, 3200, 3200]);
    // Now the price shows up: read at the fast pace again.
    feed.insertAdjacentHTML('beforeend', '<span id="price">5</span>');
    await settle();
    timers.fire(3200);
    await settle();
    expect(t.checks()).toHaveLength(2);
    await churn();
    expect(delays.slice(-1)).toEqual([400]);
  });

  it('keeps watching a complete product until the page has loaded, then stops', async () => {
    loaded = false;
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const t = setup();
    t.controller.start();
    await settle();
    expect(t.checks()).toHaveLength(1);
    expect(t.controller.watching()).toBe(true);
    // The page's scripts change the price before load: read and asked again.
    (document.getElementById('price') as HTMLElement).replaceChildren(document.createTextNode('149'));
    await settle();
    t.timers.fire(400);
    await settle();
    expect(t.checks().map((c) => c.snapshot.price?.amount)).toEqual([199, 149]);
    loaded = true;
    t.controller.onPageLoad();
    t.timers.fire(400);
    await settle();
    expect(t.controller.watching()).toBe(false);
    expect(t.checks()).toHaveLength(2);
  });

  it('takes the "checking" badge down when the background fails before any verdict', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    const send = vi.fn(async () => {
      throw new Error('Could not establish connection');
    });
    const t = setup({ send });
    t.controller.start();
    await settle();
    expect(t.states).toEqual(['checking', 'removed']);
    expect(t.isShown()).toBe(false);
  });

  it('goes back to the last verdict when a re-check fails, and asks again on the next change', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><div id="box"></div>';
    let fail = false;
    const send = vi.fn(async (message: unknown) => {
      if ((message as { type: string }).type !== 'check') return { ok: true };
      if (fail) throw new Error('worker restarting');
      return { verdict: verdict('caution') };
    });
    const t = setup({ send });
    t.controller.start();
    await settle();
    fail = true;
    document.getElementById('box')?.insertAdjacentHTML('beforeend', '<a id="seller">A1</a>');
    await settle();
    t.timers.fire(400);
    await settle();
    expect(t.states).toEqual(['checking', 'caution', 'checking', 'caution']);
    fail = false;
    document.getElementById('box')?.append(document.createElement('i'));
    await settle();
    t.timers.fire(400);
    await settle();
    expect(send.mock.calls.filter((c) => (c[0] as { type: string }).type === 'check')).toHaveLength(3);
    expect(t.states.at(-1)).toBe('caution');
    expect(t.mounts()).toBe(1);
  });
  it('reads the page while the settings load, but sends and shows nothing before they are known', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    let known: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      known = resolve;
    });
    const reads: string[] = [];
    const t = setup({
      ready,
      allowed: () => true,
      extract: (doc, u) => {
        reads.push(u);
        return extract(doc, u);
      },
    });
    t.controller.start();
    await settle();
    expect(reads).toHaveLength(1);
    expect(t.sent).toEqual([]);
    expect(t.states).toEqual([]);
    known();
    await settle();
    expect(t.checks()).toHaveLength(1);
    expect(t.states).toEqual(['checking', 'ok']);
  });

  it('sends nothing and shows nothing where the marketplace is switched off', async () => {
    document.body.innerHTML = '<h1 id="title">ACME</h1><span id="price">199</span><a id="seller">A1</a>';
    let on = false;
    const t = setup({ ready: Promise.resolve(), allowed: () => on });
    t.controller.start();
    await settle();
    expect(t.sent).toEqual([]);
    expect(t.states).toEqual([]);
    on = true;
    await t.controller.refresh();
    expect(t.checks()).toHaveLength(1);
    expect(t.isShown()).toBe(true);
  });
});

describe('telling our own badge apart from the page', () => {
  function record(added: Node[], removed: Node[] = []): MutationRecord {
    return {
      type: 'childList',
      target: document.body,
      addedNodes: added as unknown as NodeList,
      removedNodes: removed as unknown as NodeList,
    } as unknown as MutationRecord;
  }
  const badge = () => document.createElement('genuine-badge');

  it('is ours when only <genuine-badge> elements come and go', () => {
    expect(onlyOwnMutations([record([badge()])])).toBe(true);
    expect(onlyOwnMutations([record([], [badge()]), record([badge()])])).toBe(true);
  });

  it('is the page as soon as anything else is in a record', () => {
    expect(onlyOwnMutations([record([badge(), document.createElement('div')])])).toBe(false);
    expect(onlyOwnMutations([record([]), record([badge()])])).toBe(false);
    expect(onlyOwnMutations([])).toBe(false);
    const attributes = { ...record([]), type: 'attributes' } as unknown as MutationRecord;
    expect(onlyOwnMutations([attributes])).toBe(false);
  });

  it('looks at a bounded number of records: a big batch is the page', () => {
    const many = Array.from({ length: 5000 }, () => record([badge()]));
    expect(onlyOwnMutations(many)).toBe(false);
  });
});
