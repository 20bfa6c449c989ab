/**
 * `npm run demo`: Genuine in a real browser against a small local world, no internet needed.
 *
 * 1. Builds the extension with the DEMO directory URL and the DEMO directory key (demo/keys/,
 *    passed only through WXT_DIRECTORY_URL / WXT_DIRECTORY_KEYS: production builds never see them).
 * 2. Serves, over local HTTPS with a throwaway certificate, demo shop pages under real marketplace
 *    host names (demo/pages/), a demo directory and the feed of the made-up brand "ACME (demo)"
 *    signed with the demo keys, and a report receiver that prints what it gets.
 * 3. With a display ($DISPLAY): opens Chromium with the extension, one tab per demo page, and
 *    waits until you close it. Without one (or with --headless): visits each page, prints the
 *    verdict its badge shows beside the expected one, saves screenshots of the badge and the popup
 *    into demo/out/, and exits 0, or 1 when a badge never appeared or disagreed.
 *
 * Options: --headless, --browser=firefox, --no-build (reuse demo/out/build), --verbose.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { z } from 'zod';
import {
  ExtensionSession,
  POPUP_VIEWPORT,
  readBadge,
  waitForBadge,
  waitForPopupVerdict,
} from '../test/e2e/support/browsers';
import { buildExtension } from '../test/e2e/support/build';
import { feedUrl, publishDirectory, publishFeed, reportEndpoint, validity } from '../test/e2e/support/feeds';
import type { BrowserKind } from '../test/e2e/support/paths';
import { waitForFeed } from '../test/e2e/support/stage';
import { DIRECTORY_HOST, defaultPort, originOf, World } from '../test/e2e/support/world';
import { createReportReceiver } from '../test/support/report-receiver';
import { ACME_BRAND_ID, ACME_NAME, acmeFeed, DEMO_LISTINGS } from './scenario';

const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(DEMO_DIR, 'out');
const BUILD = path.join(OUT, 'build');

const DemoKey = z.object({ keyid: z.string(), publicKey: z.string(), privateKey: z.string() });
function demoKey(file: string): z.infer<typeof DemoKey> {
  return DemoKey.parse(JSON.parse(readFileSync(path.join(DEMO_DIR, 'keys', file), 'utf8')));
}

const args = new Set(process.argv.slice(2));
const verbose = args.has('--verbose');
const kind: BrowserKind = args.has('--browser=firefox') ? 'firefox' : 'chromium';
const headful = !args.has('--headless') && !!process.env.DISPLAY;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const directoryKey = demoKey('DEMO-ONLY-directory.json');
  const brandKey = demoKey('DEMO-ONLY-acme-demo-brand.json');
  const port = defaultPort();
  const directoryUrl = `${originOf(DIRECTORY_HOST, port)}/v1/directory.json`;

  const built = path.join(BUILD, kind === 'chromium' ? 'chrome-mv3' : 'firefox-mv2');
  const stamp = path.join(BUILD, 'directory-url.txt');
  const reuse =
    args.has('--no-build') &&
    existsSync(built) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === directoryUrl;
  if (!reuse) {
    log(`Building the extension against the DEMO directory ${directoryUrl} ...`);
    const result = await buildExtension({
      directoryUrl,
      directoryKeys: [directoryKey.publicKey],
      outDir: BUILD,
      browsers: [kind],
      verbose,
    });
    writeFileSync(stamp, directoryUrl);
    log(`Built in ${(result.ms / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), built)}`);
  }

  const world = await World.start({ port, savedPages: false, verbose });
  const receiver = createReportReceiver();
  world.route(reportEndpoint(world), (req, res) => {
    res.on('finish', () => {
      if (req.method === 'POST') {
        log(`[receiver] POST -> ${res.statusCode}; reports kept: ${receiver.reports.length}`);
        const last = receiver.reports.at(-1);
        if (last && res.statusCode < 300) log(`[receiver] ${JSON.stringify(last)}`);
      }
    });
    receiver.handler(req, res);
  });
  const acme = {
    brandId: ACME_BRAND_ID,
    name: ACME_NAME,
    key: { publicKey: brandKey.publicKey, privateKey: brandKey.privateKey },
    keyid: brandKey.keyid,
    feedUrl: feedUrl(world, ACME_BRAND_ID),
  };
  await publishFeed(
    world,
    acme,
    acmeFeed({ version: 1, ...validity('feed'), reportEndpoint: reportEndpoint(world) }),
  );
  await publishDirectory(
    world,
    { publicKey: directoryKey.publicKey, privateKey: directoryKey.privateKey },
    1,
    [acme],
    directoryKey.keyid,
  );
  log(`Local demo world on port ${port}: directory ${directoryUrl}, brand feed ${acme.feedUrl}`);

  const session = await ExtensionSession.launch({ kind, extensionDir: built, hosts: world.hosts, headful });
  const stop = async () => {
    await session.close();
    await world.close();
  };
  try {
    return headful ? await browse(session, world) : await tour(session, world);
  } finally {
    await stop();
  }
}

/** With a display: one tab per demo page; returns when the browser is closed. */
async function browse(session: ExtensionSession, world: World): Promise<number> {
  log('\nDemo pages (open in the browser that just started):');
  for (const listing of DEMO_LISTINGS) {
    const url = world.localUrl(listing.url);
    log(`  ${listing.expected.padEnd(8)} ${url}   ${listing.why}`);
    await session.open(url).catch((error: unknown) => log(`  could not open ${url}: ${String(error)}`));
  }
  log(
    `\nPopup as a page: ${session.extensionUrl('popup.html')}   Options: ${session.extensionUrl('options.html')}`,
  );
  log('Close the browser window (or press Ctrl-C) to stop.');
  await new Promise<void>((resolve) => {
    session.browser.once('disconnected', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  return 0;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Headless: visit each page, print a table, save screenshots. */
async function tour(session: ExtensionSession, world: World): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  // Let the first sync land before the first page is checked.
  await waitForFeed(session, ACME_BRAND_ID, 1, 30_000).catch((error: unknown) => {
    log(
      `! the demo brand feed was not synced after 30 s; continuing (badges may say "unknown"): ${String(error)}`,
    );
  });

  const rows: string[][] = [['page', 'expected', 'badge', 'popup', 'url']];
  let failures = 0;
  const product: Page = await session.newPage();
  const popup: Page = await session.newPage();
  await popup.setViewport(POPUP_VIEWPORT);
  for (const listing of DEMO_LISTINGS) {
    const url = world.localUrl(listing.url);
    let badge = 'NO BADGE';
    let popupVerdict = '-';
    try {
      await session.open(url, product);
      badge = (await withTimeout(waitForBadge(product, 20_000), 21_000)) ?? 'NO BADGE';
      const shadow = await readBadge(product);
      if (badge !== 'NO BADGE' && !shadow.hasShadowRoot) badge += ' (no shadow root)';
      await product.bringToFront();
      await product.screenshot({ path: path.join(OUT, `${listing.id}-page.png`) as `${string}.png` });
      const tabId = await session.tabIdOf(product);
      await session.openPopup(tabId, popup);
      popupVerdict = await waitForPopupVerdict(popup, listing.expected, 10_000).catch(() =>
        popup.evaluate(
          () => document.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? 'none',
        ),
      );
      await popup.bringToFront();
      await popup.screenshot({ path: path.join(OUT, `${listing.id}-popup.png`) as `${string}.png` });
    } catch (error) {
      badge = badge === 'NO BADGE' ? `NO BADGE (${String(error).split('\n')[0]})` : badge;
    }
    if (badge !== listing.expected || popupVerdict !== listing.expected) failures += 1;
    rows.push([listing.id, listing.expected, badge, popupVerdict, url]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  log('');
  for (const [n, row] of rows.entries()) {
    log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
    if (n === 0) log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  log(`\nScreenshots of each badge and popup: ${path.relative(process.cwd(), OUT)}/`);
  if (failures > 0) {
    log(`${failures} of ${DEMO_LISTINGS.length} demo pages did not show the expected badge.`);
    return 1;
  }
  log(`All ${DEMO_LISTINGS.length} demo pages show the expected badge.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
