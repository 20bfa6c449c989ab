import '@/components/badge.css';
import { matchPatterns } from '@/lib/sites/anchors';
import { ADAPTERS, adapterFor, extractMarketplace } from '@/lib/sites/marketplaces';
import { runContentScript } from './run';

/**
 * Runs on the product pages of every marketplace in lib/sites/registry.ts (matches generated from
 * the adapters' domains at build time). Small on purpose, because it runs on every product page a
 * shopper opens: no store, no feed code, zod/mini schemas only (snapshot and verdict), and no
 * public suffix list (lib/sites/marketplaces.ts names the site from the adapters' domains).
 * Shops the shopper granted get entrypoints/generic.content instead.
 */
export default defineContentScript({
  matches: matchPatterns(ADAPTERS),
  runAt: 'document_idle',
  // The badge's stylesheet (content-scripts/content.css) is loaded into its shadow root.
  cssInjectionMode: 'ui',
  main: (ctx) =>
    runContentScript(ctx, {
      extract: extractMarketplace,
      marketplaceOf: (url) => adapterFor(url)?.marketplace,
    }),
});
