import '@/components/badge.css';
import { browser } from 'wxt/browser';
import badgeCss from '@/components/badge.css?inline';
import { matchPatterns } from '@/lib/sites/anchors';
import { extractWithDiagnostics, isMarketplaceSite } from '@/lib/sites/index';
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
  main(ctx) {
    // On a granted shop the stylesheet WXT fetches for "ui" mode is not web-accessible (its
    // matches are the marketplaces'), so the badge's styles come inline there.
    const granted = !isMarketplaceSite(location.href);
    const badge = createBadgeHost(ctx, document, { css: granted ? badgeCss : undefined });
    const controller = createController({
      doc: document,
      url: () => location.href,
      extract: (doc, url) => extractWithDiagnostics(doc, url, { generic: granted }),
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

    controller.start();
  },
});
