import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';

export interface BuildOptions {
  /** WXT_DIRECTORY_URL baked into the build. */
  directoryUrl: string;
  /** WXT_DIRECTORY_KEYS: trusted directory public keys (base64 raw 32 bytes). */
  directoryKeys: readonly string[];
  /** Where to copy the two builds (chrome-mv3/, firefox-mv2/). */
  outDir: string;
  browsers?: readonly ('chromium' | 'firefox')[];
  /** Print wxt's output. */
  verbose?: boolean;
}

export interface BuildResult {
  chrome: string | null;
  firefox: string | null;
  ms: number;
}

const LOCK = path.join(REPO_ROOT, '.output', '.genuine-build.lock');

/** One `wxt build` at a time in this work tree (the demo and the e2e suite both build). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than 5 minutes is left over from a killed build.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 5 * 60_000)
        rmSync(LOCK, { recursive: true });
      if (Date.now() > deadline)
        throw new Error(`waited 5 minutes for ${LOCK}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function run(args: string[], env: NodeJS.ProcessEnv, verbose: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/wxt'), args, {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (verbose) process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`wxt ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/**
 * Builds the extension for Chromium (MV3) and Firefox (MV2) against a given directory URL and
 * keys (contracts.md, "Building against another directory"), and copies each build out of
 * .output/ so that the e2e suite and the demo never run each other's build.
 */
export async function buildExtension(options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const browsers = options.browsers ?? ['chromium', 'firefox'];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WXT_DIRECTORY_URL: options.directoryUrl,
    WXT_DIRECTORY_KEYS: options.directoryKeys.join(','),
  };
  const result: BuildResult = { chrome: null, firefox: null, ms: 0 };
  await withLock(async () => {
    for (const kind of browsers) {
      const target = kind === 'chromium' ? 'chrome-mv3' : 'firefox-mv2';
      await run(kind === 'chromium' ? ['build'] : ['build', '-b', 'firefox'], env, options.verbose ?? false);
      const from = path.join(REPO_ROOT, '.output', target);
      const to = path.join(options.outDir, target);
      rmSync(to, { recursive: true, force: true });
      mkdirSync(options.outDir, { recursive: true });
      cpSync(from, to, { recursive: true });
      if (!existsSync(path.join(to, 'manifest.json')))
        throw new Error(`wxt build wrote no manifest to ${from}`);
      if (kind === 'chromium') result.chrome = to;
      else result.firefox = to;
    }
  });
  result.ms = Date.now() - started;
  return result;
}

/** The manifest of a build, to check what it matches. */
export function readManifest(
  dir: string,
): { content_scripts?: { matches: string[] }[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}
