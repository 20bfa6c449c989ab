import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/**
 * What the content script is made of: entrypoints/content/index.ts bundled again with esbuild
 * (minified, like the real build) with a metafile, and the minified bytes grouped by package
 * (node_modules/<name>) or by project folder (lib/sites, components, ...). An approximation of
 * WXT's own output (vite + rollup), close enough to show which parts make it large; the size the
 * target is judged on is the real build's (bench/chromium/badge.ts benchBundle).
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..');

/** `?inline` CSS imports (WXT/vite): the file's text. */
const wxtShims: Plugin = {
  name: 'wxt-shims',
  setup(b) {
    b.onResolve({ filter: /\?inline$/ }, (args) => {
      const bare = args.path.replace(/\?inline$/, '').replace(/^@\//, `${REPO_ROOT}/`);
      return { path: path.resolve(args.resolveDir, bare), namespace: 'bench-inline' };
    });
    b.onLoad({ filter: /.*/, namespace: 'bench-inline' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

export interface BundleShare {
  /** node_modules package or project folder. */
  part: string;
  bytes: number;
}

export interface Composition {
  /** Minified bytes of this esbuild bundle. */
  total: number;
  gzip: number;
  parts: BundleShare[];
  /** The same bundle with `without` left out (external): what the rest weighs. */
  rest: { without: string[]; bytes: number; gzip: number };
}

async function bundle(external: string[]) {
  return build({
    entryPoints: [path.join(REPO_ROOT, 'entrypoints/content/index.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    metafile: true,
    outdir: path.join(REPO_ROOT, 'bench/out/content-analysis'),
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css' },
    // `defineContentScript` is an auto-import in WXT: provide it the same way.
    inject: [path.join(HERE, 'content-globals.ts')],
    plugins: [wxtShims],
    define: { 'import.meta.env.BROWSER': '"chrome"', 'import.meta.env.MANIFEST_VERSION': '3' },
    logLevel: 'silent',
    external,
  }).catch((error: unknown) => {
    throw new Error(`could not bundle the content script for analysis: ${String(error)}`);
  });
}

/** The two dependencies that make most of the content script (see the README). */
export const HEAVY = ['zod', 'tldts'];

export async function contentScriptComposition(): Promise<Composition> {
  const result = await bundle([]);
  const rest = await bundle(HEAVY);
  const jsOf = (r: typeof result) => r.outputFiles?.find((f) => f.path.endsWith('.js'));
  const full = jsOf(result);
  const lighter = jsOf(rest);
  if (!full || !lighter) throw new Error('no JavaScript output');
  const js = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'));
  if (!js) throw new Error('no JavaScript output');
  const groups = new Map<string, number>();
  for (const [input, info] of Object.entries(js[1].inputs)) {
    const part = partOf(input);
    groups.set(part, (groups.get(part) ?? 0) + info.bytesInOutput);
  }
  const parts = [...groups.entries()]
    .map(([part, bytes]) => ({ part, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    total: js[1].bytes,
    gzip: gzipSync(full.contents, { level: 9 }).byteLength,
    parts,
    rest: {
      without: HEAVY,
      bytes: lighter.contents.byteLength,
      gzip: gzipSync(lighter.contents, { level: 9 }).byteLength,
    },
  };
}

function partOf(input: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (nm?.[1]) return nm[1];
  const rel = input.replace(/^.*?:/, '');
  const segments = rel.split('/');
  if (segments[0] === 'lib' && segments[1] === 'sites' && segments[2]) return `lib/sites/${segments[2]}`;
  if (segments[0] === 'lib' && segments[1]) return `lib/${segments[1].replace(/\.tsx?$/, '')}`;
  return segments.length > 1 ? (segments[0] ?? rel) : rel;
}
