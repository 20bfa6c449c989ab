import { afterEach, describe, expect, it, vi } from 'vitest';
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
  it('is one <genuine-badge data-verdict> right after the price, its content in a shadow root', () => {
    document.body.innerHTML =
      '<div id="ppd"><div id="corePrice_feature_div">$199</div><div id="next"></div></div>';
    setCatalog({ reason_no_feed: { message: 'No list for $1' } });
    const hostile = '<img src=x onerror=alert(1)>';
    const badge = host();
    badge.show(
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

  it('replaces the old badge instead of adding a second one', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    badge.show(verdict('ok'), place);
    badge.show(verdict('caution'), place);
    // A leftover from an older copy of the script goes too.
    document.body.append(document.createElement('genuine-badge'));
    badge.show(verdict('danger'), place);
    const all = document.querySelectorAll('genuine-badge');
    expect(all).toHaveLength(1);
    expect(all[0]?.getAttribute('data-verdict')).toBe('danger');
  });

  it('redraws in place when the verdict changes', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    expect(badge.update(verdict('ok'))).toBe(false);
    badge.show(verdict('ok'), place);
    const el = document.querySelector('genuine-badge');
    expect(badge.update(verdict('danger'))).toBe(true);
    expect(document.querySelector('genuine-badge')).toBe(el);
    expect(el?.getAttribute('data-verdict')).toBe('danger');
  });

  it('follows the shopper theme', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    badge.setTheme('dark');
    badge.show(verdict('ok'), place);
    const inner = () => document.querySelector('genuine-badge')?.shadowRoot?.querySelector('[data-theme]');
    expect(inner()?.getAttribute('data-theme')).toBe('dark');
    badge.setTheme('light');
    expect(inner()?.getAttribute('data-theme')).toBe('light');
  });

  it('floats in a corner when the page has no known price element', () => {
    document.body.innerHTML = '<main>nothing known</main>';
    const badge = host();
    badge.show(null, place);
    const el = document.querySelector('genuine-badge');
    expect(el?.parentElement).toBe(document.body);
    expect(el?.getAttribute('data-verdict')).toBe('unknown');
    const inner = el?.shadowRoot?.querySelector('span[style]');
    expect(inner?.getAttribute('style')).toContain('position:fixed');
  });

  it('goes away on remove() and when the extension is updated', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    badge.show(verdict('ok'), place);
    badge.remove();
    expect(document.querySelector('genuine-badge')).toBeNull();
    expect(badge.isShown()).toBe(false);
    badge.show(verdict('ok'), place);
    ctx?.abort();
    expect(document.querySelector('genuine-badge')).toBeNull();
  });

  it('goes up as "checking" and is filled in place when the verdict comes', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    setCatalog({
      badge_label: { message: 'Genuine: $1' },
      popup_checking: { message: 'Checking this listing…' },
      level_danger_title: { message: 'Not authorized by the brand' },
      badge_danger: { message: 'Not authorized' },
    });
    const badge = host();
    badge.checking(place);
    const el = document.querySelector('genuine-badge');
    expect(el?.getAttribute('data-state')).toBe('checking');
    expect(el?.getAttribute('data-verdict')).toBe('unknown');
    const button = () => el?.shadowRoot?.querySelector('button');
    expect(button()?.getAttribute('aria-label')).toBe('Genuine: Checking this listing…');
    expect(button()?.getAttribute('aria-busy')).toBe('true');
    expect(el?.previousElementSibling?.id).toBe('corePrice_feature_div');

    badge.show(verdict('danger'), place);
    expect(document.querySelectorAll('genuine-badge')).toHaveLength(1);
    expect(document.querySelector('genuine-badge')).toBe(el);
    expect(el?.getAttribute('data-state')).toBe('done');
    expect(el?.getAttribute('data-verdict')).toBe('danger');
    expect(button()?.getAttribute('aria-label')).toBe('Genuine: Not authorized by the brand');
    expect(button()?.getAttribute('aria-busy')).toBe('false');
    expect(button()?.textContent).toContain('Not authorized');
  });

  it('keeps the last verdict while checking again, and says "done" for an unknown verdict too', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const badge = host();
    badge.show(verdict('ok'), place);
    badge.checking(place);
    const el = document.querySelector('genuine-badge');
    expect(el?.getAttribute('data-state')).toBe('checking');
    expect(el?.getAttribute('data-verdict')).toBe('ok');
    badge.show(verdict('unknown'), place);
    expect(el?.getAttribute('data-state')).toBe('done');
    expect(el?.getAttribute('data-verdict')).toBe('unknown');
    badge.update(verdict('caution'));
    expect(el?.getAttribute('data-state')).toBe('done');
    expect(el?.getAttribute('data-verdict')).toBe('caution');
  });

  it('moves the one badge beside the price when a later read finds the price', () => {
    document.body.innerHTML = '<main id="main"></main>';
    const badge = host();
    badge.checking(place);
    expect(document.querySelector('genuine-badge')?.parentElement).toBe(document.body);
    document
      .getElementById('main')
      ?.insertAdjacentHTML('beforeend', '<div id="corePrice_feature_div">$199</div>');
    // The next read of the page (a new place) finds the price.
    badge.show(verdict('caution'), { ...place });
    const all = document.querySelectorAll('genuine-badge');
    expect(all).toHaveLength(1);
    expect(all[0]?.previousElementSibling?.id).toBe('corePrice_feature_div');
    expect(all[0]?.getAttribute('data-state')).toBe('done');
    expect(all[0]?.shadowRoot?.querySelector('span[style]')).toBeNull();
  });

  it('comes back when the page removed it, still one', () => {
    document.body.innerHTML = '<div id="box"><div id="corePrice_feature_div">$199</div></div>';
    const badge = host();
    badge.show(verdict('ok'), place);
    document.querySelector('genuine-badge')?.remove();
    expect(badge.isShown()).toBe(false);
    expect(badge.update(verdict('danger'))).toBe(false);
    badge.show(verdict('danger'), place);
    expect(document.querySelectorAll('genuine-badge')).toHaveLength(1);
    expect(document.querySelector('genuine-badge')?.getAttribute('data-verdict')).toBe('danger');
  });

  it('carries its stylesheet inside its shadow root, without fetching anything', () => {
    document.body.innerHTML = '<div id="corePrice_feature_div">$199</div>';
    const fetch = vi.spyOn(globalThis, 'fetch');
    ctx = new ContentScriptContext('content');
    const badge = createBadgeHost(ctx, document, { css: '.g-chip{outline:1px solid red}' });
    badge.checking(place);
    const style = document.querySelector('genuine-badge')?.shadowRoot?.querySelector('style');
    expect(style?.textContent).toBe('.g-chip{outline:1px solid red}');
    expect(document.head.querySelector('style')).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });
});
