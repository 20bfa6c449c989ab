import puppeteer, { type Browser } from 'puppeteer-core';
import { resolverRules } from '../../test/e2e/support/browsers';
import { CHROMIUM, requireBrowsers } from '../../test/e2e/support/paths';

/**
 * A plain headless Chromium (no extension) pointed at the local world, for the measurements that
 * must not be disturbed by the content script: extraction timings and verification in a page.
 * Same flags as the e2e launcher (test/e2e/support/browsers.ts).
 */
export async function launchPlainChromium(hosts: readonly string[]): Promise<Browser> {
  requireBrowsers(['chromium']);
  return puppeteer.launch({
    browser: 'chrome',
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    acceptInsecureCerts: true,
    protocolTimeout: 600_000,
    defaultViewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--no-first-run',
      '--no-default-browser-check',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${resolverRules(hosts)}`,
      '--lang=en-US',
    ],
  });
}
