import {
  type EnabledMarketplaces,
  parseEnabledMarketplaces,
  parseTheme,
  SETTINGS_KEYS,
  type Theme,
} from './settings-values';

/**
 * The two settings the content scripts follow (marketplaces switched off, badge theme), read
 * straight from storage.local instead of through @wxt-dev/storage, which would add ~3 kB gzipped
 * to the script on every product page. Same keys as the storage items of lib/settings.ts: an item
 * "local:k" keeps its value in storage.local under "k". A missing value reads as the items'
 * fallback would (every marketplace on, theme "system"); every value is validated with the zod/mini
 * parsers, so a bad one reads as the default. The items are at version 1 with no migrations; a
 * later version that migrates a value must make these reads migrate too (or fall back).
 */

/**
 * What the content scripts use of browser.storage (wxt/browser's, or fakeBrowser's in tests).
 * Parameters of this type are not named `storage`: WXT auto-imports wxt/utils/storage for a bare
 * `storage` identifier, which put @wxt-dev/storage back into the bundle.
 */
export interface LocalStorageLike {
  local: { get(keys: string[]): Promise<Record<string, unknown>> };
  onChanged: {
    addListener(listener: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
    removeListener(listener: (changes: Record<string, { newValue?: unknown }>, area: string) => void): void;
  };
}

/** "local:settings.theme" -> "settings.theme": where @wxt-dev/storage keeps a local item. */
export function localKey(itemKey: `local:${string}`): string {
  return itemKey.slice('local:'.length);
}

const ENABLED_KEY = localKey(SETTINGS_KEYS.enabledMarketplaces);
const THEME_KEY = localKey(SETTINGS_KEYS.theme);

export interface ContentSettings {
  enabled: EnabledMarketplaces;
  theme: Theme;
}

/** Both settings in one storage read; defaults when storage cannot be read. */
export async function readContentSettings(browserStorage: LocalStorageLike): Promise<ContentSettings> {
  let stored: Record<string, unknown> = {};
  try {
    stored = (await browserStorage.local.get([ENABLED_KEY, THEME_KEY])) ?? {};
  } catch {
    stored = {};
  }
  return { enabled: parseEnabledMarketplaces(stored[ENABLED_KEY]), theme: parseTheme(stored[THEME_KEY]) };
}

/** Calls back with the parsed new value when either setting changes; returns the unwatch. */
export function watchContentSettings(
  browserStorage: LocalStorageLike,
  callbacks: { enabled: (value: EnabledMarketplaces) => void; theme: (value: Theme) => void },
): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local') return;
    const enabled = changes[ENABLED_KEY];
    if (enabled) callbacks.enabled(parseEnabledMarketplaces(enabled.newValue));
    const theme = changes[THEME_KEY];
    if (theme) callbacks.theme(parseTheme(theme.newValue));
  };
  browserStorage.onChanged.addListener(listener);
  return () => browserStorage.onChanged.removeListener(listener);
}
