import { writeFileSync } from 'node:fs';
import { DEFAULT_CONCURRENCY } from '../../lib/sync';
import type { ExtensionSession } from '../../test/e2e/support/browsers';
import type { World } from '../../test/e2e/support/world';
import type { FloorArgs, Harness, SyncArgs } from '../browser/harness';
import type { FloorResult } from '../core/floor';
import { type SelfTime, selfTimes } from '../core/profile';
import type { StoreOnlyResult, SyncBenchResult } from '../core/sync';
import type { SignedDataset } from '../data';
import type { Row } from '../results';
import { extensionRendererRss, WorkerHandle } from './extension';

/**
 * Section 3 in Chromium: the sync benchmark (bench/core/sync.ts) run INSIDE the extension's
 * service worker, against its IndexedDB database 'genuine' (so the checks that follow read the
 * imported lists), fetching every feed from the local HTTPS server. While it runs, the worker's JS
 * heap is sampled over CDP and the extension renderer's RSS from /proc. Then the floor: the same
 * rows bulk-put in one transaction into a scratch database of the same origin.
 */

const MB = 1024 * 1024;

type Job = ReturnType<Harness['job']>;

async function poll(
  worker: WorkerHandle,
  sample: () => Promise<void>,
  log: (message: string) => void,
  label: string,
): Promise<unknown> {
  let lastLog = 0;
  for (;;) {
    await sample();
    const job = await worker.call<Job>('job');
    if (job.state === 'done') return job.result;
    if (job.state === 'failed') throw new Error(`${label} failed in the service worker: ${job.error}`);
    if (job.state === 'running' && job.total > 0 && Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log(`  ${label}: ${job.done}/${job.total} feeds`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function peakSampler(worker: WorkerHandle, browserPid: number | undefined) {
  const heap: number[] = [];
  const rss: number[] = [];
  return {
    heap,
    rss,
    async sample() {
      try {
        heap.push(await worker.heap());
      } catch {
        // The worker is busy closing; skip this sample.
      }
      const r = extensionRendererRss(browserPid);
      if (r !== null) rss.push(r);
    },
    peakHeap: () => (heap.length > 0 ? Math.max(...heap) : Number.NaN),
    peakRss: () => (rss.length > 0 ? Math.max(...rss) : Number.NaN),
    first: () => ({ heap: heap[0] ?? Number.NaN, rss: rss[0] ?? Number.NaN }),
  };
}

export async function benchSyncChromium(options: {
  session: ExtensionSession;
  world: World;
  data: SignedDataset;
  directoryUrl: string;
  bundle: string;
  log: (message: string) => void;
  /** Where to write a CPU profile of the worker during the import (`--profile`), or null. */
  profilePath?: string | null;
}): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const { session, world, data, log } = options;
  for (const f of data.feeds) world.publish(f.url, f.body, { maxAge: 86_400 });
  const feedUrls = new Set(data.feeds.map((f) => f.url));
  const pid = session.browser.process()?.pid;

  const worker = await WorkerHandle.open(session, options.bundle);
  try {
    return await run(worker);
  } finally {
    // A debugger session left attached makes every later start of the worker wait for it
    // ("starting" forever): detach so the cold-start checks can stop and restart it.
    await worker.detach();
  }

  async function run(worker: WorkerHandle): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
    const sampler = peakSampler(worker, pid);
    await sampler.sample();
    const args: SyncArgs = {
      feeds: data.feeds.map((f) => ({ url: f.url, brandId: f.brandId, keys: [data.brandKey.publicKey] })),
      directoryUrl: options.directoryUrl,
      directoryKeys: [data.directoryKey.publicKey],
      dbName: 'genuine',
    };
    log(
      `  importing ${data.spec.sellers.toLocaleString('en')} sellers from ${data.feeds.length} feeds in the service worker ...`,
    );
    if (options.profilePath) await worker.startProfile();
    await worker.call('startSync', args);
    const result = (await poll(worker, () => sampler.sample(), log, 'sync')) as SyncBenchResult;
    let profile: SelfTime[] | null = null;
    if (options.profilePath) {
      const recorded = await worker.stopProfile();
      writeFileSync(options.profilePath, JSON.stringify(recorded));
      profile = selfTimes(recorded, 25);
      log(
        `  CPU profile of the worker (import and re-sync): ${options.profilePath}; self time, top functions:`,
      );
      for (const p of profile)
        log(`    ${p.ms.toFixed(0).padStart(7)} ms ${(p.share * 100).toFixed(1).padStart(5)} %  ${p.frame}`);
    }
    const syncHeapPeak = sampler.peakHeap();
    const syncRssPeak = sampler.peakRss();
    const before = sampler.first();

    // Server-side view of the two phases.
    const feedRequests = world.requests.filter((r) => feedUrls.has(world.url(r.host, r.target)));
    const phase = (from: number, to: number) => {
      const rs = feedRequests.filter((r) => r.at >= from && r.at < to);
      const byStatus: Record<string, number> = {};
      for (const r of rs)
        byStatus[`${r.method} ${r.status}`] = (byStatus[`${r.method} ${r.status}`] ?? 0) + 1;
      return {
        total: rs.length,
        get: rs.filter((r) => r.method === 'GET').length,
        conditional: rs.filter((r) => r.method === 'GET' && r.ifNoneMatch !== null).length,
        options: rs.filter((r) => r.method === 'OPTIONS').length,
        byStatus,
      };
    };
    const storeOnlyStartedAt = Date.now();
    const serverImport = phase(result.importStartedAt, result.resync.startedAt);
    const serverResync = phase(result.resync.startedAt, storeOnlyStartedAt);

    log('  the store alone: the same feeds fetched and verified again, then imported ...');
    await worker.call('startStoreOnly', { feeds: args.feeds, dbName: 'genuine-bench-import' });
    const storeOnly = (await poll(worker, async () => undefined, log, 'store only')) as StoreOnlyResult;

    log('  bulk-put floor in the same origin ...');
    const floorSampler = peakSampler(worker, pid);
    const floorArgs: FloorArgs = {
      spec: data.spec,
      validity: data.validity,
      dbName: 'genuine-bench-floor',
    };
    await worker.call('startFloor', floorArgs);
    const floor = (await poll(worker, () => floorSampler.sample(), log, 'floor')) as FloorResult;

    const importS = result.importMs / 1000;
    const storeS = storeOnly.importMs / 1000;
    const rate = result.stats.sellers / importS;
    const floorS = floor.putMs / 1000;
    const heapMB = syncHeapPeak / MB;
    const bytes =
      result.bytesAfter !== null && result.bytesBefore !== null
        ? result.bytesAfter - result.bytesBefore
        : null;
    const resyncWrites = result.resync.dataWrites;
    const perFeed304 = serverResync.byStatus['GET 304'] ?? 0;
    const rows: Row[] = [
      {
        id: 'sync.import',
        section: 'sync',
        what: `sync + import ${result.stats.sellers.toLocaleString('en')} sellers, ${result.stats.products.toLocaleString('en')} products (${result.feeds.toLocaleString('en')} feeds, ${(data.bytes / MB).toFixed(0)} MB signed)`,
        engine: 'Chromium service worker',
        unit: 's',
        value: importS,
        n: 1,
        floor: {
          what: `bulk put of the same ${floor.rows.toLocaleString('en')} rows (${(floor.bytes / MB).toFixed(0)} MB of JSON), one transaction`,
          value: floorS,
        },
        ratio: importS / floorS,
        target: { text: '1M in < 20 s (>= 50,000 sellers/s)', pass: rate >= 50_000 },
        note: `${Math.round(rate).toLocaleString('en')} sellers/s; fetch + verify + import per feed, ${DEFAULT_CONCURRENCY} feeds at a time (lib/sync's default); time inside importFeed summed over feeds ${(result.importFeedMsSum / 1000).toFixed(1)} s; ${Object.entries(
          result.statuses,
        )
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}`,
      },
      {
        id: 'sync.store',
        section: 'sync',
        what: `import alone (lib/store importFeed) of the same feeds, already fetched and verified, ${storeOnly.chunk} handed over at a time`,
        engine: 'Chromium service worker',
        unit: 's',
        value: storeS,
        n: 1,
        floor: { what: 'the same bulk put', value: floorS },
        ratio: storeS / floorS,
        target: { text: '<= 3x floor', pass: storeS / floorS <= 3 },
        note: `into a scratch database; fetching and verifying them again took ${(storeOnly.fetchVerifyMs / 1000).toFixed(1)} s, not counted`,
      },
      {
        id: 'sync.memory',
        section: 'sync',
        what: 'worker JS heap, peak while importing (CDP Runtime.getHeapUsage)',
        engine: 'Chromium service worker',
        unit: 'MB',
        value: heapMB,
        n: sampler.heap.length,
        floor: { what: 'bulk-put floor, peak', value: floorSampler.peakHeap() / MB },
        target: { text: '< 150 MB', pass: heapMB < 150 },
        note: `heap before ${(before.heap / MB).toFixed(1)} MB; extension renderer RSS peak ${(syncRssPeak / MB).toFixed(0)} MB (before ${(before.rss / MB).toFixed(0)} MB)`,
      },
      {
        id: 'sync.bytes',
        section: 'sync',
        what: 'bytes stored (navigator.storage.estimate, after minus before)',
        engine: 'Chromium',
        unit: 'MB',
        value: bytes === null ? Number.NaN : bytes / MB,
        note: `${(data.bytes / MB).toFixed(0)} MB of signed feeds on the wire`,
      },
      {
        id: 'sync.resync',
        section: 'sync',
        what: `unchanged re-sync of ${result.feeds.toLocaleString('en')} feeds: data writes (requests in the note)`,
        engine: 'Chromium service worker',
        unit: 'count',
        value: resyncWrites,
        target: {
          text: '0 data writes and 1 request per feed (conditional, 304)',
          pass:
            resyncWrites === 0 &&
            result.resync.unchanged &&
            perFeed304 === result.feeds &&
            serverResync.total === result.feeds,
        },
        note: `server saw ${serverResync.get} GETs (${serverResync.conditional} with If-None-Match, ${perFeed304} answered 304) and ${serverResync.options} CORS preflights (OPTIONS); ${result.resync.scheduleWrites} schedule writes (meta/state); took ${(result.resync.ms / 1000).toFixed(1)} s`,
      },
    ];
    return {
      rows,
      details: {
        ...result,
        heapPeakMB: heapMB,
        rssPeakMB: syncRssPeak / MB,
        heapBeforeMB: before.heap / MB,
        rssBeforeMB: before.rss / MB,
        heapSamples: sampler.heap.length,
        server: { import: serverImport, resync: serverResync },
        floor: { ...floor, heapPeakMB: floorSampler.peakHeap() / MB, rssPeakMB: floorSampler.peakRss() / MB },
        signedBytes: data.bytes,
        storeOnly,
        ...(profile ? { profile } : {}),
      },
    };
  }
}
