import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// Build-time directory (shared/design/contracts.md): WXT_DIRECTORY_URL and WXT_DIRECTORY_KEYS are
// read by lib/config.ts through import.meta.env; WXT exposes every WXT_-prefixed variable.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms'],
    // The generic schema.org adapter runs only on shops the user grants from the options page.
    optional_host_permissions: browser === 'firefox' ? undefined : ['https://*/*'],
    optional_permissions: browser === 'firefox' ? ['https://*/*'] : undefined,
    action: { default_title: '__MSG_extName__' },
    browser_specific_settings:
      browser === 'firefox'
        ? { gecko: { id: 'genuine@genuine-extension.org', strict_min_version: '129.0' } }
        : undefined,
  }),
});
