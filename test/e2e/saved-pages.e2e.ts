import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adapterFor } from '../../lib/sites';
import { ExtensionSession, readBadge, screenshot, waitForBadge } from './support/browsers';
import { publishFeed, validity } from './support/feeds';
import { SAVED_PAGES_MISSING, type SavedPage, savedPages } from './support/pages';
import { selectedBrowsers } from './support/paths';
import { Stage, waitForFeed } from './support/stage';

/**
 * Real saved product pages (../shared/pages, never copied into the repo), served under their real
 * host names and paths with their own scripts left in: every other host they reach for fails to
 * resolve. For each marketplace with a saved page that one of our adapters claims, the content
 * script must add exactly one badge. One real Amazon page also gets a brand feed made for this
 * test that lists its seller, and must then say "ok".
 */

const pages = savedPages();
const LEVELS = ['ok', 'caution', 'danger', 'unknown'];

/** One page per marketplace: the first listed whose URL an adapter claims, preferring one with a price. */
function perMarketplace(all: SavedPage[]): SavedPage[] {
  const out = new Map<string, SavedPage>();
  const claimed = all.filter((p) => adapterFor(p.url) !== null);
  for (const p of [...claimed.filter((x) => x.price !== null), ...claimed]) {
    if (!out.has(p.marketplace)) out.set(p.marketplace, p);
  }
  return [...out.values()];
}

const chosen = pages ? perMarketplace(pages) : [];
/** A real Amazon page with a third-party seller id and a brand, for the "ok" check. */
const withSeller = pages?.find(
  (p) => p.marketplace === 'amazon' && p.site === 'amazon.com' && p.sellerId && p.brand && p.price !== null,
);

const ctx = inject('e2e');
let stage: Stage;

describe.skipIf(pages === null)('real saved pages', () => {
  beforeAll(async () => {
    stage = await Stage.start(ctx);
    if (withSeller?.brand && withSeller.sellerId) {
      const brand = await stage.addBrand('saved-page-brand', withSeller.brand);
      await publishFeed(stage.world, brand, {
        brandId: brand.brandId,
        version: 1,
        ...validity('feed'),
        brand: { name: withSeller.brand },
        channels: [
          {
            marketplace: 'amazon',
            sites: ['amazon.com'],
            complete: true,
            sellers: [{ id: withSeller.sellerId, name: withSeller.sellerName ?? undefined }],
          },
        ],
      });
      await stage.publishDirectory();
    }
  });
  afterAll(async () => {
    await stage?.close();
  });

  describe.each(selectedBrowsers())('%s', (kind) => {
    let session: ExtensionSession;
    let page: Page;

    beforeAll(async () => {
      session = await ExtensionSession.launch({
        kind,
        extensionDir: stage.extensionDir(kind),
        hosts: stage.world.hosts,
      });
      await waitForFeed(session, stage.acme.brandId, 1);
      if (withSeller) await waitForFeed(session, 'saved-page-brand', 1);
      page = await session.newPage();
    });
    afterAll(async () => {
      await session?.close();
    });

    it.each(chosen.map((p) => [p.marketplace, p] as const))(
      '%s: a badge on a real saved page',
      async (_m, saved) => {
        await session.open(stage.world.localUrl(saved.url), page);
        const verdict = await waitForBadge(page, 30_000);
        expect(LEVELS).toContain(verdict);
        const badge = await readBadge(page);
        expect(badge.count).toBe(1);
        expect(badge.hasShadowRoot).toBe(true);
        await screenshot(page, `${kind}-saved-${saved.marketplace}`);
      },
    );

    it.skipIf(!withSeller)('a real Amazon page whose seller the brand lists says "ok"', async () => {
      if (!withSeller) return;
      await session.open(stage.world.localUrl(withSeller.url), page);
      expect(await waitForBadge(page, 30_000)).toBe('ok');
    });
  });
});

if (pages === null) {
  describe('real saved pages', () => {
    it.skip(SAVED_PAGES_MISSING, () => undefined);
  });
}
