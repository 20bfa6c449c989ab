import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateKeyPair, type KeyPair } from '../../../lib/feed';
import { buildExtension } from './build';
import { requireBrowsers, selectedBrowsers, TEST_RESULTS } from './paths';
import { DIRECTORY_HOST, defaultPort, originOf } from './world';

/**
 * Once per e2e run: fail early when a browser is missing, make this run's directory key, and build
 * the extension for Chromium and Firefox against the local directory URL and that key (the
 * extension then trusts nothing but documents this run signs). Spec files start their own local
 * world on the same port and sign with the same key (inject('e2e')).
 *
 * E2E_REUSE_BUILD=1 reuses the last build and its key (test-results/e2e-build/) to iterate on a
 * spec without rebuilding; never in CI.
 */

export interface E2EContext {
  port: number;
  directoryUrl: string;
  directoryKey: KeyPair;
  chromeDir: string | null;
  firefoxDir: string | null;
  buildMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2EContext;
  }
}

const BUILD_DIR = path.join(TEST_RESULTS, 'e2e-build');
const CONTEXT_FILE = path.join(BUILD_DIR, 'context.json');

function reusable(browsers: string[]): E2EContext | null {
  if (process.env.E2E_REUSE_BUILD !== '1' || process.env.CI === 'true' || !existsSync(CONTEXT_FILE))
    return null;
  const ctx = JSON.parse(readFileSync(CONTEXT_FILE, 'utf8')) as E2EContext;
  if (ctx.port !== defaultPort()) return null;
  if (browsers.includes('chromium') && !(ctx.chromeDir && existsSync(ctx.chromeDir))) return null;
  if (browsers.includes('firefox') && !(ctx.firefoxDir && existsSync(ctx.firefoxDir))) return null;
  return ctx;
}

export default async function setup(project: TestProject): Promise<void> {
  const browsers = selectedBrowsers();
  requireBrowsers(browsers);
  let ctx = reusable(browsers);
  if (ctx) {
    process.stderr.write(`[e2e] reusing the build in ${BUILD_DIR} (E2E_REUSE_BUILD=1)\n`);
  } else {
    const port = defaultPort();
    const directoryUrl = `${originOf(DIRECTORY_HOST, port)}/v1/directory.json`;
    const directoryKey = await generateKeyPair();
    process.stderr.write(`[e2e] building the extension against ${directoryUrl} ...\n`);
    const built = await buildExtension({
      directoryUrl,
      directoryKeys: [directoryKey.publicKey],
      outDir: BUILD_DIR,
      browsers,
    });
    process.stderr.write(`[e2e] built in ${(built.ms / 1000).toFixed(1)} s\n`);
    ctx = {
      port,
      directoryUrl,
      directoryKey,
      chromeDir: built.chrome,
      firefoxDir: built.firefox,
      buildMs: built.ms,
    };
    mkdirSync(BUILD_DIR, { recursive: true });
    writeFileSync(CONTEXT_FILE, JSON.stringify(ctx, null, 2));
  }
  project.provide('e2e', ctx);
}
