import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_LISTINGS } from '../../demo/scenario';
import { keyFingerprint } from '../../lib/feed';
import { ExtensionSession, screenshot, waitForBadge, waitForVerdict } from './support/browsers';
import { directoryUrl, publishFeed, validity } from './support/feeds';
import { selectedBrowsers } from './support/paths';
import { feeds, Stage, waitForFeed } from './support/stage';
import { buttonByName, typeIntoField, waitForText } from './support/ui';

/**
 * Lists arrive and change over the network, in both browsers:
 * - the extension syncs the directory and the brand feed from the local HTTPS server, with
 *   conditional requests (If-None-Match with the ETag it was served, set explicitly with
 *   `cache: "no-store"`, as feed-format.md section 4 says);
 * - when the brand publishes a new version (the "unauthorized" seller becomes a retailer),
 *   "Sync now" on the options page fetches it and the badge on the same page changes;
 * - "Feed URL" + "Add feed" subscribes to a feed outside the directory and shows its key's
 *   fingerprint, the one the brand's key really has;
 * - "Sync now" with nothing changed costs exactly one GET per list, with If-None-Match, answered
 *   304. If-None-Match is not a CORS-safelisted header, so the browser may send a CORS preflight
 *   (OPTIONS) before it, at most one per list; nothing is downloaded again.
 */

const ctx = inject('e2e');
let stage: Stage;
/** Feed versions only go up; each browser's story uses the next two. */
let version = 0;

beforeAll(async () => {
  stage = await Stage.start(ctx);
  version = 1;
});
afterAll(async () => {
  await stage?.close();
});

const outlet = DEMO_LISTINGS.find((l) => l.id === 'amazon-danger-unauthorized');

describe.each(selectedBrowsers())('%s', (kind) => {
  let session: ExtensionSession;
  let product: Page;
  let options: Page;

  beforeAll(async () => {
    // A fresh profile: start this browser's story from a new "outlet not authorized" version.
    version += 1;
    await stage.publishAcme(version);
    session = await ExtensionSession.launch({
      kind,
      extensionDir: stage.extensionDir(kind),
      hosts: stage.world.hosts,
    });
    await waitForFeed(session, stage.acme.brandId, version);
    product = await session.newPage();
    options = await session.newPage();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('a new feed version, fetched by "Sync now", changes the verdict on the page', async () => {
    if (!outlet) throw new Error('demo listing missing');
    await session.open(stage.world.localUrl(outlet.url), product);
    expect(await waitForBadge(product)).toBe('danger');

    version += 1;
    await stage.publishAcme(version, { authorizeOutlet: true });
    await session.openOptions(options);
    const sync = await buttonByName(options, 'Sync now');
    await sync.click();
    const synced = await waitForFeed(session, stage.acme.brandId, version, 30_000);
    expect(synced.version).toBe(version);
    expect(synced.lastError).toBeNull();

    // The page shows the new verdict (live, or once reloaded).
    await waitForVerdict(product, 'ok', 10_000).catch(async () => {
      await session.open(stage.world.localUrl(outlet.url), product);
      await waitForVerdict(product, 'ok', 20_000);
    });

    // Conditional requests: the directory was asked again with the ETag it had been served.
    const dir = stage.world.requestsFor(directoryUrl(stage.world));
    expect(dir.length).toBeGreaterThan(1);
    expect(dir.some((r) => r.ifNoneMatch !== null && r.status === 304)).toBe(true);
  });

  it('"Feed URL" + "Add feed" subscribes by URL and shows the key fingerprint', async () => {
    const brand = await stage.addBrandOutsideDirectory('wile-demo', 'Wile (demo)');
    await publishFeed(stage.world, brand, {
      brandId: brand.brandId,
      version: 1,
      ...validity('feed'),
      brand: { name: brand.name },
      channels: [{ marketplace: 'amazon', complete: false, sellers: [{ id: 'A1WILEE2ETEST1' }] }],
    });
    await session.openOptions(options);
    await typeIntoField(options, 'Feed URL', brand.feedUrl);
    await (await buttonByName(options, 'Add feed')).click();
    const expected = await keyFingerprint(brand.key.publicKey);
    await waitForText(options, expected, 20_000);

    const held = await feeds(session);
    expect(held.find((f) => f.url === brand.feedUrl)).toMatchObject({ brandId: brand.brandId, version: 1 });
    await screenshot(options, `${kind}-options`, kind === 'chromium' ? { docs: 'options' } : {});
  });

  it('an unchanged "Sync now" asks each list once, conditionally, and downloads nothing', async () => {
    const before = await feeds(session);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const lists = [directoryUrl(stage.world), ...before.map((f) => f.url)];
    const mark = stage.world.requests.length;
    // What the options page's "Sync now" sends; the answer comes once the sync ran.
    const after = await session.sendMessage({ type: 'sync-now' });
    expect(Array.isArray(after)).toBe(true);
    const seen = stage.world.requests.slice(mark);
    for (const url of lists) {
      const { hostname, pathname } = new URL(url);
      const asked = seen
        .filter((r) => r.host === hostname && r.target.split('?')[0] === pathname)
        .map((r) => ({ method: r.method, status: r.status, conditional: r.ifNoneMatch !== null }));
      expect(
        asked.filter((r) => r.method === 'GET'),
        url,
      ).toEqual([{ method: 'GET', status: 304, conditional: true }]);
      // The browser's CORS preflight for the If-None-Match header, when it holds none cached.
      expect(asked.filter((r) => r.method === 'OPTIONS').length, url).toBeLessThanOrEqual(1);
      expect(
        asked.filter((r) => r.method !== 'GET' && r.method !== 'OPTIONS'),
        url,
      ).toEqual([]);
    }
    // Nothing changed: the same versions, no errors.
    const held = await feeds(session);
    for (const f of before) {
      expect(held.find((h) => h.url === f.url)).toMatchObject({ version: f.version, lastError: null });
    }
  });
});
