import type { Browser, Page } from 'puppeteer-core';
import type { World } from '../../test/e2e/support/world';
import type { ExtractArgs, ExtractResult, Harness } from '../browser/harness';
import { round, roundSummary, summarize } from '../core/stats';
import type { BenchPage } from '../pages';
import type { Row } from '../results';

/**
 * Section 1a: extractProduct on every real saved page, in a plain Chromium (no extension, so no
 * content script runs beside it). Each page is loaded over the local HTTPS server at its real
 * URL (host name mapped to 127.0.0.1), with its inline scripts running, until `load`; then the
 * bundled lib/sites is evaluated in the page and timed there (bench/core/extract.ts): the
 * extractor, the floor (one querySelectorAll('*') walk) and the replay of the extractor's own DOM
 * queries, each the median of repeated batches.
 */

export interface PageFigures {
  file: string;
  bytes: number;
  adapter: string | null;
  found: boolean;
  productId: string | null;
  elements: number;
  queries: number;
  firstMs: number;
  extract: ReturnType<typeof roundSummary>;
  walk: ReturnType<typeof roundSummary>;
  replay: ReturnType<typeof roundSummary>;
  ratio: number;
  loadMs: number;
  error?: string;
}

async function load(page: Page, url: string): Promise<number> {
  const t0 = Date.now();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  } catch {
    // Some saved pages never fire load without their third-party scripts: measure on what parsed.
    await page.waitForFunction(() => document.readyState !== 'loading', { timeout: 10_000 });
  }
  return Date.now() - t0;
}

export async function benchExtraction(options: {
  browser: Browser;
  world: World;
  pages: readonly BenchPage[];
  bundle: string;
  samples: number;
  log: (message: string) => void;
}): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const page = await options.browser.newPage();
  const figures: PageFigures[] = [];
  try {
    for (const saved of options.pages) {
      const bytes = saved.bytes;
      try {
        const loadMs = await load(page, options.world.localUrl(saved.url));
        await page.evaluate(options.bundle);
        const args: ExtractArgs = { url: saved.url, samples: options.samples, minBatchMs: 2 };
        const m = await page.evaluate(
          (a: ExtractArgs) =>
            (globalThis as unknown as { __genuineBench: Harness }).__genuineBench.extract(a),
          args,
        );
        const f = figuresOf(saved.file, bytes, loadMs, m);
        figures.push(f);
        options.log(
          `  ${saved.file}: ${f.extract.median} ms (walk ${f.walk.median} ms, ${f.elements} elements, ${f.queries} queries, adapter ${f.adapter ?? '-'})`,
        );
      } catch (error) {
        options.log(`  ${saved.file}: FAILED ${String(error)}`);
        figures.push({
          file: saved.file,
          bytes,
          adapter: null,
          found: false,
          productId: null,
          elements: 0,
          queries: 0,
          firstMs: Number.NaN,
          extract: roundSummary(summarize([])),
          walk: roundSummary(summarize([])),
          replay: roundSummary(summarize([])),
          ratio: Number.NaN,
          loadMs: 0,
          error: String(error),
        });
      }
    }
  } finally {
    await page.close().catch(() => undefined);
  }

  const ok = figures.filter((f) => f.error === undefined);
  const claimed = ok.filter((f) => f.adapter !== null);
  const bySize = (a: PageFigures, b: PageFigures) => b.bytes - a.bytes;
  const largest = [...ok].sort(bySize)[0];
  const largestProduct = [...claimed].sort(bySize)[0];
  const rows: Row[] = [];
  const MB = 1024 * 1024;
  const largestRow = (f: PageFigures, id: string, label: string): Row => ({
    id,
    section: 'extraction',
    what: `extractProduct, ${label} (${f.file}, ${(f.bytes / MB).toFixed(2)} MB, ${f.elements.toLocaleString('en')} elements${f.adapter === null ? ', no adapter claims its URL' : `, ${f.adapter} adapter`})`,
    engine: 'Chromium',
    unit: 'ms',
    value: f.extract.median,
    n: f.extract.n,
    floor: { what: "querySelectorAll('*') walk", value: f.walk.median },
    ratio: f.ratio,
    target: { text: '< 3 ms and <= 5x floor', pass: f.extract.median < 3 && f.ratio <= 5 },
    note:
      f.adapter === null
        ? 'no adapter claims the URL, so extractProduct returns null after the URL check'
        : `the adapter's own ${f.queries} DOM queries replayed bare: ${f.replay.median} ms; first call on the page ${round(f.firstMs)} ms`,
  });
  if (largest) rows.push(largestRow(largest, 'extraction.largest', 'largest saved page'));
  if (largestProduct && largestProduct !== largest) {
    rows.push(largestRow(largestProduct, 'extraction.largest-product', 'largest page an adapter reads'));
  }
  if (claimed.length > 0) {
    const medians = summarize(claimed.map((f) => f.extract.median));
    const walks = summarize(claimed.map((f) => f.walk.median));
    const worst = [...claimed].sort((a, b) => b.extract.median - a.extract.median)[0];
    const worstRatio = [...claimed].sort((a, b) => b.ratio - a.ratio)[0];
    rows.push({
      id: 'extraction.all',
      section: 'extraction',
      what: `extractProduct, every product page (${claimed.length} pages an adapter claims; median of per-page medians)`,
      engine: 'Chromium',
      unit: 'ms',
      value: medians.median,
      n: claimed.length,
      floor: { what: "querySelectorAll('*') walk", value: walks.median },
      ratio: medians.median / walks.median,
      note: `slowest ${worst?.file} ${worst?.extract.median} ms; highest ratio ${worstRatio?.file} ${round(worstRatio?.ratio ?? Number.NaN)}x`,
    });
    const first = summarize(claimed.map((f) => f.firstMs));
    rows.push({
      id: 'extraction.first',
      section: 'extraction',
      what: 'extractProduct, first call on a freshly loaded page (median over pages)',
      engine: 'Chromium',
      unit: 'ms',
      value: first.median,
      p99: first.max,
      n: claimed.length,
      note: 'what the content script pays once per page (cold JIT, first style/layout reads); p99 column = slowest page',
    });
  }
  return {
    rows,
    details: {
      pages: figures,
      unclaimed: ok.filter((f) => f.adapter === null).map((f) => f.file),
      failed: figures.filter((f) => f.error !== undefined).map((f) => ({ file: f.file, error: f.error })),
    },
  };
}

function figuresOf(file: string, bytes: number, loadMs: number, m: ExtractResult): PageFigures {
  const extract = roundSummary(summarize(m.extract));
  const walk = roundSummary(summarize(m.walk));
  return {
    file,
    bytes,
    adapter: m.adapter,
    found: m.found,
    productId: m.productId,
    elements: m.elements,
    queries: m.queries,
    firstMs: round(m.firstMs),
    extract,
    walk,
    replay: roundSummary(summarize(m.replay)),
    ratio: round(summarize(m.extract).median / summarize(m.walk).median),
    loadMs,
  };
}
