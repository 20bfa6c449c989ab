import { browser } from 'wxt/browser';
import {
  type ActionApi,
  type Background,
  type ContentScriptsApi,
  createBackground,
  createGenericShops,
} from '@/lib/background';
import { DIRECTORY_KEYS, DIRECTORY_URL } from '@/lib/config';
import { createReportService } from '@/lib/report';
import { openStore } from '@/lib/store';
import { createSync } from '@/lib/sync';

/**
 * Thin on purpose (shared/design/style.md): every listener is registered synchronously when the
 * worker starts and awaits the one readiness promise; all logic is in lib/background, which keeps
 * nothing that matters only in memory (tab verdicts in storage.session, lists and reports in
 * IndexedDB, the schedule in one alarm, kept at every start and re-created when missing).
 *
 * The readiness promise is opening the store and nothing else (the rest is synchronous set-up),
 * so the first check after the worker was stopped waits only for that: start-up work (the alarm,
 * granted shops) runs beside it and no message waits for it.
 */
export default defineBackground(() => {
  const log = (level: 'info' | 'warn' | 'error', message: string) => console[level](`[genuine] ${message}`);
  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const fetchFn = (url: string, init: RequestInit) => fetch(url, init);
  const now = () => new Date();
  const random = () => Math.random();

  // Firefox MV2 has browserAction and (without scripting) contentScripts; Chrome MV3 has neither.
  // (WXT types `browser` after Chrome's API; at run time it is webextension-polyfill's, promise-based.)
  const api = browser as unknown as { browserAction?: ActionApi; contentScripts?: ContentScriptsApi };

  const shops = createGenericShops({
    permissions: browser.permissions,
    scripting: browser.scripting,
    contentScripts: api.contentScripts,
  });

  const ready: Promise<Background> = (async () => {
    const store = await openStore();
    const sync = createSync({
      store,
      fetch: fetchFn,
      now,
      random,
      directoryUrl: DIRECTORY_URL,
      directoryKeys: [...DIRECTORY_KEYS],
      log: (level, message) => log(level, `sync: ${message}`),
    });
    const reports = createReportService({ fetch: fetchFn, now, random });
    return createBackground({
      browser: {
        runtime: browser.runtime,
        tabs: browser.tabs,
        storage: { session: browser.storage.session },
        alarms: browser.alarms,
        action: browser.action,
        browserAction: api.browserAction,
        permissions: browser.permissions,
      },
      store,
      sync,
      reports,
      client: {
        version: browser.runtime.getManifest().version,
        browser: import.meta.env.FIREFOX ? 'firefox' : import.meta.env.CHROME ? 'chrome' : 'other',
      },
      genericShops: shops,
      now,
      clockFloor: () => store.getClockFloor(),
      log,
    });
  })();

  const whenReady = (what: string, run: (bg: Background) => Promise<unknown>) => {
    ready.then(run).catch((error) => log('error', `${what}: ${errorText(error)}`));
  };

  // At every start: the alarm (kept when set), and the content script for granted shops. Not
  // awaited by any listener.
  whenReady('start', (bg) => bg.start());

  browser.runtime.onMessage.addListener((message: unknown, sender) =>
    ready.then(
      (bg) => bg.handleMessage(message, sender),
      (error) => ({
        ok: false,
        code: 'unavailable',
        message: `Genuine could not open its storage: ${errorText(error)}`,
      }),
    ),
  );
  browser.runtime.onInstalled.addListener((details) => whenReady('install', (bg) => bg.onInstalled(details)));
  // Listening makes the browser start the background at launch, where start() above runs.
  browser.runtime.onStartup.addListener(() => undefined);
  browser.alarms.onAlarm.addListener((alarm) => whenReady('alarm', (bg) => bg.onAlarm(alarm)));
  browser.tabs.onRemoved.addListener((tabId) => whenReady('tab closed', (bg) => bg.onTabRemoved(tabId)));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url !== undefined)
      whenReady('tab updated', (bg) => bg.onTabUpdated(tabId, { url: change.url }));
  });
  browser.permissions.onAdded.addListener(() => whenReady('permission added', () => shops.sync()));
  browser.permissions.onRemoved.addListener(() => whenReady('permission removed', () => shops.sync()));
});
