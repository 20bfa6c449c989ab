import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, INSTALL_HINT, SHARED_PAGES } from '../test/e2e/support/paths';
import { World } from '../test/e2e/support/world';
import { checkWorkload, type DatasetSpec, SIZES } from './generate';
import { chromiumVersion, gitRevision, loadAverage, machine } from './machine';
import { explainMisses } from './misses';
import { runNodeBench } from './node';
import { benchPages, hostsOf, publishPages } from './pages';
import { markdown, textTable } from './report';
import { type Results, type Row, SECTIONS, type SectionName } from './results';

/**
 * `npm run bench` (and `npm run bench -- --quick | --full | --only=checks,sync | --no-browser`).
 *
 * Runs every benchmark section and writes bench/out/results.json and bench/out/results.md (and
 * prints the table). Sections: extraction (lib/sites on the real saved pages in Chromium), badge
 * (built extension, DOMContentLoaded to <genuine-badge>), bundle (content script size), checks
 * (verdict latency from the content script, warm and cold worker), sync (import of the synthetic
 * data set in the extension's service worker, unchanged re-sync), verify (a 5 MB signed feed in
 * Node and Chromium). See bench/README.md.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, 'out');

interface Config {
  spec: DatasetSpec;
  extractionSamples: number;
  /** Saved pages for extraction and badge; null = all. */
  pageLimit: number | null;
  badgeRepeats: number;
  checks: number;
  coldRuns: number;
  verifyIterations: number;
}

const CONFIGS: Record<'quick' | 'default' | 'full', Config> = {
  quick: {
    spec: SIZES.quick,
    extractionSamples: 7,
    pageLimit: 8,
    badgeRepeats: 1,
    checks: 300,
    coldRuns: 5,
    verifyIterations: 5,
  },
  // The target sizes (1M sellers), with fewer repeats than --full: a few minutes.
  default: {
    spec: SIZES.full,
    extractionSamples: 12,
    pageLimit: null,
    badgeRepeats: 1,
    checks: 1000,
    coldRuns: 10,
    verifyIterations: 10,
  },
  full: {
    spec: SIZES.full,
    extractionSamples: 40,
    pageLimit: null,
    badgeRepeats: 5,
    checks: 3000,
    coldRuns: 30,
    verifyIterations: 25,
  },
};

const VERIFY_BYTES = 5 * 1024 * 1024;

interface Args {
  mode: keyof typeof CONFIGS;
  only: SectionName[];
  browser: boolean;
  reuseBuild: boolean;
  port: number;
  seed: number | null;
  profile: boolean;
}

const USAGE = `usage: npm run bench [-- --quick | --full] [--only=${SECTIONS.join(',')}] [--no-browser] [--reuse-build] [--port=9443] [--seed=N] [--profile]`;

function parseArgs(argv: string[]): Args {
  const args: Args = {
    mode: 'default',
    only: [...SECTIONS],
    browser: true,
    reuseBuild: false,
    port: Number(process.env.BENCH_PORT ?? 9443),
    seed: null,
    profile: false,
  };
  for (const arg of argv) {
    if (arg === '--quick') args.mode = 'quick';
    else if (arg === '--full') args.mode = 'full';
    else if (arg === '--no-browser') args.browser = false;
    else if (arg === '--reuse-build') args.reuseBuild = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      for (const n of names)
        if (!SECTIONS.includes(n as SectionName)) throw new Error(`unknown section "${n}"\n${USAGE}`);
      args.only = names as SectionName[];
    } else if (arg.startsWith('--port=')) args.port = Number(arg.slice('--port='.length));
    else if (arg.startsWith('--seed=')) args.seed = Number(arg.slice('--seed='.length));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  if (!Number.isInteger(args.port) || args.port <= 0) throw new Error(`bad --port\n${USAGE}`);
  return args;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = CONFIGS[args.mode];
  const spec: DatasetSpec = args.seed === null ? config.spec : { ...config.spec, seed: args.seed };
  const started = Date.now();
  const loadStart = loadAverage();
  const want = (s: SectionName) => args.only.includes(s);
  const rows: Row[] = [];
  const sections: Results['sections'] = {};
  const skipped: Results['skipped'] = {};
  const put = (name: SectionName, key: string, details: Record<string, unknown>) => {
    sections[name] = { ...(sections[name] ?? {}), [key]: details };
  };
  /** Runs one section; a failure is reported and the other sections still run. */
  const attempt = async (name: SectionName, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      log(`${name} FAILED: ${error instanceof Error ? (error.stack ?? text) : text}`);
      skipped[name] = `failed: ${text.split('\n')[0]}`;
    }
  };

  const browserSections: SectionName[] = ['extraction', 'badge', 'bundle', 'checks', 'sync'];
  const chromium = args.browser ? chromiumVersion(CHROMIUM) : null;
  if (args.browser && chromium === null && browserSections.some(want)) {
    throw new Error(
      `Chromium is needed at ${CHROMIUM} (or pass --no-browser). Install with:\n\n    ${INSTALL_HINT}\n`,
    );
  }
  log(
    `mode ${args.mode}: ${spec.sellers.toLocaleString('en')} sellers, ${spec.brands} brands, ${spec.products.toLocaleString('en')} products; load average ${loadStart}`,
  );

  // Node: verification of a 5 MB feed, and the re-sync write count outside the browser.
  const nodeSections = [
    ...(want('verify') ? (['verify'] as const) : []),
    ...(want('sync') ? (['sync'] as const) : []),
  ];
  if (nodeSections.length > 0) {
    const node = await runNodeBench({
      spec: SIZES.smoke,
      sections: nodeSections,
      verifyBytes: VERIFY_BYTES,
      verifyIterations: config.verifyIterations,
      checks: 0,
      extractionSamples: 0,
      log,
    });
    // fake-indexeddb timings say nothing about a browser: keep only the counts from that run.
    rows.push(...node.rows.filter((r) => r.id === 'verify.node' || r.id === 'sync.resync.node'));
    for (const [name, details] of Object.entries(node.sections)) {
      const d = details as Record<string, unknown>;
      if (d.node) put(name as SectionName, 'node', d.node as Record<string, unknown>);
    }
  }

  if (!args.browser) {
    for (const s of browserSections) if (want(s)) skipped[s] = 'not run (--no-browser)';
  } else {
    const found = benchPages();
    const pages = found?.pages ?? null;
    if (found && found.unusable.length > 0) log(`no URL for ${found.unusable.join(', ')}: left out`);
    if (pages === null) {
      for (const s of ['extraction', 'badge'] as const) {
        if (want(s)) skipped[s] = `no saved pages at ${SHARED_PAGES}`;
      }
    }
    const world = await World.start({
      port: args.port,
      extraHosts: ['www.amazon.com', ...hostsOf(pages ?? [])],
    });
    try {
      if (pages) publishPages(world, pages);
      const { harnessBundle } = await import('./chromium/bundle');
      const bundle = await harnessBundle();
      const limitPages = (list: NonNullable<typeof pages>) => {
        if (config.pageLimit === null) return list;
        // The largest pages first: the targets are about them.
        return [...list].sort((a, b) => b.bytes - a.bytes).slice(0, config.pageLimit);
      };

      if ((want('extraction') && pages) || want('verify')) {
        const { launchPlainChromium } = await import('./chromium/launch');
        const plain = await launchPlainChromium(world.hosts);
        try {
          if (want('extraction') && pages) {
            await attempt('extraction', async () => {
              log(`extraction on ${limitPages(pages).length} saved pages (plain Chromium)`);
              const { benchExtraction } = await import('./chromium/extraction');
              const r = await benchExtraction({
                browser: plain,
                world,
                pages: limitPages(pages),
                bundle,
                samples: config.extractionSamples,
                log,
              });
              rows.push(...r.rows);
              put('extraction', 'chromium', r.details);
            });
          }
          if (want('verify')) {
            await attempt('verify', async () => {
              log('verification of a 5 MB feed in Chromium');
              const { benchVerifyChromium } = await import('./chromium/verify');
              const r = await benchVerifyChromium({
                browser: plain,
                world,
                bundle,
                envelopeBytes: VERIFY_BYTES,
                iterations: config.verifyIterations,
                seed: spec.seed,
              });
              rows.push(...r.rows);
              put('verify', 'chromium', r.details);
            });
          }
        } finally {
          await plain.close().catch(() => undefined);
        }
      }

      const needsExtension = want('badge') || want('bundle') || want('checks') || want('sync');
      if (needsExtension) {
        const { seededKey, signDataset } = await import('./data');
        const { prepareBuild, launchWithExtension } = await import('./chromium/extension');
        const directoryKey = await seededKey(spec.seed, 'directory');
        const building = prepareBuild({
          world,
          directoryKey,
          outDir: path.join(OUT, 'build'),
          reuse: args.reuseBuild,
          log,
        });
        const needsData = want('checks') || want('sync');
        const signing = needsData
          ? (async () => {
              log(`signing ${spec.brands.toLocaleString('en')} feeds ...`);
              const t = Date.now();
              const d = await signDataset(spec, (_i, brandId) =>
                world.url('feeds.genuine.test', `/${brandId}/genuine-feed.json`),
              );
              log(
                `signed ${spec.brands.toLocaleString('en')} feeds (${(d.bytes / 1024 / 1024).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
              );
              return d;
            })()
          : Promise.resolve(null);
        const [built, data] = await Promise.all([building, signing]);
        if (!built.reused) log(`built in ${(built.buildMs / 1000).toFixed(1)} s`);

        if (want('bundle')) {
          await attempt('bundle', async () => {
            const { benchBundle } = await import('./chromium/badge');
            const r = await benchBundle(built.dir);
            rows.push(...r.rows);
            put('bundle', 'chromium', r.details);
          });
        }

        if (want('badge') || want('checks') || want('sync')) {
          const session = await launchWithExtension(world, built);
          try {
            let loaded = false;
            if (data && (want('sync') || want('checks'))) {
              // The checks read the store this import fills: they need it even when sync is not reported.
              await attempt(want('sync') ? 'sync' : 'checks', async () => {
                log('sync: import in the extension service worker');
                const { benchSyncChromium } = await import('./chromium/sync');
                const r = await benchSyncChromium({
                  session,
                  world,
                  data,
                  directoryUrl: built.directoryUrl,
                  bundle,
                  log,
                  profilePath: args.profile ? path.join(OUT, 'sync.cpuprofile') : null,
                });
                loaded = true;
                if (want('sync')) {
                  rows.push(...r.rows);
                  put('sync', 'chromium', r.details);
                }
              });
            }
            if (data && want('checks')) {
              if (!loaded) skipped.checks ??= 'not run: the store could not be loaded (see sync)';
              else
                await attempt('checks', async () => {
                  log('checks: verdict latency from the content script');
                  const { benchChecksChromium } = await import('./chromium/checks');
                  const r = await benchChecksChromium({
                    session,
                    world,
                    workload: checkWorkload(spec, config.checks, data.validity),
                    coldRuns: config.coldRuns,
                    bundle,
                    storeLabel: `${spec.sellers.toLocaleString('en')} sellers, ${spec.brands.toLocaleString('en')} brands, ${spec.products.toLocaleString('en')} products`,
                    log,
                  });
                  rows.push(...r.rows);
                  put('checks', 'chromium', r.details);
                });
            }
            if (want('badge') && pages) {
              await attempt('badge', async () => {
                log('badge: DOMContentLoaded to <genuine-badge>');
                const { benchBadge } = await import('./chromium/badge');
                const r = await benchBadge({
                  session,
                  world,
                  extensionDir: built.dir,
                  pages: limitPages(pages),
                  repeats: config.badgeRepeats,
                  log,
                });
                rows.push(...r.rows);
                put('badge', 'chromium', r.details);
              });
            }
          } finally {
            await session.close();
          }
        }
      }
    } finally {
      await world.close();
    }
  }

  const order = (r: Row) => SECTIONS.indexOf(r.section);
  rows.sort((a, b) => order(a) - order(b));
  const partial: Pick<Results, 'rows' | 'sections'> = { rows, sections };
  const results: Results = {
    schema: 1,
    date: new Date(started).toISOString(),
    mode: args.mode,
    seconds: (Date.now() - started) / 1000,
    revision: gitRevision(path.resolve(HERE, '..')),
    machine: machine(chromium),
    loadAverage: { start: loadStart, end: loadAverage() },
    dataset: spec,
    rows,
    sections,
    skipped,
    misses: explainMisses(partial),
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(OUT, 'results.md'), markdown(results));
  process.stdout.write(
    `${textTable(results)}\n\nWrote ${path.relative(process.cwd(), path.join(OUT, 'results.json'))} and results.md\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
