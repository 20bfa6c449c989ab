import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { getEnabledMarketplaces, getTheme, watchEnabledMarketplaces, watchTheme } from '@/lib/settings';
import type { Marketplace } from '@/lib/sites/snapshot';
import { createBadgeHost } from './badge-host';
import { createController, type ExtractResult } from './controller';

/**
 * What both content scripts do once loaded, around the controller (controller.ts): the one badge,
 * the shopper's settings (marketplaces switched off, theme), messages from the background, and
 * WXT's `wxt:locationchange` for single-page shops. They differ only in how they read the page:
 *
 * - entrypoints/content (the manifest's, on every marketplace's product pages): the marketplace
 *   adapters, without the public suffix list (lib/sites/marketplaces.ts);
 * - entrypoints/generic.content (registered at run time for shops the shopper granted): the
 *   generic schema.org adapter, with tldts to name any shop's domain (lib/sites/index.ts).
 *
 * Two bundles so that the script on every marketplace page carries neither tldts nor the generic
 * reader, and the one on granted shops none of the marketplace adapters' selectors it never uses.
 */
export interface ContentScriptOptions {
  /** Reads the page. Never throws (lib/sites). */
  extract: (doc: Document, url: string) => ExtractResult;
  /** The marketplace a page belongs to, for the shopper's on/off switches; undefined: not one. */
  marketplaceOf: (url: string) => Marketplace | undefined;
  /** The badge's styles, inline, where WXT's "ui" stylesheet is not web-accessible (granted shops). */
  css?: string | undefined;
}

export async function runContentScript(
  ctx: ContentScriptContext,
  options: ContentScriptOptions,
): Promise<void> {
  const badge = createBadgeHost(ctx, document, { css: options.css });

  // Marketplaces the shopper switched off in the options are not even read.
  let enabled = await getEnabledMarketplaces();
  badge.setTheme(await getTheme());
  const switchedOff = (url: string) => {
    const marketplace = options.marketplaceOf(url);
    return marketplace !== undefined && !enabled[marketplace];
  };

  const controller = createController({
    doc: document,
    url: () => location.href,
    extract: (doc, url) =>
      switchedOff(url) ? { snapshot: null, diagnostics: null, adapter: null } : options.extract(doc, url),
    send: (message) => browser.runtime.sendMessage(message),
    badge,
    warn: (message) => console.warn(message),
    signal: ctx.signal,
    setTimeout: (run, ms) => ctx.setTimeout(run, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });

  ctx.addEventListener(window, 'wxt:locationchange', () => controller.onLocationChange());

  // Only this extension's background can message a content script (tabs.sendMessage).
  const onMessage = (message: unknown, sender: { id?: string }) => {
    if (sender.id === browser.runtime.id) void controller.onBackgroundMessage(message);
  };
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));

  const unwatchEnabled = watchEnabledMarketplaces((value) => {
    enabled = value;
    void controller.refresh();
  });
  const unwatchTheme = watchTheme((theme) => badge.setTheme(theme));
  ctx.onInvalidated(() => {
    unwatchEnabled();
    unwatchTheme();
  });

  controller.start();
}
