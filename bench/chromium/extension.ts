import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { ExtensionSession } from '../../test/e2e/support/browsers';
import { buildExtension } from '../../test/e2e/support/build';
import { DIRECTORY_HOST, type World } from '../../test/e2e/support/world';
import type { ProfileLike } from '../core/profile';
import { type SeededKey, signEmptyDirectory } from '../data';

/**
 * The built extension for the benchmarks that need it (badge, checks, sync): built once per run
 * with `wxt build` against the bench directory (contracts.md, "Building against another
 * directory"; the bench directory key is derived from the seed), then loaded into Chromium with
 * the e2e launcher (test/e2e/support). The directory it syncs lists no brand: the sync benchmark
 * subscribes the store to the brand feeds itself (bench/core/sync.ts).
 */

export interface BuiltExtension {
  dir: string;
  directoryUrl: string;
  buildMs: number;
  reused: boolean;
}

export function directoryUrlOf(world: World): string {
  return world.url(DIRECTORY_HOST, '/v1/directory.json');
}

export async function prepareBuild(options: {
  world: World;
  directoryKey: SeededKey;
  outDir: string;
  reuse: boolean;
  log: (message: string) => void;
}): Promise<BuiltExtension> {
  const directoryUrl = directoryUrlOf(options.world);
  options.world.publish(directoryUrl, await signEmptyDirectory(options.directoryKey), { maxAge: 86_400 });
  const contextFile = path.join(options.outDir, 'context.json');
  const dir = path.join(options.outDir, 'chrome-mv3');
  const wanted = { directoryUrl, directoryKey: options.directoryKey.publicKey };
  if (options.reuse && existsSync(contextFile) && existsSync(path.join(dir, 'manifest.json'))) {
    const ctx = JSON.parse(readFileSync(contextFile, 'utf8')) as typeof wanted;
    if (ctx.directoryUrl === wanted.directoryUrl && ctx.directoryKey === wanted.directoryKey) {
      options.log(`reusing the build in ${dir} (--reuse-build)`);
      return { dir, directoryUrl, buildMs: 0, reused: true };
    }
  }
  options.log(`building the extension against ${directoryUrl} (wxt build) ...`);
  const built = await buildExtension({
    directoryUrl,
    directoryKeys: [options.directoryKey.publicKey],
    outDir: options.outDir,
    browsers: ['chromium'],
  });
  if (!built.chrome) throw new Error('wxt build produced no Chromium build');
  writeFileSync(contextFile, JSON.stringify(wanted, null, 2));
  return { dir: built.chrome, directoryUrl, buildMs: built.ms, reused: false };
}

/** Launches Chromium with the build and waits until the background answers and synced its directory. */
export async function launchWithExtension(world: World, built: BuiltExtension): Promise<ExtensionSession> {
  const session = await ExtensionSession.launch({
    kind: 'chromium',
    extensionDir: built.dir,
    hosts: world.hosts,
  });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await session.sendMessage({ type: 'feeds' }).catch(() => null);
      const synced = world.requestsFor(built.directoryUrl).some((r) => r.status === 200 || r.status === 304);
      if (Array.isArray(answer) && synced) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the extension's background did not answer "feeds" and sync its directory within 30 s (last answer ${JSON.stringify(answer)})`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // Let the install-time sync finish its bookkeeping.
    await new Promise((r) => setTimeout(r, 500));
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * The extension's running service worker, reached over a CDP session of its own (not puppeteer's
 * WebWorker, whose session outlives the worker instance): evaluates the bench harness there and
 * calls into it. Detach when done: a debugger session left attached makes every later start of
 * the worker wait for it ("starting" forever), which would break the cold-start checks.
 */
export class WorkerHandle {
  private constructor(private readonly cdp: CDPSession) {}

  static async open(session: ExtensionSession, bundle: string): Promise<WorkerHandle> {
    const target = await session.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(session.extensionOrigin),
      { timeout: 20_000 },
    );
    const handle = new WorkerHandle(await target.createCDPSession());
    if (!(await handle.evaluate<boolean>(`'__genuineBench' in globalThis`))) await handle.evaluate(bundle);
    return handle;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const response = (await this.cdp.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (response.exceptionDetails) {
      throw new Error(
        `in the service worker: ${response.exceptionDetails.exception?.description ?? response.exceptionDetails.text}`,
      );
    }
    return response.result.value as T;
  }

  /** Calls `__genuineBench[method](arg)` in the worker (arg as JSON). */
  call<T>(method: string, arg?: unknown): Promise<T> {
    return this.evaluate<T>(
      `globalThis.__genuineBench.${method}(${arg === undefined ? '' : JSON.stringify(arg)})`,
    );
  }

  /** JS heap in use by the worker (CDP Runtime.getHeapUsage), bytes. */
  async heap(): Promise<number> {
    const usage = (await this.cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  }

  /** Starts the V8 sampling profiler in the worker (for `--profile`). */
  async startProfile(): Promise<void> {
    await this.cdp.send('Profiler.enable');
    await this.cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await this.cdp.send('Profiler.start');
  }

  /** Stops it and returns the profile (the .cpuprofile format DevTools opens). */
  async stopProfile(): Promise<ProfileLike> {
    const { profile } = (await this.cdp.send('Profiler.stop')) as { profile: ProfileLike };
    await this.cdp.send('Profiler.disable');
    return profile;
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}

/**
 * RSS of the extension's renderer process(es): Chromium children started with
 * --extension-process (they host the service worker and the extension's own pages). Linux only;
 * null elsewhere.
 */
export function extensionRendererRss(browserPid: number | undefined): number | null {
  if (browserPid === undefined || process.platform !== 'linux') return null;
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--extension-process') || !cmdline.includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      if (!descendsFrom(ppid, browserPid)) continue;
      const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
      if (Number.isFinite(rss)) {
        total += rss * 1024;
        found = true;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found ? total : null;
}

function descendsFrom(pid: number, ancestor: number): boolean {
  let p = pid;
  for (let depth = 0; depth < 8 && p > 1; depth++) {
    if (p === ancestor) return true;
    try {
      p = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1]);
    } catch {
      return false;
    }
  }
  return p === ancestor;
}

/**
 * Stops the extension's service worker (CDP ServiceWorker.stopAllWorkers from a blank page's
 * session) and waits until CDP reports it stopped. Extension pages are closed first: the popup
 * polls the background while it waits for a verdict, which would start the worker again at once.
 */
export class WorkerStopper {
  private constructor(
    private readonly cdp: CDPSession,
    private readonly origin: string,
    private readonly status: Map<string, string>,
  ) {}

  static async create(session: ExtensionSession): Promise<WorkerStopper> {
    for (const page of await session.browser.pages()) {
      if (page.url().startsWith(session.extensionOrigin)) await page.close().catch(() => undefined);
    }
    const blank = await session.browser.newPage();
    const cdp = await blank.createCDPSession();
    const status = new Map<string, string>();
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions) {
        if (v.scriptURL.startsWith(session.extensionOrigin)) status.set(v.versionId, v.runningStatus);
      }
    });
    await cdp.send('ServiceWorker.enable');
    return new WorkerStopper(cdp, session.extensionOrigin, status);
  }

  running(): boolean {
    return [...this.status.values()].some((s) => s !== 'stopped');
  }

  /**
   * Stops the worker and returns once it has STAYED stopped for `quietMs` (an event already on
   * its way, such as a closed tab, can start it again right after a stop: then it is stopped again).
   */
  async stop(options: { timeoutMs?: number; quietMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    const quietMs = options.quietMs ?? 300;
    let stoppedSince: number | null = null;
    let asked = Date.now();
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    for (;;) {
      const stopped = this.status.size > 0 && !this.running();
      if (stopped) {
        stoppedSince ??= Date.now();
        if (Date.now() - stoppedSince >= quietMs) return;
      } else if (stoppedSince !== null || Date.now() - asked > 2_000) {
        // Started again after stopping, or still not stopping: ask again.
        stoppedSince = null;
        asked = Date.now();
        await this.cdp.send('ServiceWorker.stopAllWorkers');
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the service worker of ${this.origin} did not stop (${JSON.stringify([...this.status.values()])})`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async dispose(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}
