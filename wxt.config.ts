import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { parseDirectoryConfig } from './lib/config';

// Build-time directory (shared/design/contracts.md): WXT_DIRECTORY_URL and WXT_DIRECTORY_KEYS are
// inlined by Vite (WXT exposes every WXT_-prefixed variable) and read by lib/config.ts. Parsing them
// here too makes a bad value fail the build instead of shipping an extension that verifies nothing.
parseDirectoryConfig(process.env);

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // storage: settings and tab state; alarms: sync and report retries; scripting: the schema.org
    // reader on shops the user grants. No host permissions: feeds are CORS-enabled (feed-format.md).
    permissions: ['storage', 'alarms', 'scripting'],
    // The generic schema.org adapter runs only on shops the user grants from the options page.
    optional_host_permissions: browser === 'firefox' ? undefined : ['https://*/*'],
    optional_permissions: browser === 'firefox' ? ['https://*/*'] : undefined,
    action: { default_title: '__MSG_extName__' },
    browser_specific_settings:
      browser === 'firefox'
        ? {
            gecko: {
              id: 'genuine@genuine-extension.org',
              strict_min_version: '129.0',
              // Nothing is collected: reports are sent only when the shopper presses Report.
              data_collection_permissions: { required: ['none'] },
            },
          }
        : undefined,
  }),
});
