import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  EnabledMarketplacesStored,
  enabledMarketplacesItem,
  getEnabledMarketplaces,
  getReportConsent,
  getTheme,
  giveReportConsent,
  isMarketplaceEnabled,
  MIGRATIONS,
  migrateSetting,
  NO_CONSENT,
  ReportConsent,
  reportConsentItem,
  SETTINGS_EXAMPLES,
  SETTINGS_VERSION,
  setMarketplaceEnabled,
  setTheme,
  Theme,
  watchEnabledMarketplaces,
  withdrawReportConsent,
} from '../../../lib/settings';
import { MARKETPLACES } from '../../../lib/sites/snapshot';

describe('settings', () => {
  it('start with no consent, every marketplace on and the system theme', async () => {
    expect(await getReportConsent()).toEqual(NO_CONSENT);
    const enabled = await getEnabledMarketplaces();
    expect(Object.keys(enabled).sort()).toEqual([...MARKETPLACES].sort());
    expect(Object.values(enabled).every((v) => v === true)).toBe(true);
    expect(await getTheme()).toBe('system');
  });

  it('remember the report consent with its date, and can forget it', async () => {
    const at = new Date('2026-11-21T10:00:00Z');
    await giveReportConsent(at);
    expect(await getReportConsent()).toEqual({ given: true, at: '2026-11-21T10:00:00.000Z' });
    // Stored in storage.local under a stable key, so a restarted popup sees it.
    expect(await fakeBrowser.storage.local.get('settings.reportConsent')).toEqual({
      'settings.reportConsent': { given: true, at: '2026-11-21T10:00:00.000Z' },
    });
    await withdrawReportConsent();
    expect((await getReportConsent()).given).toBe(false);
  });

  it('store only what changed for marketplaces; a new marketplace is on by default', async () => {
    await setMarketplaceEnabled('ebay', false);
    expect(await isMarketplaceEnabled('ebay')).toBe(false);
    expect(await isMarketplaceEnabled('amazon')).toBe(true);
    await fakeBrowser.storage.local.set({ 'settings.enabledMarketplaces': { ebay: false } });
    expect(await isMarketplaceEnabled('temu')).toBe(true);
  });

  it('read a corrupted value as the default instead of failing', async () => {
    await fakeBrowser.storage.local.set({
      'settings.reportConsent': { given: 'yes' },
      'settings.enabledMarketplaces': ['amazon'],
      'settings.theme': 'neon',
    });
    expect(await getReportConsent()).toEqual(NO_CONSENT);
    expect(await isMarketplaceEnabled('amazon')).toBe(true);
    expect(await getTheme()).toBe('system');
    await fakeBrowser.storage.local.set({
      'settings.enabledMarketplaces': { amazon: 'no', ebay: false, mars: false },
    });
    const enabled = await getEnabledMarketplaces();
    expect(enabled.amazon).toBe(true);
    expect(enabled.ebay).toBe(false);
    expect('mars' in enabled).toBe(false);
  });

  it('validate what is written', async () => {
    await setTheme('dark');
    expect(await getTheme()).toBe('dark');
    await expect(setTheme('neon' as Theme)).rejects.toThrow();
  });

  it('tell watchers about marketplace changes, parsed', async () => {
    const seen: boolean[] = [];
    const unwatch = watchEnabledMarketplaces((v) => seen.push(v.walmart));
    await setMarketplaceEnabled('walmart', false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    unwatch();
    expect(seen).toEqual([false]);
  });
});

describe('settings migrations', () => {
  const schemas = {
    reportConsent: ReportConsent,
    enabledMarketplaces: EnabledMarketplacesStored,
    theme: Theme,
  } as const;

  it('have an example for every version of every item', () => {
    for (const item of Object.keys(MIGRATIONS) as (keyof typeof MIGRATIONS)[]) {
      const versions = SETTINGS_EXAMPLES[item].map((e) => e.version);
      expect(versions, item).toEqual(Array.from({ length: SETTINGS_VERSION }, (_, i) => i + 1));
    }
  });

  it('turn every stored example into a value the current schema accepts', () => {
    for (const item of Object.keys(MIGRATIONS) as (keyof typeof MIGRATIONS)[]) {
      for (const example of SETTINGS_EXAMPLES[item]) {
        const migrated = migrateSetting(item, example.version, example.value);
        expect(schemas[item].safeParse(migrated).success, `${item} v${example.version}`).toBe(true);
      }
    }
  });

  it('keep a value stored at the current version through the storage migration', async () => {
    const current = SETTINGS_EXAMPLES.reportConsent.at(-1);
    await fakeBrowser.storage.local.set({
      'settings.reportConsent': current?.value,
      'settings.reportConsent$': { v: SETTINGS_VERSION },
    });
    await reportConsentItem.migrate();
    expect(await getReportConsent()).toEqual(current?.value);
    const marketplaces = SETTINGS_EXAMPLES.enabledMarketplaces.at(-1);
    await fakeBrowser.storage.local.set({ 'settings.enabledMarketplaces': marketplaces?.value });
    await enabledMarketplacesItem.migrate();
    expect((await getEnabledMarketplaces()).amazon).toBe(false);
  });
});
