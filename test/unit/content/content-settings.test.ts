import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { localKey, readContentSettings, watchContentSettings } from '../../../lib/content-settings';
import {
  allMarketplacesOn,
  type EnabledMarketplaces,
  SETTINGS_KEYS,
  setMarketplaceEnabled,
  setTheme,
  type Theme,
} from '../../../lib/settings';

// The content scripts read storage.local directly; the options page writes through the
// @wxt-dev/storage items of lib/settings.ts. These tests write one way and read the other.

describe('content settings (storage.local without @wxt-dev/storage)', () => {
  it('reads the items lib/settings.ts writes', async () => {
    await setMarketplaceEnabled('ebay', false);
    await setTheme('dark');
    const settings = await readContentSettings(fakeBrowser.storage);
    expect(settings.theme).toBe('dark');
    expect(settings.enabled).toEqual({ ...allMarketplacesOn(), ebay: false });
  });

  it("reads the items' fallbacks when nothing is stored", async () => {
    expect(await readContentSettings(fakeBrowser.storage)).toEqual({
      enabled: allMarketplacesOn(),
      theme: 'system',
    });
  });

  it('reads bad stored values as the defaults', async () => {
    await fakeBrowser.storage.local.set({
      [localKey(SETTINGS_KEYS.enabledMarketplaces)]: { amazon: 'no', jd: false },
      [localKey(SETTINGS_KEYS.theme)]: '<script>',
    });
    const settings = await readContentSettings(fakeBrowser.storage);
    expect(settings.theme).toBe('system');
    expect(settings.enabled).toEqual({ ...allMarketplacesOn(), jd: false });
  });

  it('falls back to the defaults when storage cannot be read', async () => {
    const broken = {
      local: { get: () => Promise.reject(new Error('no storage')) },
      onChanged: fakeBrowser.storage.onChanged,
    };
    expect(await readContentSettings(broken)).toEqual({ enabled: allMarketplacesOn(), theme: 'system' });
  });

  it('watches changes written through lib/settings.ts until unwatched', async () => {
    const themes: Theme[] = [];
    const enabled: EnabledMarketplaces[] = [];
    const unwatch = watchContentSettings(fakeBrowser.storage, {
      enabled: (value) => enabled.push(value),
      theme: (value) => themes.push(value),
    });
    await setTheme('light');
    await setMarketplaceEnabled('amazon', false);
    expect(themes).toEqual(['light']);
    expect(enabled).toEqual([{ ...allMarketplacesOn(), amazon: false }]);
    unwatch();
    await setTheme('dark');
    expect(themes).toEqual(['light']);
  });
});
