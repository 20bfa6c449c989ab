import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/e2e/support/paths.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Real saved marketplace pages, beside the repo; never copied into it. */
export const SHARED_PAGES = path.resolve(REPO_ROOT, '../shared/pages');

/** The repo's own small demo shop pages: demo/pages/<host>/<path>.html. */
export const DEMO_PAGES = path.join(REPO_ROOT, 'demo/pages');

export const TEST_RESULTS = path.join(REPO_ROOT, 'test-results');
export const SCREENSHOTS = path.join(TEST_RESULTS, 'screenshots');
/** README images; written only when E2E_DOCS_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS = path.join(REPO_ROOT, 'docs/screenshots');

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.E2E_FIREFOX ?? '/usr/bin/firefox-esr';

export const INSTALL_HINT = 'apt-get install -y chromium firefox-esr';

/**
 * Fails loudly (never skips) when a browser the suite drives is not installed: a missing
 * browser must not turn into a green run.
 */
export function requireBrowsers(kinds: readonly ('chromium' | 'firefox')[]): void {
  const missing: string[] = [];
  if (kinds.includes('chromium') && !existsSync(CHROMIUM)) missing.push(CHROMIUM);
  if (kinds.includes('firefox') && !existsSync(FIREFOX)) missing.push(FIREFOX);
  if (missing.length > 0) {
    throw new Error(
      `Real-browser tests need ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} missing. Install with:\n\n    ${INSTALL_HINT}\n`,
    );
  }
}

/** Firefox ESR's zh-CN language pack: without it Firefox shows extensions in English only. */
export const FIREFOX_ZH_LANGPACK =
  '/usr/lib/firefox-esr/browser/extensions/langpack-zh-CN@firefox-esr.mozilla.org.xpi';

export function requireFirefoxZhLangpack(): void {
  if (existsSync(FIREFOX) && !existsSync(FIREFOX_ZH_LANGPACK)) {
    throw new Error(
      `Firefox shows extensions in Chinese only with its zh-CN language pack (${FIREFOX_ZH_LANGPACK}). Install with:\n\n    apt-get install -y firefox-esr-l10n-zh-cn\n`,
    );
  }
}

export type BrowserKind = 'chromium' | 'firefox';

/** Browsers to run, from E2E_BROWSERS ("chromium", "firefox" or "chromium,firefox"; default both). */
export function selectedBrowsers(): BrowserKind[] {
  const raw = (process.env.E2E_BROWSERS ?? 'chromium,firefox').split(',').map((s) => s.trim().toLowerCase());
  const out: BrowserKind[] = [];
  for (const name of raw) {
    if (name === 'chromium' || name === 'chrome') out.includes('chromium') || out.push('chromium');
    else if (name === 'firefox') out.includes('firefox') || out.push('firefox');
    else if (name !== '') throw new Error(`E2E_BROWSERS: unknown browser "${name}" (use chromium, firefox)`);
  }
  if (out.length === 0) throw new Error('E2E_BROWSERS selects no browser');
  return out;
}
