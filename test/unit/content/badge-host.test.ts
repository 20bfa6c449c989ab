import { afterEach, describe, expect, it } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createBadgeHost } from '../../../entrypoints/content/badge-host';
import type { Verdict } from '../../../lib/check/types';
import { setCatalog } from '../../../lib/i18n';

function verdict(level: Verdict['level']): Verdict {
  return { level, brand: null, reasons: [], checkedAt: '2026-11-25T00:00:00Z' };
}

const place = { adapter: 'amazon', marketplace: 'amazon', pageBrand: '<img src=x onerror=alert(1)>' };

let ctx: ContentScriptContext | null = null;

function host() {
  ctx = new ContentScriptContext('content');
  return createBadgeHost(ctx, document);
}

afterEach(() => {
  setCatalog(null);
  ctx?.abort();
  ctx = null;
  document.body.innerHTML = '';
});

describe('the badge on the page', () => {
  it('is one <genuine-badge data-verdict> right after the price, its content in a shadow root', async () => {
    document.body.innerHTML =
      '<div id="ppd"><div id="corePrice_feature_div">$199</div><div id="next"></div></div>';
    setCatalog({ reason_no_feed: { message: 'No list for $1' } });
    const hostile = '<img src=x onerror=alert(1)>';
    const badge = host();
    await badge.show(
      {
        ...verdict('danger'),
        reasons: [
          {
            code: 'no-feed',
            level: 'unknown',
            messageKey: 'reason_no_feed',
            messageArgs: [hostile],
            evidence: {},
          },
        ],
      },
      place,
    );
    const all = document.querySelectorAll('genuine-badge');
    expect(all).toHaveLength(1);
    const el = all[0] as HTMLElement;
    expect(el.getAttribute('data-verdict')).toBe('danger');
    expect(el.previousElementSibling?.id).toBe('corePrice_feature_div');
    expect(el.shadowRoot).not.toBeNull();
    expect(el.shadowRoot?.querySelector('button')).not.toBeNull();
    // Page text is text, never markup.
    expect(el.shadowRoot?.textContent).toContain(`No list for ${hostile}`);
    expect(el.shadowRoot?.querySelector('img')).toBeNull();
    expect(badge.isShown()).toBe(true);
  });

  it('replaces the old badge instead of adding a second one', async () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    await badge.show(verdict('ok'), place);
    await badge.show(verdict('caution'), place);
    // A leftover from an older copy of the script goes too.
    document.body.append(document.createElement('genuine-badge'));
    await badge.show(verdict('danger'), place);
    const all = document.querySelectorAll('genuine-badge');
    expect(all).toHaveLength(1);
    expect(all[0]?.getAttribute('data-verdict')).toBe('danger');
  });

  it('redraws in place when the verdict changes', async () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    expect(badge.update(verdict('ok'))).toBe(false);
    await badge.show(verdict('ok'), place);
    const el = document.querySelector('genuine-badge');
    expect(badge.update(verdict('danger'))).toBe(true);
    expect(document.querySelector('genuine-badge')).toBe(el);
    expect(el?.getAttribute('data-verdict')).toBe('danger');
  });

  it('follows the shopper theme', async () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    badge.setTheme('dark');
    await badge.show(verdict('ok'), place);
    const inner = () => document.querySelector('genuine-badge')?.shadowRoot?.querySelector('[data-theme]');
    expect(inner()?.getAttribute('data-theme')).toBe('dark');
    badge.setTheme('light');
    expect(inner()?.getAttribute('data-theme')).toBe('light');
  });

  it('floats in a corner when the page has no known price element', async () => {
    document.body.innerHTML = '<main>nothing known</main>';
    const badge = host();
    await badge.show(null, place);
    const el = document.querySelector('genuine-badge');
    expect(el?.parentElement).toBe(document.body);
    expect(el?.getAttribute('data-verdict')).toBe('unknown');
    const inner = el?.shadowRoot?.querySelector('span[style]');
    expect(inner?.getAttribute('style')).toContain('position:fixed');
  });

  it('goes away on remove() and when the extension is updated', async () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    await badge.show(verdict('ok'), place);
    badge.remove();
    expect(document.querySelector('genuine-badge')).toBeNull();
    expect(badge.isShown()).toBe(false);
    await badge.show(verdict('ok'), place);
    ctx?.abort();
    expect(document.querySelector('genuine-badge')).toBeNull();
  });
});
