import { matchPatterns } from '../sites/anchors';
import { ADAPTERS } from '../sites/registry';
import type { SiteAdapter } from '../sites/types';
import { siteOf } from '../sites/url';

/**
 * Shops no marketplace adapter knows are read with the generic schema.org adapter, but only on
 * origins the shopper granted from the options page (optional host permission). Its content
 * script (entrypoints/generic.content, its own bundle so that the marketplace content script
 * carries neither tldts nor the generic reader) is registered dynamically for exactly those origins:
 * - Chrome MV3 and Firefox 102+: browser.scripting.registerContentScripts (persisted by the
 *   browser; needs the "scripting" permission), re-synced at every background start and on
 *   permissions.onAdded / onRemoved;
 * - otherwise (Firefox without scripting): browser.contentScripts.register, which lasts only as
 *   long as the background context, so it is redone at every background start.
 * Marketplace domains are always excluded: their own content script already runs there.
 */

export const GENERIC_SCRIPT_ID = 'genuine-generic-shops';
/** Where WXT writes the marketplace content script of entrypoints/content/ (declared in the manifest). */
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';
/**
 * Where WXT writes the generic shops' content script of entrypoints/generic.content/
 * (registration "runtime": in no manifest entry, registered here for the granted origins).
 */
export const GENERIC_SCRIPT_FILE = 'content-scripts/generic.js';
/**
 * When the generic script runs: document_end, like the marketplace scripts (their manifest
 * entries), so the badge does not wait for the page to go idle; the script keeps reading a page
 * that is still building itself (entrypoints/content/controller.ts).
 */
export const GENERIC_SCRIPT_RUN_AT = 'document_end';

export interface RegisteredScript {
  id: string;
  matches?: string[];
  excludeMatches?: string[];
  js?: string[];
  runAt?: 'document_start' | 'document_end' | 'document_idle';
  allFrames?: boolean;
  persistAcrossSessions?: boolean;
}

export interface ScriptingApi {
  registerContentScripts(scripts: RegisteredScript[]): Promise<void>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string }[]>;
}

export interface ContentScriptsApi {
  register(options: {
    matches: string[];
    excludeMatches?: string[];
    js: { file: string }[];
    runAt?: 'document_start' | 'document_end' | 'document_idle';
    allFrames?: boolean;
  }): Promise<{ unregister(): Promise<void> }>;
}

export interface PermissionsApi {
  getAll(): Promise<{ origins?: string[] }>;
  contains(permissions: { origins?: string[] }): Promise<boolean>;
}

export interface GenericShopsDeps {
  permissions: PermissionsApi;
  scripting?: ScriptingApi | undefined;
  contentScripts?: ContentScriptsApi | undefined;
  log?: (message: string) => void;
  /** Marketplace adapters (their domains are excluded); lib/sites ADAPTERS by default. */
  adapters?: readonly Pick<SiteAdapter, 'domains'>[];
}

/** Host of a match pattern ("https://*.shop.example/*" -> "*.shop.example"), or null. */
function patternHost(pattern: string): string | null {
  const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  return m?.[2] ?? null;
}

/**
 * The granted origins the generic adapter should run on: http(s) patterns, without those of
 * marketplace domains (their adapters run there) and without duplicates, sorted.
 */
export function genericShopPatterns(
  origins: readonly string[],
  adapters: readonly Pick<SiteAdapter, 'domains'>[] = ADAPTERS,
): string[] {
  const marketplaceSites = new Set(adapters.flatMap((a) => a.domains));
  const out = new Set<string>();
  for (const origin of origins) {
    const host = patternHost(origin);
    if (host === null) continue;
    const bare = host.replace(/^\*\./, '');
    if (bare !== '*') {
      const site = siteOf(bare);
      if (site !== null && marketplaceSites.has(site)) continue;
    }
    out.add(origin);
  }
  return [...out].sort();
}

/** Is this page's origin one the shopper granted? (The background trusts 'web' snapshots only then.) */
export async function originGranted(permissions: PermissionsApi, pageUrl: string): Promise<boolean> {
  let origin: string;
  try {
    const u = new URL(pageUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
    origin = `${u.protocol}//${u.host}/*`;
  } catch {
    return false;
  }
  try {
    return await permissions.contains({ origins: [origin] });
  } catch {
    return false;
  }
}

export interface GenericShops {
  /** Brings the registration in line with the granted origins; returns the patterns registered. */
  sync(): Promise<string[]>;
}

export function createGenericShops(deps: GenericShopsDeps): GenericShops {
  let legacy: { unregister(): Promise<void> } | null = null;
  let chain: Promise<string[]> = Promise.resolve([]);
  const log = deps.log ?? ((m: string) => console.warn(m));
  const adapters = deps.adapters ?? ADAPTERS;
  const exclude = matchPatterns(adapters);

  async function apply(): Promise<string[]> {
    const granted = await deps.permissions.getAll();
    const matches = genericShopPatterns(granted.origins ?? [], adapters);
    if (deps.scripting) {
      const existing = await deps.scripting.getRegisteredContentScripts({ ids: [GENERIC_SCRIPT_ID] });
      if (existing.length > 0) await deps.scripting.unregisterContentScripts({ ids: [GENERIC_SCRIPT_ID] });
      if (matches.length === 0) return [];
      const script: RegisteredScript = {
        id: GENERIC_SCRIPT_ID,
        matches,
        js: [GENERIC_SCRIPT_FILE],
        runAt: GENERIC_SCRIPT_RUN_AT,
        allFrames: false,
        persistAcrossSessions: true,
      };
      if (exclude.length > 0) script.excludeMatches = exclude;
      await deps.scripting.registerContentScripts([script]);
      return matches;
    }
    if (deps.contentScripts) {
      const previous = legacy;
      legacy = null;
      await previous?.unregister();
      if (matches.length === 0) return [];
      const options: Parameters<ContentScriptsApi['register']>[0] = {
        matches,
        js: [{ file: `/${GENERIC_SCRIPT_FILE}` }],
        runAt: GENERIC_SCRIPT_RUN_AT,
        allFrames: false,
      };
      if (exclude.length > 0) options.excludeMatches = exclude;
      legacy = await deps.contentScripts.register(options);
      return matches;
    }
    if (matches.length > 0)
      log('[genuine] no way to register content scripts for granted shops in this browser');
    return [];
  }

  return {
    sync() {
      // One registration change at a time: onAdded and start-up may race.
      chain = chain.catch(() => []).then(apply);
      return chain;
    },
  };
}
