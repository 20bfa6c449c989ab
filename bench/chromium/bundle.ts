import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles bench/browser/harness.ts (lib/sites, lib/feed, lib/store, lib/sync and the bench core)
 * into one IIFE for evaluation inside Chromium. esbuild comes with the toolchain (vite, tsx).
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_ROOT = path.resolve(HERE, '..');
export const REPO_ROOT = path.resolve(BENCH_ROOT, '..');

let cached: Promise<string> | null = null;

export function harnessBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [path.join(BENCH_ROOT, 'browser/harness.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no output for the bench harness');
    return file.text;
  });
  return cached;
}
