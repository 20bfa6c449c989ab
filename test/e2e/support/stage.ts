import { ACME_BRAND_ID, ACME_NAME, acmeFeed } from '../../../demo/scenario';
import type { Directory } from '../../../lib/feed';
import {
  createReportReceiver,
  type ReportReceiver,
  type ReportReceiverOptions,
} from '../../support/report-receiver';
import type { ExtensionSession } from './browsers';
import {
  type BrandPublisher,
  feedUrl,
  newBrandKey,
  publishDirectory,
  publishFeed,
  reportEndpoint,
  validity,
} from './feeds';
import type { E2EContext } from './global-setup';
import type { BrowserKind } from './paths';
import { World } from './world';

/**
 * One spec file's world: the local HTTPS server on this run's port, the directory signed with this
 * run's key listing the demo brand "ACME (demo)", its feed (version 1), and a report receiver.
 */
export class Stage {
  receiver: ReportReceiver;
  private directoryVersion = 0;
  private readonly brands: BrandPublisher[] = [];

  private constructor(
    readonly ctx: E2EContext,
    readonly world: World,
    readonly acme: BrandPublisher,
  ) {
    this.receiver = createReportReceiver();
    this.brands.push(acme);
    world.route(reportEndpoint(world), (req, res) => this.receiver.handler(req, res));
  }

  static async start(ctx: E2EContext, options: { extraHosts?: string[] } = {}): Promise<Stage> {
    const world = await World.start({ port: ctx.port, extraHosts: options.extraHosts ?? [] });
    try {
      const acme: BrandPublisher = {
        brandId: ACME_BRAND_ID,
        name: ACME_NAME,
        key: await newBrandKey(),
        keyid: 'acme-demo-e2e',
        feedUrl: feedUrl(world, ACME_BRAND_ID),
      };
      const stage = new Stage(ctx, world, acme);
      await stage.publishAcme(1);
      await stage.publishDirectory();
      return stage;
    } catch (error) {
      await world.close();
      throw error;
    }
  }

  /** Replaces the receiver (e.g. one that fails the first N posts). */
  useReceiver(options: ReportReceiverOptions): ReportReceiver {
    this.receiver = createReportReceiver(options);
    return this.receiver;
  }

  /** Signs and serves version `version` of the ACME (demo) feed. */
  async publishAcme(version: number, options: { authorizeOutlet?: boolean } = {}): Promise<void> {
    await publishFeed(
      this.world,
      this.acme,
      acmeFeed({ version, ...validity('feed'), reportEndpoint: reportEndpoint(this.world), ...options }),
    );
  }

  /** Adds a brand to the directory (its feed must be published by the caller). */
  async addBrand(brandId: string, name: string): Promise<BrandPublisher> {
    const brand: BrandPublisher = {
      brandId,
      name,
      key: await newBrandKey(),
      keyid: `${brandId}-e2e`,
      feedUrl: feedUrl(this.world, brandId),
    };
    this.brands.push(brand);
    return brand;
  }

  /** A brand with its own key and feed URL that the directory does NOT list (added by URL). */
  async addBrandOutsideDirectory(brandId: string, name: string): Promise<BrandPublisher> {
    return {
      brandId,
      name,
      key: await newBrandKey(),
      keyid: `${brandId}-e2e`,
      feedUrl: feedUrl(this.world, brandId),
    };
  }

  /** Signs and serves the next directory version, listing every brand added so far. */
  async publishDirectory(): Promise<void> {
    this.directoryVersion += 1;
    await publishDirectory(this.world, this.ctx.directoryKey, this.directoryVersion, this.brands);
  }

  directoryDocument(): Pick<Directory, 'version'> {
    return { version: this.directoryVersion };
  }

  extensionDir(kind: BrowserKind): string {
    const dir = kind === 'chromium' ? this.ctx.chromeDir : this.ctx.firefoxDir;
    if (!dir) throw new Error(`no ${kind} build in this run (E2E_BROWSERS?)`);
    return dir;
  }

  async close(): Promise<void> {
    await this.world.close();
  }
}

export interface FeedState {
  url: string;
  brandId: string;
  version: number | null;
  lastError: { code: string; message: string } | null;
}

/** Asks the background for its feeds (PageMessage "feeds"). */
export async function feeds(session: ExtensionSession): Promise<FeedState[]> {
  const answer = await session.sendMessage({ type: 'feeds' });
  if (!Array.isArray(answer)) throw new Error(`"feeds" answered ${JSON.stringify(answer)}`);
  return answer as unknown as FeedState[];
}

/** Waits until the extension holds a brand's feed at (at least) a version. */
export async function waitForFeed(
  session: ExtensionSession,
  brandId: string,
  version: number,
  timeout = 30_000,
): Promise<FeedState> {
  const deadline = Date.now() + timeout;
  let last: FeedState[] | string = 'no answer';
  for (;;) {
    try {
      last = await feeds(session);
      const hit = last.find((f) => f.brandId === brandId && (f.version ?? -1) >= version);
      if (hit) return hit;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`the extension never held ${brandId} v${version}; feeds: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
