import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import badgeCss from '@/components/badge.css?inline';
import { watchContentSettings } from '@/lib/content-settings';
import type { EnabledMarketplaces } from '@/lib/settings-values';
import { marketplaces } from '@/lib/sites/marketplaces';
import type { Marketplace } from '@/lib/sites/snapshot';
import type { SiteReader } from '@/lib/sites/types';
import { createBadgeHost } from './badge-host';
import { createController, type ExtractResult } from './controller';
import { takeContentSettings } from './early';

/**
 * What every content script does once loaded, around the controller (controller.ts): the one
 * badge, the shopper's settings (marketplaces switched off, theme; lib/content-settings.ts), messages
 * from the background, and WXT's `wxt:locationchange` for single-page shops. They differ only in
 * how they read the page:
 *
 * - one per marketplace, in the manifest on that marketplace's domains (entrypoints/content for
 *   Amazon, entrypoints/<name>.content.ts for the others, all through marketplaceMain below): that
 *   marketplace's reader only, without the public suffix list (lib/sites/marketplaces.ts);
 * - entrypoints/generic.content (registered at run time for shops the shopper granted): the
 *   generic schema.org adapter, with tldts to name any shop's domain (lib/sites/index.ts).
 *
 * Separate bundles so that the script on a marketplace page carries neither tldts, nor the generic
 * reader, nor the other marketplaces' selectors, and the one on granted shops none of the
 * marketplace adapters.
 */
export interface ContentScriptOptions {
  /** Reads the page. Never throws (lib/sites). */
  extract: (doc: Document, url: string) => ExtractResult;
  /** The marketplace a page belongs to, for the shopper's on/off switches; undefined: not one. */
  marketplaceOf: (url: string) => Marketplace | undefined;
}

export async function runContentScript(
  ctx: ContentScriptContext,
  options: ContentScriptOptions,
): Promise<void> {
  // The stylesheet is part of the script: no web-accessible file to fetch before the badge can go up.
  const badge = createBadgeHost(ctx, document, { css: badgeCss });

  // The shopper's settings, asked for while this script was evaluated (./early.ts), arrive while
  // the page is read for the first time; only then is anything sent or shown. A marketplace
  // switched off in the options gets no badge and no check.
  const loading = takeContentSettings();
  let enabled: EnabledMarketplaces | null = null;
  const ready = loading.then((settings) => {
    enabled = settings.enabled;
    badge.setTheme(settings.theme);
  });
  const allowed = (url: string) => {
    const marketplace = options.marketplaceOf(url);
    return marketplace === undefined || enabled === null || enabled[marketplace];
  };

  const controller = createController({
    doc: document,
    url: () => location.href,
    extract: options.extract,
    ready,
    allowed,
    send: (message) => browser.runtime.sendMessage(message),
    badge,
    warn: (message) => console.warn(message),
    signal: ctx.signal,
    setTimeout: (run, ms) => ctx.setTimeout(run, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });

  ctx.addEventListener(window, 'wxt:locationchange', () => controller.onLocationChange());
  // document_end: the page may still be loading. A product complete by then is read once more
  // after the load event, and only then does the watch for late content stop.
  if (document.readyState !== 'complete') ctx.addEventListener(window, 'load', () => controller.onPageLoad());

  // Only this extension's background can message a content script (tabs.sendMessage).
  const onMessage = (message: unknown, sender: { id?: string }) => {
    if (sender.id === browser.runtime.id) void controller.onBackgroundMessage(message);
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

  const unwatch = watchContentSettings(browser.storage, {
    enabled: (value) => {
      enabled = value;
      void controller.refresh();
    },
    theme: (theme) => badge.setTheme(theme),
  });
  ctx.onInvalidated(unwatch);

  controller.start();
  await ready;
}

/**
 * The `main` of a marketplace's content script: reads pages with `readers` (lib/sites/<name>.ts
 * `reader`, the adapter without its example URLs) and nothing else. One content script per
 * marketplace (entrypoints/content for Amazon, entrypoints/<name>.content.ts for the others), each
 * with its adapter's domains as matches, so a product page carries only its own marketplace's
 * reader besides the shared runtime.
 */
export function marketplaceMain(readers: readonly SiteReader[]) {
  return (ctx: ContentScriptContext): Promise<void> => {
    const sites = marketplaces(readers);
    return runContentScript(ctx, {
      extract: sites.extract,
      marketplaceOf: (url) => sites.adapterFor(url)?.marketplace,
    });
  };
}
