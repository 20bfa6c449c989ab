// First: starts reading the settings while the rest of the script is evaluated.
import './content/early';
import { matchPatterns } from '@/lib/sites/anchors';
import { reader } from '@/lib/sites/shopee';
import { marketplaceMain } from './content/run';

/** The shopee reader alone on shopee's domains: see entrypoints/content/index.ts (Amazon's). */
export default defineContentScript({
  matches: matchPatterns([reader]),
  runAt: 'document_end',
  // The badge's stylesheet is inlined into the script (entrypoints/content/run.ts): no CSS file.
  cssInjectionMode: 'manual',
  main: marketplaceMain([reader]),
});
