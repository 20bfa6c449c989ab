import { storage } from 'wxt/utils/storage';

/**
 * The shopper's settings, in storage.local through @wxt-dev/storage items. Each item carries a
 * version; a later version adds a migration (`migrations[n]` turns a version n-1 value into a
 * version n value) and a new entry in SETTINGS_EXAMPLES, which the unit test runs through every
 * migration to the current schema. Every read is validated with zod: a value that does not parse
 * (edited by hand, written by a buggy version) reads as the default instead of breaking a page.
 * zod/mini, because the content script reads these settings on every product page and classic zod
 * is too large for it (see lib/sites/snapshot.ts).
 */

import {
  type EnabledMarketplaces,
  NO_CONSENT,
  parseEnabledMarketplaces,
  parseReportConsent,
  parseTheme,
  type ReportConsent,
  SETTINGS_KEYS,
  SETTINGS_VERSION,
  Theme,
} from './settings-values';
import type { Marketplace } from './sites/snapshot';

export * from './settings-values';

// --- storage items ----------------------------------------------------------------------------

/** Migrations per item, keyed by the version they produce. Empty at version 1. */
export const MIGRATIONS = {
  reportConsent: {} as Record<number, (old: unknown) => unknown>,
  enabledMarketplaces: {} as Record<number, (old: unknown) => unknown>,
  theme: {} as Record<number, (old: unknown) => unknown>,
};

/** One stored example per item and version, oldest first: what the migration test replays. */
export const SETTINGS_EXAMPLES: Record<keyof typeof MIGRATIONS, { version: number; value: unknown }[]> = {
  reportConsent: [{ version: 1, value: { given: true, at: '2026-11-21T10:00:00.000Z' } }],
  enabledMarketplaces: [{ version: 1, value: { amazon: false, ebay: true } }],
  theme: [{ version: 1, value: 'dark' }],
};

export const reportConsentItem = storage.defineItem<unknown>(SETTINGS_KEYS.reportConsent, {
  fallback: NO_CONSENT,
  version: SETTINGS_VERSION,
  migrations: MIGRATIONS.reportConsent,
});

export const enabledMarketplacesItem = storage.defineItem<unknown>(SETTINGS_KEYS.enabledMarketplaces, {
  fallback: {},
  version: SETTINGS_VERSION,
  migrations: MIGRATIONS.enabledMarketplaces,
});

export const themeItem = storage.defineItem<unknown>(SETTINGS_KEYS.theme, {
  fallback: 'system',
  version: SETTINGS_VERSION,
  migrations: MIGRATIONS.theme,
});

// --- API --------------------------------------------------------------------------------------

export async function getReportConsent(): Promise<ReportConsent> {
  return parseReportConsent(await reportConsentItem.getValue());
}

/** Remembers that the shopper pressed Report (the consent), with the time. */
export async function giveReportConsent(now: Date = new Date()): Promise<ReportConsent> {
  const consent: ReportConsent = { given: true, at: now.toISOString() };
  await reportConsentItem.setValue(consent);
  return consent;
}

export async function withdrawReportConsent(): Promise<void> {
  await reportConsentItem.setValue(NO_CONSENT);
}

export async function getEnabledMarketplaces(): Promise<EnabledMarketplaces> {
  return parseEnabledMarketplaces(await enabledMarketplacesItem.getValue());
}

export async function isMarketplaceEnabled(marketplace: Marketplace): Promise<boolean> {
  return (await getEnabledMarketplaces())[marketplace];
}

export async function setMarketplaceEnabled(
  marketplace: Marketplace,
  enabled: boolean,
): Promise<EnabledMarketplaces> {
  const next = { ...(await getEnabledMarketplaces()), [marketplace]: enabled };
  await enabledMarketplacesItem.setValue(next);
  return next;
}

/** Calls `callback` with the parsed value whenever the setting changes (content script, popup). */
export function watchEnabledMarketplaces(callback: (value: EnabledMarketplaces) => void): () => void {
  return enabledMarketplacesItem.watch((value) => callback(parseEnabledMarketplaces(value)));
}

export async function getTheme(): Promise<Theme> {
  return parseTheme(await themeItem.getValue());
}

export async function setTheme(theme: Theme): Promise<void> {
  await themeItem.setValue(Theme.parse(theme));
}

export function watchTheme(callback: (value: Theme) => void): () => void {
  return themeItem.watch((value) => callback(parseTheme(value)));
}

/**
 * Runs the migrations of `item` on a value stored at `fromVersion`, as @wxt-dev/storage does on
 * update. Pure; the unit test replays SETTINGS_EXAMPLES through it.
 */
export function migrateSetting(item: keyof typeof MIGRATIONS, fromVersion: number, value: unknown): unknown {
  let current = value;
  for (let version = fromVersion + 1; version <= SETTINGS_VERSION; version++) {
    const step = MIGRATIONS[item][version];
    if (step) current = step(current);
  }
  return current;
}
