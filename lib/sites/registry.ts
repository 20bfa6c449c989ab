import type { SiteAdapter } from './types';

/**
 * Every marketplace adapter, one file each (lib/sites/<name>.ts, each exporting
 * `export const adapter: SiteAdapter`). The order does not matter: domains never overlap, which
 * test/unit/sites/urls.test.ts checks along with each adapter's example URLs.
 *
 * The generic schema.org adapter (lib/sites/schema-org.ts) is deliberately NOT here: it is not
 * picked by hostname but only used on shops the user granted (extractGeneric / { generic: true }).
 */
export const ADAPTERS: readonly SiteAdapter[] = [];
