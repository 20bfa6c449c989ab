import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { certificateSpki } from './cert';
import { type BrowserKind, CHROMIUM, DOCS_SCREENSHOTS, FIREFOX, requireBrowsers, SCREENSHOTS } from './paths';
import { SERVICE_DOMAIN } from './world';

/**
 * waitForFunction polls on an interval, never on requestAnimationFrame: headless Chromium paints
 * only the front tab, so rAF polling in a background tab (the product page behind the popup)
 * would never run.
 */
export const POLL_MS = 100;

/** The Firefox add-on id (wxt.config.ts browser_specific_settings.gecko.id). */
export const GECKO_ID = 'genuine@genuine-extension.org';

export type Locale = 'en' | 'zh-CN';

export interface LaunchOptions {
  kind: BrowserKind;
  /** The unpacked build: .output/chrome-mv3 or .output/firefox-mv2 (or a copy). */
  extensionDir: string;
  /** Host names to resolve to 127.0.0.1; every other name fails to resolve (Chromium). */
  hosts: readonly string[];
  locale?: Locale;
  /** Show the window (needs $DISPLAY). Default: headless. */
  headful?: boolean;
  /** Pipe the browser's own stderr to ours. */
  dumpio?: boolean;
}

/** Chromium --host-resolver-rules: each served host to 127.0.0.1, everything else NOTFOUND. */
export function resolverRules(hosts: readonly string[]): string {
  const rules = [...new Set(hosts)].map((h) => `MAP ${h} 127.0.0.1`);
  rules.push(`MAP *.${SERVICE_DOMAIN} 127.0.0.1`, 'MAP * ~NOTFOUND');
  return rules.join(', ');
}

async function launchChromium(options: LaunchOptions): Promise<Browser> {
  const zh = options.locale === 'zh-CN';
  return puppeteer.launch({
    browser: 'chrome',
    executablePath: CHROMIUM,
    timeout: 120_000,
    headless: !options.headful,
    pipe: true,
    enableExtensions: [path.resolve(options.extensionDir)],
    acceptInsecureCerts: true,
    dumpio: options.dumpio ?? false,
    defaultViewport: { width: 1280, height: 900 },
    env: { ...process.env, ...(zh ? { LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' } : { LANGUAGE: 'en_US' }) },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--no-first-run',
      '--no-default-browser-check',
      // The extension's service worker fetches feeds from the self-signed local server.
      '--ignore-certificate-errors',
      // ...and trusts its key outright, so that responses are stored in the HTTP cache as from a
      // real server (lib/sync's feeds are revalidated by that cache; see support/cert.ts).
      `--ignore-certificate-errors-spki-list=${certificateSpki()}`,
      `--host-resolver-rules=${resolverRules(options.hosts)}`,
      `--lang=${zh ? 'zh-CN' : 'en-US'}`,
    ],
  });
}

async function launchFirefox(options: LaunchOptions, uuid: string): Promise<Browser> {
  const zh = options.locale === 'zh-CN';
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    // Firefox needs ~5 s to start here, but far more on a loaded 2-core machine: puppeteer's 30 s
    // default once failed a whole spec on a start-up that was merely slow.
    timeout: 120_000,
    headless: !options.headful,
    acceptInsecureCerts: true,
    dumpio: options.dumpio ?? false,
    defaultViewport: { width: 1280, height: 900 },
    env: {
      ...process.env,
      ...(zh ? { LANGUAGE: 'zh_CN', LANG: 'zh_CN.UTF-8' } : {}),
      // WebDriver BiDi refuses to navigate a tab to moz-extension:// (not a "webdriver-safe"
      // scheme) unless the remote agent may access privileged pages; the tests open the popup
      // and options pages as tabs, so allow it for this test profile only.
      MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1',
    },
    extraPrefsFirefox: {
      'network.dns.localDomains': [...new Set(options.hosts)].join(','),
      'network.dns.forceResolve': '127.0.0.1',
      'network.proxy.type': 0,
      // Fixes the moz-extension://<uuid>/ origin so the tests can open the popup as a tab.
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      'intl.locale.requested': zh ? 'zh-CN' : 'en-US',
      'intl.accept_languages': zh ? 'zh-CN, zh' : 'en-US, en',
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'extensions.update.enabled': false,
      'app.update.enabled': false,
    },
  });
  try {
    await browser.installExtension(path.resolve(options.extensionDir));
  } catch (error) {
    await browser.close();
    throw error;
  }
  return browser;
}

/** The few extension APIs the helpers call inside extension pages and the worker. */
interface ExtensionApi {
  tabs: {
    query(q: {
      active?: boolean;
      lastFocusedWindow?: boolean;
    }): Promise<{ id?: number; url?: string; active: boolean }[]>;
  };
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  action?: { getBadgeText(d: { tabId: number }): Promise<string> };
  browserAction?: { getBadgeText(d: { tabId: number }): Promise<string> };
}
/** globalThis inside an extension page: Firefox has `browser`, Chromium `chrome` (promise-based in MV3). */
type ExtensionGlobal = { browser?: ExtensionApi; chrome?: ExtensionApi };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One browser with the built extension loaded, and the helpers specs need: open a product page,
 * find its tab id, open the popup for that tab, read the toolbar badge, stop the service worker.
 * Launch once per browser per spec file and reuse pages.
 */
export class ExtensionSession {
  private control: Page | null = null;

  private constructor(
    readonly kind: BrowserKind,
    readonly browser: Browser,
    /** chrome-extension://<id> or moz-extension://<uuid>, no trailing slash. */
    readonly extensionOrigin: string,
  ) {}

  static async launch(options: LaunchOptions): Promise<ExtensionSession> {
    requireBrowsers([options.kind]);
    if (options.kind === 'chromium') {
      const browser = await launchChromium(options);
      try {
        const sw = await browser.waitForTarget(
          (t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'),
          { timeout: 20_000 },
        );
        // new URL('chrome-extension://...').origin is "null" in Node: cut the origin by hand.
        const origin = /^chrome-extension:\/\/[a-p]{32}/.exec(sw.url())?.[0];
        if (!origin) throw new Error(`unexpected service worker URL ${sw.url()}`);
        return new ExtensionSession('chromium', browser, origin);
      } catch (error) {
        await browser.close();
        throw new Error(`the extension's service worker never started in Chromium: ${String(error)}`);
      }
    }
    const uuid = randomUUID();
    const browser = await launchFirefox(options, uuid);
    return new ExtensionSession('firefox', browser, `moz-extension://${uuid}`);
  }

  extensionUrl(file: string): string {
    return `${this.extensionOrigin}/${file.replace(/^\//, '')}`;
  }

  async newPage(): Promise<Page> {
    const page = await this.browser.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  /**
   * Opens (or reuses) a page at a URL, waits for the DOM and brings the tab to the front, as a
   * person looking at it would (headless Chromium does not paint, and so cannot click in or
   * screenshot, a background tab).
   */
  async open(url: string, page?: Page): Promise<Page> {
    const p = page ?? (await this.newPage());
    if (this.kind === 'firefox' && url.startsWith('moz-extension:')) {
      await gotoExtensionPageInFirefox(p, url);
    } else {
      await p.goto(url, { waitUntil: 'domcontentloaded', timeout: 45_000 });
    }
    await p.bringToFront();
    return p;
  }

  /**
   * An extension page kept open to ask the extension APIs questions (tabs, badge text). It is the
   * popup page itself, which is harmless to leave open.
   */
  async controlPage(): Promise<Page> {
    if (this.control && !this.control.isClosed()) return this.control;
    const page = await this.open(this.extensionUrl('popup.html'));
    this.control = page;
    return page;
  }

  /** Runs a function in an extension page, where `browser`/`chrome` APIs exist. */
  async inExtension<T extends Json, A extends Json[]>(
    fn: (...args: A) => Promise<T> | T,
    ...args: A
  ): Promise<T> {
    const page = await this.controlPage();
    // biome-ignore lint/suspicious/noExplicitAny: puppeteer's evaluate typing cannot express our generic tuple
    return (await page.evaluate(fn as any, ...args)) as T;
  }

  /** Sends a message to the background from an extension page (runtime.sendMessage). */
  async sendMessage(message: Json): Promise<Json> {
    return this.inExtension(async (m: Json) => {
      const g = globalThis as unknown as ExtensionGlobal;
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API in this page');
      return ((await api.runtime.sendMessage(m)) ?? null) as Json;
    }, message);
  }

  /** The browser's tab id of a page (the id popup.html?tabId= expects). */
  async tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    const tabs = await this.inExtension(async () => {
      const g = globalThis as unknown as ExtensionGlobal;
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API in this page');
      const all = await api.tabs.query({});
      return all.map((t) => ({ id: t.id ?? -1, url: t.url ?? null, active: t.active }));
    });
    const byUrl = tabs.filter((t) => t.url === url);
    if (byUrl.length === 1 && byUrl[0]) return byUrl[0].id;
    // Without the "tabs" permission the URL can be hidden: make the page active and ask for it.
    await page.bringToFront();
    const active = await this.inExtension(async () => {
      const g = globalThis as unknown as ExtensionGlobal;
      const api = g.browser ?? g.chrome;
      if (!api) throw new Error('no extension API in this page');
      const [tab] = await api.tabs.query({ active: true, lastFocusedWindow: true });
      return tab?.id ?? -1;
    });
    if (active < 0) throw new Error(`could not find the tab id of ${url}`);
    return active;
  }

  /** Opens popup.html?tabId=<id> as an ordinary tab (contracts.md) and returns it. */
  async openPopup(tabId: number, page?: Page): Promise<Page> {
    return this.open(this.extensionUrl(`popup.html?tabId=${tabId}`), page);
  }

  async openOptions(page?: Page): Promise<Page> {
    return this.open(this.extensionUrl('options.html'), page);
  }

  /** The service worker (Chromium only), started if needed by the caller's last event. */
  async serviceWorker(): Promise<WebWorker> {
    if (this.kind !== 'chromium') throw new Error('only Chromium runs the extension in a service worker');
    const target = await this.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(this.extensionOrigin),
      { timeout: 20_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('the service worker target has no worker');
    return worker;
  }

  /**
   * The toolbar badge text for a tab. Chromium: asked in the service worker with
   * chrome.action.getBadgeText; Firefox (MV2): browserAction.getBadgeText from an extension page.
   */
  async badgeText(tabId: number): Promise<string> {
    if (this.kind === 'chromium') {
      const worker = await this.serviceWorker();
      return worker.evaluate(async (id: number) => {
        const api = (globalThis as unknown as ExtensionGlobal).chrome;
        if (!api?.action) throw new Error('no chrome.action in the service worker');
        return api.action.getBadgeText({ tabId: id });
      }, tabId);
    }
    return this.inExtension(async (id: number) => {
      const api = (globalThis as unknown as ExtensionGlobal).browser;
      const action = api?.browserAction ?? api?.action;
      if (!action) throw new Error('no browserAction in this extension page');
      return action.getBadgeText({ tabId: id });
    }, tabId);
  }

  /**
   * Stops the MV3 service worker the way the browser does when it is idle (CDP
   * ServiceWorker.stopAllWorkers from an extension page's session), and waits until CDP reports
   * it stopped. The next event (a message, an alarm) starts it again.
   */
  async stopServiceWorker(): Promise<void> {
    if (this.kind !== 'chromium') throw new Error('only Chromium has an extension service worker to stop');
    const page = await this.controlPage();
    const cdp = await page.createCDPSession();
    const ours = (url: string) => url.startsWith(this.extensionOrigin);
    const status = new Map<string, string>();
    try {
      cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
        for (const v of event.versions) if (ours(v.scriptURL)) status.set(v.versionId, v.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + 10_000;
      while ([...status.values()].some((s) => s !== 'stopped') || status.size === 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `the service worker did not stop (status: ${JSON.stringify([...status.values()])})`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  }

  /** Is the extension's service worker running now (Chromium)? */
  serviceWorkerRunning(): boolean {
    return this.browser
      .targets()
      .some((t) => t.type() === 'service_worker' && t.url().startsWith(this.extensionOrigin));
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

/**
 * Firefox moves a tab into the extension process for moz-extension:// pages, and puppeteer's
 * BiDi navigation then never reports the load (the page does load). Start the navigation, then
 * poll the document itself until it is the page asked for and its DOM is ready.
 */
async function gotoExtensionPageInFirefox(page: Page, url: string): Promise<void> {
  const navigation = page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 }).catch(() => null);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await page
      .evaluate(() => ({ href: location.href, ready: document.readyState }))
      .catch(() => null);
    if (state && state.href === url && state.ready !== 'loading') break;
    if (Date.now() > deadline)
      throw new Error(`Firefox never finished loading ${url} (at ${state?.href ?? '?'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  void navigation;
}

/**
 * In the page: is the badge's verdict final? The badge goes up with `data-state="checking"` while
 * the background has not answered (its data-verdict then says "unknown", or the last verdict when it
 * checks again) and says `data-state="done"` once a verdict, of any level, is shown.
 */
function badgeSettled(): string | null {
  const el = document.querySelector('genuine-badge[data-state="done"]');
  return el?.getAttribute('data-verdict') ?? null;
}

/** The `<genuine-badge>` verdict on a page once the content script has added it and the check answered. */
export async function waitForBadge(page: Page, timeout = 20_000): Promise<string> {
  try {
    const handle = await page.waitForFunction(badgeSettled, { timeout, polling: POLL_MS });
    return String(await handle.jsonValue());
  } catch (error) {
    const seen = await readBadge(page).catch(() => null);
    throw new Error(
      `no settled <genuine-badge> within ${timeout} ms (found ${seen?.count ?? '?'}, data-verdict=${seen?.verdict ?? 'none'}, data-state=${seen?.state ?? 'none'}): ${String(error)}`,
    );
  }
}

/** Waits until the badge says `verdict` (e.g. after a sync changes it); says what it showed instead. */
export async function waitForVerdict(page: Page, verdict: string, timeout = 20_000): Promise<void> {
  try {
    await page.waitForFunction(
      (v: string) => {
        const el = document.querySelector('genuine-badge');
        return el?.getAttribute('data-state') === 'done' && el.getAttribute('data-verdict') === v;
      },
      { timeout, polling: POLL_MS },
      verdict,
    );
  } catch {
    const seen = await readBadge(page).catch(() => null);
    throw new Error(
      `the badge never said "${verdict}" within ${timeout} ms: data-verdict=${seen?.verdict ?? 'none'}, data-state=${seen?.state ?? 'none'} (${seen?.count ?? 0} badges)`,
    );
  }
}

export interface BadgeInfo {
  count: number;
  verdict: string | null;
  /** "checking" while the background has not answered, "done" once a verdict is shown. */
  state: string | null;
  hasShadowRoot: boolean;
  /** Visible text inside the shadow root (open roots only). */
  text: string;
}

/** Reads every badge: count, first verdict, shadow root and its text. */
export async function readBadge(page: Page): Promise<BadgeInfo> {
  return page.evaluate(() => {
    const all = document.querySelectorAll('genuine-badge');
    const el = all[0];
    const root = el?.shadowRoot ?? null;
    const text = root ? (root.textContent ?? '').replace(/\s+/g, ' ').trim() : '';
    return {
      count: all.length,
      verdict: el?.getAttribute('data-verdict') ?? null,
      state: el?.getAttribute('data-state') ?? null,
      hasShadowRoot: root !== null,
      text,
    };
  });
}

/**
 * The popup's root verdict (the first element carrying data-verdict). With `expected`, waits until
 * it says that (the popup first draws a loading state); on failure says what it showed.
 */
export async function waitForPopupVerdict(page: Page, expected?: string, timeout = 20_000): Promise<string> {
  try {
    const handle = await page.waitForFunction(
      (v: string | null) => {
        const got = document.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? null;
        return got !== null && (v === null || got === v) ? got : null;
      },
      { timeout, polling: POLL_MS },
      expected ?? null,
    );
    return String(await handle.jsonValue());
  } catch {
    const state = await page
      .evaluate(() => ({
        verdict: document.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? 'none',
        text: (document.body?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300),
      }))
      .catch(() => null);
    throw new Error(
      `the popup never showed data-verdict="${expected ?? '*'}" within ${timeout} ms: it shows "${state?.verdict}" — ${state?.text}`,
    );
  }
}

export interface ScreenshotOptions {
  /** Also write docs/screenshots/<docs>.png for the README (only when E2E_DOCS_SCREENSHOTS=1). */
  docs?: string;
  /** Part of the viewport to keep. */
  clip?: { x: number; y: number; width: number; height: number };
}

/** Screenshot into test-results/screenshots/<name>.png, and into docs/screenshots/ when asked. */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Headless Chromium paints only the front tab: a background tab's screenshot waits (minutes).
  await page.bringToFront();
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const clip = options.clip ? { clip: options.clip } : {};
  await page.screenshot({ path: file as `${string}.png`, ...clip });
  if (options.docs && process.env.E2E_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${options.docs}.png`));
  }
  return file;
}

/** The popup's own size when opened as a tab, so its screenshots look like the real popup. */
export const POPUP_VIEWPORT = { width: 400, height: 640 };
