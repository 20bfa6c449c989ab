import * as z from 'zod/mini';
import { MARKETPLACES, type Marketplace } from './sites/snapshot';

/**
 * The shopper's settings: their zod/mini schemas, storage keys and parsers, without
 * @wxt-dev/storage, so the content scripts can read the two settings they need (enabled
 * marketplaces, theme) straight from storage.local (lib/content-settings.ts) while the options page,
 * popup and background use the storage items of lib/settings.ts, which re-exports all of this.
 */

export const SETTINGS_VERSION = 1;

// --- report consent ---------------------------------------------------------------------------

/** Pressing Report for the first time is the consent to send reports; remembered with its date. */
export const ReportConsent = z.object({
  given: z.boolean(),
  at: z.nullable(z.iso.datetime({ offset: true })),
});
export type ReportConsent = z.infer<typeof ReportConsent>;
export const NO_CONSENT: ReportConsent = { given: false, at: null };

// --- marketplaces -----------------------------------------------------------------------------

/**
 * Which marketplaces are checked. Stored sparsely: a marketplace missing from the record is on,
 * so a marketplace added in a later release is checked by default. Unknown keys are ignored.
 */
export const EnabledMarketplacesStored = z.record(z.string(), z.boolean());
export type EnabledMarketplaces = Record<Marketplace, boolean>;

export function allMarketplacesOn(): EnabledMarketplaces {
  return Object.fromEntries(MARKETPLACES.map((m) => [m, true])) as EnabledMarketplaces;
}

// --- theme ------------------------------------------------------------------------------------

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

// --- storage keys -----------------------------------------------------------------------------

/**
 * @wxt-dev/storage keys of the items; an item "local:k" keeps its value in storage.local under
 * "k" (and its version under "k$").
 */
export const SETTINGS_KEYS = {
  reportConsent: 'local:settings.reportConsent',
  enabledMarketplaces: 'local:settings.enabledMarketplaces',
  theme: 'local:settings.theme',
} as const;

// --- parsing (pure, tested directly) ----------------------------------------------------------

export function parseReportConsent(raw: unknown): ReportConsent {
  const parsed = ReportConsent.safeParse(raw);
  return parsed.success ? parsed.data : NO_CONSENT;
}

/** Field by field: a marketplace whose stored value is not a boolean reads as on; others keep theirs. */
export function parseEnabledMarketplaces(raw: unknown): EnabledMarketplaces {
  const result = allMarketplacesOn();
  const parsed = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!parsed.success) return result;
  for (const marketplace of MARKETPLACES) {
    const value = parsed.data[marketplace];
    if (typeof value === 'boolean') result[marketplace] = value;
  }
  return result;
}

export function parseTheme(raw: unknown): Theme {
  const parsed = Theme.safeParse(raw);
  return parsed.success ? parsed.data : 'system';
}
