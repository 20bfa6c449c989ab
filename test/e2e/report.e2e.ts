import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_LISTINGS } from '../../demo/scenario';
import { Report } from '../../lib/feed/schema';
import { ExtensionSession, waitForBadge, waitForPopupVerdict } from './support/browsers';
import { selectedBrowsers } from './support/paths';
import { Stage, waitForFeed } from './support/stage';
import { buttonByName, focused, tabTo } from './support/ui';

/**
 * What a person does with the keyboard and the Report button, in both browsers:
 * - Tab reaches the badge beside the price; Enter shows the reasons; Escape closes them and gives
 *   the focus back to the badge.
 * - In the popup, Tab reaches "Report" and Enter sends; a mouse click on "Report" sends too. Each
 *   lands exactly one report at the brand's endpoint that the feed-format Report schema accepts,
 *   about the right listing, and nothing else about the shopper (no cookies).
 */

const ctx = inject('e2e');
let stage: Stage;

beforeAll(async () => {
  stage = await Stage.start(ctx);
});
afterAll(async () => {
  await stage?.close();
});

function listing(id: string) {
  const l = DEMO_LISTINGS.find((x) => x.id === id);
  if (!l) throw new Error(`no demo listing ${id}`);
  return l;
}

/** Waits for exactly `n` reports, then a little longer to catch a duplicate. */
async function expectReports(n: number): Promise<Report[]> {
  await expect.poll(() => stage.receiver.reports.length, { timeout: 20_000 }).toBe(n);
  await new Promise((r) => setTimeout(r, 1500));
  expect(stage.receiver.reports).toHaveLength(n);
  return stage.receiver.reports;
}

describe.each(selectedBrowsers())('%s', (kind) => {
  let session: ExtensionSession;
  let product: Page;
  let popup: Page;

  beforeAll(async () => {
    session = await ExtensionSession.launch({
      kind,
      extensionDir: stage.extensionDir(kind),
      hosts: stage.world.hosts,
    });
    await waitForFeed(session, stage.acme.brandId, 1);
    product = await session.newPage();
    popup = await session.newPage();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('Tab reaches the badge, Enter shows the reasons, Escape closes them', async () => {
    await session.open(stage.world.localUrl(listing('amazon-danger-unauthorized').url), product);
    await product.bringToFront();
    expect(await waitForBadge(product)).toBe('danger');
    const presses = await tabTo(product, (f) => f.hosts.includes('genuine-badge') && f.tag === 'button');
    expect(presses).toBeGreaterThan(0);

    const panelShown = () =>
      product.evaluate(() => {
        const root = document.querySelector('genuine-badge')?.shadowRoot;
        const button = root?.querySelector('button[aria-expanded]');
        const panel = root?.getElementById(button?.getAttribute('aria-controls') ?? '');
        const visible =
          !!panel && panel.getBoundingClientRect().height > 0 && getComputedStyle(panel).display !== 'none';
        return {
          expanded: button?.getAttribute('aria-expanded') ?? null,
          visible,
          text: (panel?.textContent ?? '').replace(/\s+/g, ' '),
        };
      });
    await product.keyboard.press('Enter');
    await expect.poll(panelShown, { timeout: 5000 }).toMatchObject({ expanded: 'true', visible: true });
    expect((await panelShown()).text).toContain(
      "Discount Boots Outlet (demo) is not on ACME (demo)'s list of authorized sellers for amazon.com.",
    );

    // A person reads the reasons before closing them. (Pressing Escape within a frame or so of
    // Enter is missed today: the badge attaches its key listener in a useEffect, after paint.)
    await new Promise((r) => setTimeout(r, 300));
    await product.keyboard.press('Escape');
    await expect.poll(panelShown, { timeout: 5000 }).toMatchObject({ expanded: 'false', visible: false });
    const f = await focused(product);
    expect(f.hosts).toContain('genuine-badge');
    expect(f.tag).toBe('button');
  });

  it('a click on the popup\'s "Report" lands exactly one valid report', async () => {
    stage.receiver.reset();
    const l = listing('amazon-danger-unauthorized');
    await session.open(stage.world.localUrl(l.url), product);
    expect(await waitForBadge(product)).toBe('danger');
    const tabId = await session.tabIdOf(product);
    await session.openPopup(tabId, popup);
    expect(await waitForPopupVerdict(popup, 'danger')).toBe('danger');

    const button = await buttonByName(popup, 'Report');
    await button.click();
    await popup.waitForSelector('[data-result="sent"]', { timeout: 20_000 });

    const [report] = await expectReports(1);
    expect(Report.safeParse(report).success).toBe(true);
    expect(report?.brandId).toBe(stage.acme.brandId);
    expect(report?.feedVersion).toBe(1);
    expect(report?.verdict.level).toBe('danger');
    expect(report?.verdict.codes).toContain('seller-not-authorized');
    expect(report?.listing.url).toBe(l.url);
    expect(report?.listing.productId).toBe('B0DEMOACM2');
    expect(report?.listing.seller).toEqual({ id: 'A7DEMOUNAUTH01', name: 'Discount Boots Outlet (demo)' });
    expect(report?.client.browser).toBe(kind === 'chromium' ? 'chrome' : 'firefox');
    // credentials: "omit": nothing about the shopper rides along.
    const posts = stage.receiver.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.headers.cookie === undefined)).toBe(true);
  });

  it('"Report" in the popup is reachable and usable with the keyboard alone', async () => {
    stage.receiver.reset();
    const l = listing('amazon-danger-blocked');
    await session.open(stage.world.localUrl(l.url), product);
    expect(await waitForBadge(product)).toBe('danger');
    const tabId = await session.tabIdOf(product);
    await session.openPopup(tabId, popup);
    await popup.bringToFront();
    expect(await waitForPopupVerdict(popup, 'danger')).toBe('danger');

    await tabTo(popup, (f) => f.tag === 'button' && f.name === 'Report', 80);
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('[data-result="sent"]', { timeout: 20_000 });

    const [report] = await expectReports(1);
    expect(report?.listing.productId).toBe('B0DEMOACM4');
    expect(report?.verdict.codes).toContain('seller-blocked');
  });
});
