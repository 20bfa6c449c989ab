// First: starts reading the settings while the rest of the script is evaluated.
import '../content/early';
import { extractGenericWithDiagnostics } from '@/lib/sites/index';
import { runContentScript } from '../content/run';

/**
 * The generic schema.org reader on shops the shopper granted from the options page (optional host
 * permission). Not in the manifest: lib/background/generic-shops.ts registers this bundle
 * (content-scripts/generic.js, GENERIC_SCRIPT_FILE) for exactly the granted origins, marketplace
 * domains excluded. Separate from entrypoints/content so that the script on every marketplace page
 * carries neither tldts (needed here to name any shop's domain) nor the generic reader.
 */
export default defineContentScript({
  registration: 'runtime',
  runAt: 'document_end',
  // The badge's stylesheet is inlined into the script (entrypoints/content/run.ts), as everywhere.
  cssInjectionMode: 'manual',
  main: (ctx) =>
    runContentScript(ctx, {
      extract: extractGenericWithDiagnostics,
      marketplaceOf: () => 'web',
    }),
});
