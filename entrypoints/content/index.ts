import '@/components/badge.css';
import { matchPatterns } from '@/lib/sites/anchors';
import { marketplaces } from '@/lib/sites/marketplaces';
import { READERS } from '@/lib/sites/registry';
import { runContentScript } from './run';

/**
 * Runs on the pages of every marketplace in lib/sites/registry.ts (matches generated from the
 * adapters' domains at build time). Small on purpose, because it runs on every product page a
 * shopper opens: no store, no feed code, zod/mini schemas only (snapshot, verdict, settings), no
 * public suffix list (lib/sites/marketplaces.ts names the site from the adapters' own domains),
 * and the adapters without their example URLs (READERS). Shops the shopper granted get
 * entrypoints/generic.content instead.
 */
export default defineContentScript({
  matches: matchPatterns(READERS),
  runAt: 'document_idle',
  // The badge's stylesheet (content-scripts/content.css) is loaded into its shadow root.
  cssInjectionMode: 'ui',
  main(ctx) {
    const sites = marketplaces(READERS);
    return runContentScript(ctx, {
      extract: sites.extract,
      marketplaceOf: (url) => sites.adapterFor(url)?.marketplace,
    });
  },
});
