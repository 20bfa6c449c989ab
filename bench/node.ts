import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Window } from 'happy-dom';
import { extractProduct } from '../lib/sites';
import { openStore } from '../lib/store';
import { measureDirectChecks } from './core/checks';
import { measureExtraction } from './core/extract';
import { runFloor } from './core/floor';
import { roundSummary, summarize } from './core/stats';
import { runStoreOnlyBench, runSyncBench } from './core/sync';
import { measureVerify, summarizeVerify } from './core/verify';
import { signBigFeed, signDataset, signEmptyDirectory } from './data';
import { checkWorkload, type DatasetSpec, syntheticProductPage, validityAround } from './generate';
import { type Row, type SectionName, summaryRow } from './results';

/**
 * The benchmark sections that run in Node alone: verification (Node's WebCrypto, a meaningful
 * figure), and the machinery of extraction (happy-dom), sync and checks (fake-indexeddb, an
 * in-memory server). The fake IndexedDB and happy-dom say nothing about a browser's speed; their
 * rows are labelled with that engine and carry no target. They exist so that the smoke test
 * (test/unit/bench/smoke.test.ts) exercises the same code the browser runs, and so that the
 * re-sync write count is cross-checked outside the browser.
 */

export type NodeSection = 'extraction' | 'checks' | 'sync' | 'verify';

export interface NodeBenchOptions {
  spec: DatasetSpec;
  sections: readonly NodeSection[];
  /** Envelope size of the verification feed (5 MiB in real runs). */
  verifyBytes: number;
  verifyIterations: number;
  checks: number;
  extractionSamples: number;
  log?: (message: string) => void;
}

export interface NodeBenchResult {
  rows: Row[];
  sections: Partial<Record<SectionName, Record<string, unknown>>>;
}

const now = () => performance.now();
const heap = () => process.memoryUsage().heapUsed;
const MB = 1024 * 1024;
const SERVER = 'https://feeds.genuine.test';

/** An in-memory HTTPS server for lib/sync: ETag, Cache-Control and 304s, like test/e2e's world. */
function memoryServer(documents: Map<string, { body: string; etag: string }>) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const doc = documents.get(input);
    if (!doc) return new Response('not found', { status: 404 });
    const headers = new Headers({
      ETag: doc.etag,
      'Cache-Control': 'max-age=86400',
      'Content-Type': 'application/json',
    });
    if (new Headers(init.headers).get('If-None-Match') === doc.etag)
      return new Response(null, { status: 304, headers });
    return new Response(doc.body, { status: 200, headers });
  };
}

export async function runNodeBench(options: NodeBenchOptions): Promise<NodeBenchResult> {
  const log = options.log ?? (() => undefined);
  const rows: Row[] = [];
  const sections: NodeBenchResult['sections'] = {};
  const { spec } = options;

  if (options.sections.includes('verify')) {
    log(`node: verification of a ${(options.verifyBytes / MB).toFixed(1)} MB feed`);
    const big = await signBigFeed(options.verifyBytes, spec.seed);
    const m = await measureVerify(big.body, big.publicKey, {
      iterations: options.verifyIterations,
      now,
      at: big.at,
    });
    const v = summarizeVerify(m, `Node ${process.versions.node}`, 'verify.node');
    rows.push(...v.rows);
    sections.verify = { node: v.details };
  }

  const workload = checkWorkload(spec, options.checks, validityAround(Date.now()));

  if (options.sections.includes('extraction')) {
    log('node: extraction (happy-dom, synthetic page)');
    const first = workload[0];
    if (!first) throw new Error('empty workload');
    const page = syntheticProductPage(first);
    const window = new Window({ url: page.url });
    try {
      const doc = new window.DOMParser().parseFromString(page.html, 'text/html') as unknown as Document;
      const m = measureExtraction(doc, page.url, extractProduct, {
        samples: options.extractionSamples,
        minBatchMs: 1,
        now,
      });
      const extract = summarize(m.extract);
      const walk = summarize(m.walk);
      rows.push(
        summaryRow(
          {
            id: 'extraction.node',
            section: 'extraction',
            what: `extractProduct, synthetic page (${m.elements} elements, ${m.queries} DOM queries)`,
            engine: 'happy-dom',
            unit: 'ms',
          },
          extract,
          { what: "querySelectorAll('*') walk", summary: walk },
        ),
      );
      sections.extraction = {
        node: {
          found: m.found,
          elements: m.elements,
          queries: m.queries,
          firstMs: m.firstMs,
          extract: roundSummary(extract),
          walk: roundSummary(walk),
          replay: roundSummary(summarize(m.replay)),
        },
      };
    } finally {
      await window.happyDOM.close();
    }
  }

  if (options.sections.includes('sync') || options.sections.includes('checks')) {
    log(`node: signing ${spec.brands} feeds (${spec.sellers} sellers)`);
    const data = await signDataset(spec, (_i, brandId) => `${SERVER}/${brandId}/genuine-feed.json`);
    const directoryUrl = `${SERVER}/directory.json`;
    const documents = new Map<string, { body: string; etag: string }>();
    for (const f of data.feeds) documents.set(f.url, { body: f.body, etag: f.etag });
    documents.set(directoryUrl, {
      body: await signEmptyDirectory(data.directoryKey),
      etag: '"bench-directory"',
    });
    const factory = new IDBFactory();
    const dbName = 'genuine-bench-node';

    log('node: sync (fake-indexeddb)');
    const refs = data.feeds.map((f) => ({ url: f.url, brandId: f.brandId, keys: [data.brandKey.publicKey] }));
    const s = await runSyncBench({
      feeds: refs,
      directoryUrl,
      directoryKeys: [data.directoryKey.publicKey],
      dbName,
      idbFactory: factory,
      fetch: memoryServer(documents),
      now,
      memory: heap,
      sampleMs: 20,
    });
    const storeOnly = await runStoreOnlyBench(
      { feeds: refs, idbFactory: factory, fetch: memoryServer(documents), now },
      `${dbName}-import`,
    );
    const floor = await runFloor({
      spec,
      validity: data.validity,
      dbName: `${dbName}-floor`,
      idbFactory: factory,
      now,
    });
    const fakeNote = 'fake-indexeddb: machinery check only, not a browser timing';
    if (options.sections.includes('sync')) {
      rows.push({
        id: 'sync.import.node',
        section: 'sync',
        what: `import ${s.stats.sellers.toLocaleString('en')} sellers, ${s.feeds} feeds`,
        engine: 'fake-indexeddb',
        unit: 'ms',
        value: s.importMs,
        n: 1,
        floor: { what: 'bulk put, one transaction', value: floor.putMs },
        ratio: floor.putMs > 0 ? s.importMs / floor.putMs : 0,
        note: fakeNote,
      });
      rows.push({
        id: 'sync.resync.node',
        section: 'sync',
        what: `unchanged re-sync: requests (304s) / data writes / schedule writes`,
        engine: 'fake-indexeddb',
        unit: 'count',
        value: s.resync.requests.total,
        note: `${s.resync.requests.byStatus['304'] ?? 0} x 304, ${s.resync.requests.conditional} conditional, ${s.resync.dataWrites} data writes, ${s.resync.scheduleWrites} schedule writes`,
      });
    }
    sections.sync = {
      node: {
        ...s,
        storeOnly,
        heapPeakMB: s.heapPeak === null ? null : s.heapPeak / MB,
        floor,
      },
    };

    if (options.sections.includes('checks')) {
      log('node: checks (fake-indexeddb, direct)');
      const store = await openStore(dbName, factory);
      try {
        const m = await measureDirectChecks(store, workload, { now, at: new Date() });
        const check = summarize(m.check);
        const f = summarize(m.floor);
        rows.push(
          summaryRow(
            {
              id: 'checks.node',
              section: 'checks',
              what: `checkProduct direct (${workload.length} checks)`,
              engine: 'fake-indexeddb',
              unit: 'ms',
              note: fakeNote,
            },
            check,
            { what: 'one store read (getBrand)', summary: f },
            true,
          ),
        );
        sections.checks = {
          node: { check: roundSummary(check), floor: roundSummary(f), levels: m.levels, byKind: m.byKind },
        };
      } finally {
        store.close();
      }
    }
  }
  return { rows, sections };
}
