import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Report } from '../../lib/feed/schema';
import { createReportReceiver, type ReportReceiver } from '../support/report-receiver';
import { ExtensionSession, waitForBadge, waitForPopupVerdict } from './support/browsers';
import { type BrandPublisher, publishFeed, validity } from './support/feeds';
import { type BrowserKind, DEMO_PAGES, selectedBrowsers } from './support/paths';
import { Stage, waitForFeed } from './support/stage';
import { buttonByName } from './support/ui';
import { REPORTS_HOST } from './support/world';

/**
 * Nothing is lost (feed-format.md section 6, the durable report queue): a brand's receiver that
 * answers 503 twice and then accepts still ends with exactly one stored report, sent again with
 * the same reportId by the queue's own backoff (about 1 then 2 minutes). In Chromium the MV3
 * service worker is stopped right after the first failed attempt, while the report waits in the
 * queue: the alarm must wake it and the report must still arrive, once.
 *
 * The retries take about three minutes, so both browsers run at the same time, each reporting to
 * its own brand's endpoint (Chromium: ACME (demo); Firefox: Roadrunner (demo), a second made-up
 * brand whose page is the Jet Boots demo page with the brand name changed).
 */

const RETRY_WAIT_MS = 330_000;
const ctx = inject('e2e');
let stage: Stage;
let roadrunner: BrandPublisher;
let roadrunnerReceiver: ReportReceiver;

const ACME_URL = 'https://www.amazon.com/dp/B0DEMOACM2';
const ROADRUNNER_URL = 'https://www.amazon.com/dp/B0DEMORRN2';

beforeAll(async () => {
  stage = await Stage.start(ctx);
  stage.useReceiver({ failFirst: 2 });
  roadrunnerReceiver = createReportReceiver({ failFirst: 2 });
  const endpoint = stage.world.url(REPORTS_HOST, '/api/roadrunner-reports');
  stage.world.route(endpoint, (req, res) => roadrunnerReceiver.handler(req, res));
  roadrunner = await stage.addBrand('roadrunner-demo', 'Roadrunner (demo)');
  await publishFeed(stage.world, roadrunner, {
    brandId: roadrunner.brandId,
    version: 1,
    ...validity('feed'),
    brand: { name: 'Roadrunner (demo)', aliases: ['Roadrunner Demo'] },
    channels: [
      { marketplace: 'amazon', sites: ['amazon.com'], complete: true, sellers: [{ id: 'A1DEMORRNOFFL1' }] },
    ],
    report: { endpoint },
  });
  await stage.publishDirectory();
  const jetBoots = readFileSync(path.join(DEMO_PAGES, 'www.amazon.com/dp/B0DEMOACM2.html'), 'utf8');
  stage.world.page(
    stage.world.localUrl(ROADRUNNER_URL),
    jetBoots
      .replaceAll('ACME Demo', 'Roadrunner Demo')
      .replaceAll('ACME (demo)', 'Roadrunner (demo)')
      .replaceAll('B0DEMOACM2', 'B0DEMORRN2'),
  );
});
afterAll(async () => {
  await stage?.close();
});

describe.concurrent('reports survive a failing receiver', () => {
  for (const kind of selectedBrowsers()) {
    const plan: Record<BrowserKind, { url: string; receiver: () => ReportReceiver; brandId: () => string }> =
      {
        chromium: { url: ACME_URL, receiver: () => stage.receiver, brandId: () => stage.acme.brandId },
        firefox: {
          url: ROADRUNNER_URL,
          receiver: () => roadrunnerReceiver,
          brandId: () => roadrunner.brandId,
        },
      };
    const { url, receiver, brandId } = plan[kind];
    const title =
      kind === 'chromium'
        ? 'chromium: 503, service worker stopped, 503, 201 -> exactly one report'
        : 'firefox: 503, 503, 201 -> exactly one report';

    it(
      title,
      async () => {
        const session = await ExtensionSession.launch({
          kind,
          extensionDir: stage.extensionDir(kind),
          hosts: stage.world.hosts,
        });
        try {
          await waitForFeed(session, brandId(), 1);
          const product = await session.open(stage.world.localUrl(url));
          expect(await waitForBadge(product)).toBe('danger');
          const popup = await session.openPopup(await session.tabIdOf(product));
          expect(await waitForPopupVerdict(popup, 'danger')).toBe('danger');
          await (await buttonByName(popup, 'Report')).click();
          // The first attempt got a 503: the report waits in the queue.
          await popup.waitForSelector('[data-result="queued"]', { timeout: 20_000 });
          expect(receiver().attempts).toBe(1);
          expect(receiver().reports).toHaveLength(0);

          if (kind === 'chromium') {
            await popup.close();
            await session.stopServiceWorker();
            expect(session.serviceWorkerRunning()).toBe(false);
          }

          await expect
            .poll(() => receiver().reports.length, { timeout: RETRY_WAIT_MS, interval: 1000 })
            .toBe(1);
          await new Promise((r) => setTimeout(r, 3000));
          const r = receiver();
          expect(r.reports).toHaveLength(1);
          expect(r.attempts).toBe(3);
          expect(Report.safeParse(r.reports[0]).success).toBe(true);
          expect(r.reports[0]?.listing.url).toBe(url);
          expect(r.reports[0]?.brandId).toBe(brandId());
        } finally {
          await session.close();
        }
      },
      RETRY_WAIT_MS + 60_000,
    );
  }
});
