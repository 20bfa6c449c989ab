import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_LISTINGS } from '../../demo/scenario';
import {
  ExtensionSession,
  POPUP_VIEWPORT,
  readBadge,
  screenshot,
  waitForBadge,
  waitForPopupVerdict,
} from './support/browsers';
import { requireFirefoxZhLangpack, selectedBrowsers } from './support/paths';
import { Stage, waitForFeed } from './support/stage';
import { waitForText } from './support/ui';

/**
 * A browser set to Simplified Chinese shows Genuine in Chinese: the badge word and the popup's
 * reason sentence come from public/_locales/zh_CN (written out here as the oracle). Chromium runs
 * with --lang=zh-CN and LANGUAGE=zh_CN; Firefox with intl.locale.requested=zh-CN, which needs the
 * zh-CN language pack (firefox-esr-l10n-zh-cn).
 */

const ctx = inject('e2e');
let stage: Stage;

beforeAll(async () => {
  stage = await Stage.start(ctx);
});
afterAll(async () => {
  await stage?.close();
});

const outlet = DEMO_LISTINGS.find((l) => l.id === 'amazon-danger-unauthorized');

describe.each(selectedBrowsers())('%s', (kind) => {
  let session: ExtensionSession;

  beforeAll(async () => {
    if (kind === 'firefox') requireFirefoxZhLangpack();
    session = await ExtensionSession.launch({
      kind,
      extensionDir: stage.extensionDir(kind),
      hosts: stage.world.hosts,
      locale: 'zh-CN',
    });
    await waitForFeed(session, stage.acme.brandId, 1);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('badge and popup render in zh_CN', async () => {
    if (!outlet) throw new Error('demo listing missing');
    const product = await session.open(stage.world.localUrl(outlet.url));
    expect(await waitForBadge(product)).toBe('danger');
    await expect.poll(async () => (await readBadge(product)).text, { timeout: 5000 }).toContain('未获授权');

    const tabId = await session.tabIdOf(product);
    await screenshot(product, `${kind}-zh-CN-page`, { clip: { x: 0, y: 0, width: 1280, height: 400 } });
    const popup = await session.newPage();
    await popup.setViewport(POPUP_VIEWPORT);
    await session.openPopup(tabId, popup);
    expect(await waitForPopupVerdict(popup, 'danger')).toBe('danger');
    const text = await waitForText(
      popup,
      'Discount Boots Outlet (demo) 不在 ACME (demo) 为 amazon.com 公布的授权卖家名单上。',
    );
    expect(text).toContain('原因');
    expect(text).not.toContain('Why');
    await screenshot(popup, `${kind}-zh-CN-popup`, kind === 'chromium' ? { docs: 'popup-zh-CN' } : {});
  });
});
