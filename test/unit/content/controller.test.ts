import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BadgeHost,
  type BadgePlace,
  type ControllerDeps,
  createController,
  type ExtractResult,
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
  let on = false;
  const badge: BadgeHost = {
    async show(v, place) {
      on = true;
      shown.push({ verdict: v, place });
    },
    update(v) {
      if (!on) return false;
      updates.push(v);
      return true;
    },
    remove() {
      on = false;
    },
    isShown: () => on,
  };
  return { badge, shown, updates, isShown: () => on };
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
    debounceMs: 400,
    ...overrides,
  });
  const checks = () =>
    sent.filter((m) => (m as { type: string }).type === 'check') as { snapshot: ProductSnapshot }[];
  return { controller, timers, ...b, abort, sent, send, answers, warn, checks };
}

afterEach(() => {
  document.body.innerHTML = '';
  url = 'https://www.amazon.com/dp/B0EXAMPLE1';
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
});
