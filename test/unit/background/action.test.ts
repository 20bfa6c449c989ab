import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTION_LOOK, actionTitle, pickActionApi, showOnAction } from '../../../lib/background/action';
import type { Verdict } from '../../../lib/check/types';
import { setCatalog } from '../../../lib/i18n';

const brand = {
  brandId: 'acme',
  name: 'ACME',
  website: null,
  contact: null,
  reportEndpoint: null,
  feedUrl: 'https://acme.com/f',
  feedVersion: 1,
  issuedAt: '2026-11-20T00:00:00Z',
  expiresAt: '2026-12-20T00:00:00Z',
  lastSync: null,
};

function verdict(level: Verdict['level'], withBrand = true): Verdict {
  return { level, brand: withBrand ? brand : null, reasons: [], checkedAt: '2026-11-25T00:00:00Z' };
}

afterEach(() => setCatalog(null));

describe('toolbar action', () => {
  it('every level has its own text, so colour is never the only signal', () => {
    const texts = Object.values(ACTION_LOOK).map((l) => l.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(ACTION_LOOK.unknown.text).toBe('');
    expect(ACTION_LOOK.danger.text).toBe('!');
  });

  it('the title names the brand and the verdict in the shopper language', () => {
    setCatalog({
      extName: { message: 'Genuine' },
      action_title: {
        message: '$APP$: $BRAND$ — $VERDICT$',
        placeholders: { app: { content: 'Genuine' }, brand: { content: '$1' }, verdict: { content: '$2' } },
      },
      action_title_no_brand: { message: 'Genuine: $1' },
      level_danger_title: { message: 'Not authorized by the brand' },
      level_unknown_title: { message: 'No list' },
    });
    expect(actionTitle(verdict('danger'))).toBe('Genuine: ACME — Not authorized by the brand');
    expect(actionTitle(verdict('unknown', false))).toBe('Genuine: No list');
    expect(actionTitle(null)).toBe('Genuine');
  });

  it('falls back to English words when a locale lacks the messages', () => {
    setCatalog({});
    expect(actionTitle(verdict('ok'))).toBe('Genuine: ACME — Authorized seller');
    expect(actionTitle(verdict('caution', false))).toBe('Genuine: Check before you buy');
  });

  it('prefers action (MV3) and falls back to browserAction (Firefox MV2)', () => {
    const a = { setBadgeText: vi.fn(), setBadgeBackgroundColor: vi.fn(), setTitle: vi.fn() };
    const b = { setBadgeText: vi.fn(), setBadgeBackgroundColor: vi.fn(), setTitle: vi.fn() };
    expect(pickActionApi({ action: a, browserAction: b })).toBe(a);
    expect(pickActionApi({ browserAction: b })).toBe(b);
    expect(pickActionApi({})).toBeNull();
  });

  it('never throws when the tab is gone', async () => {
    const gone = () => Promise.reject(new Error('No tab with id: 5'));
    const api = {
      setBadgeText: gone,
      setBadgeBackgroundColor: gone,
      setTitle: gone,
      setBadgeTextColor: gone,
    };
    await expect(showOnAction(api, 5, verdict('ok'))).resolves.toBeUndefined();
  });

  it('sets text, background, text colour and title for the tab only', async () => {
    const calls: string[] = [];
    const rec = (name: string) => async (d: { tabId?: number }) => {
      calls.push(`${name}:${d.tabId}`);
    };
    await showOnAction(
      {
        setBadgeText: rec('text'),
        setBadgeBackgroundColor: rec('bg'),
        setBadgeTextColor: rec('fg'),
        setTitle: rec('title'),
      },
      5,
      verdict('caution'),
    );
    expect(calls.sort()).toEqual(['bg:5', 'fg:5', 'text:5', 'title:5']);
  });
});
