import '@/components/badge.css';
import { browser } from 'wxt/browser';
import badgeCss from '@/components/badge.css?inline';
import { getEnabledMarketplaces, getTheme, watchEnabledMarketplaces, watchTheme } from '@/lib/settings';
import { matchPatterns } from '@/lib/sites/anchors';
import { adapterFor, extractWithDiagnostics, isMarketplaceSite } from '@/lib/sites/index';
import { ADAPTERS } from '@/lib/sites/registry';
import { createBadgeHost } from './badge-host';
import { createController } from './controller';

/**
 * Runs on the product pages of every marketplace in lib/sites/registry.ts (matches generated
 * from the adapters' domains at build time) and, registered at run time by the background
 * (lib/background/generic-shops.ts), on shops the shopper granted, where the generic schema.org
 * adapter reads the page. Small on purpose: no store, no feed code, only the snapshot and verdict
 * schemas.
 */
export default defineContentScript({
  matches: matchPatterns(ADAPTERS),
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  async main(ctx) {
    // On a granted shop the stylesheet WXT fetches for "ui" mode is not web-accessible (its
    // matches are the marketplaces'), so the badge's styles come inline there.
    const granted = !isMarketplaceSite(location.href);
    const badge = createBadgeHost(ctx, document, { css: granted ? badgeCss : undefined });

    // Marketplaces the shopper switched off in the options are not even read.
    let enabled = await getEnabledMarketplaces();
    badge.setTheme(await getTheme());
    const switchedOff = (url: string) => {
      const marketplace = granted ? 'web' : adapterFor(url)?.marketplace;
      return marketplace !== undefined && !enabled[marketplace];
    };

    const controller = createController({
      doc: document,
      url: () => location.href,
      extract: (doc, url) =>
        switchedOff(url)
          ? { snapshot: null, diagnostics: null, adapter: null }
          : extractWithDiagnostics(doc, url, { generic: granted }),
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
  },
});
