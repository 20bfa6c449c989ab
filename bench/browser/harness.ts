import './jitless';
import { extractProduct, extractWithDiagnostics } from '../../lib/sites';
import { openStore } from '../../lib/store';
import { type DirectCheckMeasure, measureDirectChecks } from '../core/checks';
import { type ExtractionMeasure, measureExtraction } from '../core/extract';
import { type FloorResult, runFloor } from '../core/floor';
import {
  type FeedRef,
  runStoreOnlyBench,
  runSyncBench,
  type StoreOnlyResult,
  type SyncBenchResult,
} from '../core/sync';
import { measureVerify, type VerifyMeasure } from '../core/verify';
import type { DatasetSpec, Validity, WorkloadItem } from '../generate';

/**
 * The code the Chromium benchmarks evaluate inside the browser: bundled by bench/chromium/bundle.ts
 * into one IIFE that sets `globalThis.__genuineBench`, then evaluated (over CDP, so no page CSP is
 * involved) in a product page (extraction), in a plain https page (verification), or inside the
 * extension's own service worker (sync and the bulk-put floor), where it opens the same IndexedDB
 * database 'genuine' the background reads. It is the project's lib/ code, bundled separately from
 * the extension's own bundle.
 *
 * Long jobs (sync, floor) start and return at once; the driver polls `job()` so that no single
 * protocol call runs for minutes and the heap can be sampled meanwhile.
 */

type JobState =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'done'; result: unknown }
  | { state: 'failed'; error: string };

let job: JobState = { state: 'idle' };

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
}

function start<T>(run: (progress: (done: number, total: number) => void) => Promise<T>): void {
  if (job.state === 'running') throw new Error('a benchmark job is already running');
  job = { state: 'running', done: 0, total: 0 };
  run((done, total) => {
    job = { state: 'running', done, total };
  }).then(
    (result) => {
      job = { state: 'done', result };
    },
    (error: unknown) => {
      job = { state: 'failed', error: errorText(error) };
    },
  );
}

const now = () => performance.now();

export interface ExtractArgs {
  url: string;
  samples: number;
  minBatchMs: number;
}

export interface ExtractResult extends ExtractionMeasure {
  adapter: string | null;
  productId: string | null;
  seller: string | null;
}

export interface SyncArgs {
  feeds: FeedRef[];
  directoryUrl: string;
  directoryKeys: string[];
  dbName: string;
  /** lib/sync's default when left out. */
  concurrency?: number;
}

export interface FloorArgs {
  spec: DatasetSpec;
  validity: Validity;
  dbName: string;
}

const harness = {
  /** Extraction timings on the current document (a product page). */
  extract(args: ExtractArgs): ExtractResult {
    const once = extractWithDiagnostics(document, args.url);
    const m = measureExtraction(document, args.url, extractProduct, {
      samples: args.samples,
      minBatchMs: args.minBatchMs,
      now,
    });
    return {
      ...m,
      adapter: once.adapter,
      productId: once.snapshot?.productId ?? null,
      seller: once.snapshot?.seller?.id ?? once.snapshot?.seller?.name ?? null,
    };
  },

  /** verifyDocument on a feed fetched from `url`, against subtle.verify + JSON.parse. */
  async verify(args: {
    url: string;
    publicKey: string;
    iterations: number;
    at: string;
  }): Promise<VerifyMeasure> {
    const response = await fetch(args.url, { cache: 'no-store' });
    const body = new Uint8Array(await response.arrayBuffer());
    return measureVerify(body, args.publicKey, { iterations: args.iterations, now, at: new Date(args.at) });
  },

  startSync(args: SyncArgs): void {
    start<SyncBenchResult>((progress) =>
      runSyncBench({
        feeds: args.feeds,
        directoryUrl: args.directoryUrl,
        directoryKeys: args.directoryKeys,
        dbName: args.dbName,
        ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
        fetch: (input, init) => fetch(input, init),
        now,
        estimate: async () => (await navigator.storage.estimate()).usage ?? 0,
        onProgress: progress,
        // Progress only: the heap is sampled over CDP from outside.
        memory: () => 0,
        sampleMs: 250,
      }),
    );
  },

  /** The store's imports alone (bench/core/sync.ts, phase 3), into a scratch database. */
  startStoreOnly(args: { feeds: FeedRef[]; dbName: string }): void {
    start<StoreOnlyResult>(() =>
      runStoreOnlyBench({ feeds: args.feeds, fetch: (input, init) => fetch(input, init), now }, args.dbName),
    );
  },

  startFloor(args: FloorArgs): void {
    start<FloorResult>(() => runFloor({ ...args, now }));
  },

  /**
   * lib/check's checkProduct on each snapshot, directly against the store in this context's
   * IndexedDB (no messaging, no tab state, no toolbar badge), and one bare store read beside it.
   */
  async directChecks(args: { snapshots: WorkloadItem[]; dbName: string }): Promise<DirectCheckMeasure> {
    const store = await openStore(args.dbName);
    try {
      return await measureDirectChecks(store, args.snapshots, { now, at: new Date() });
    } finally {
      store.close();
    }
  },

  job(): JobState {
    return job;
  },

  async storageUsage(): Promise<number> {
    return (await navigator.storage.estimate()).usage ?? 0;
  },
};

export type Harness = typeof harness;

(globalThis as unknown as { __genuineBench: Harness }).__genuineBench = harness;
