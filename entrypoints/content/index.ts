// First: starts reading the settings while the rest of the script is evaluated.
import './early';
import { reader } from '@/lib/sites/amazon';
import { matchPatterns } from '@/lib/sites/anchors';
import { marketplaceMain } from './run';

/**
 * Amazon's content script (content-scripts/content.js, the name the bench and the background's
 * CONTENT_SCRIPT_FILE know), on Amazon's domains only. Every other marketplace has its own, in
 * entrypoints/<name>.content.ts, so a product page carries only its own marketplace's reader (each
 * adapter is 1-14 kB of selectors) besides the shared runtime of ./run.ts. Small on purpose,
 * because it runs on every product page a shopper opens: no store, no feed code, zod/mini schemas
 * only (snapshot, verdict, settings), settings read from storage.local without @wxt-dev/storage
 * (lib/content-settings.ts), no public suffix list (lib/sites/marketplaces.ts names the site from
 * the adapter's own domains), and the adapter without its example URLs (its reader). Shops the
 * shopper granted get entrypoints/generic.content instead.
 */
export default defineContentScript({
  matches: matchPatterns([reader]),
  runAt: 'document_end',
  // The badge's stylesheet is inlined into the script (entrypoints/content/run.ts): no CSS file.
  cssInjectionMode: 'manual',
  main: marketplaceMain([reader]),
});
