import type { Level, Verdict } from '../check/types';
import { t } from '../i18n';
import { verdictTitle } from '../ui/verdict';

/**
 * The toolbar button, per tab: a short badge text AND a colour (never colour alone) and a title
 * that says the brand and the verdict in words ("Genuine: ACME — Not authorized by the brand").
 * Chrome MV3 has browser.action, Firefox MV2 browser.browserAction; both take the same calls.
 */

/** The calls used here; webextension-polyfill's Action.Static and BrowserAction.Static both fit. */
export interface ActionApi {
  setBadgeText(details: { tabId?: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId?: number; color: string }): Promise<void>;
  setBadgeTextColor?(details: { tabId?: number; color: string }): Promise<void>;
  setTitle(details: { tabId?: number; title: string }): Promise<void>;
}

/** browser.action (MV3) or browser.browserAction (MV2), whichever this browser has. */
export function pickActionApi(b: {
  action?: ActionApi | undefined;
  browserAction?: ActionApi | undefined;
}): ActionApi | null {
  return b.action ?? b.browserAction ?? null;
}

export interface ActionLook {
  text: string;
  background: string;
  foreground: string;
}

/** Badge text and colours per level; the text alone tells the levels apart. */
export const ACTION_LOOK: Record<Level, ActionLook> = {
  danger: { text: '!', background: '#B3261E', foreground: '#FFFFFF' },
  caution: { text: '?', background: '#F2B600', foreground: '#000000' },
  ok: { text: '✓', background: '#1E7B34', foreground: '#FFFFFF' },
  unknown: { text: '', background: '#5F6368', foreground: '#FFFFFF' },
};

/** English words used when a locale lacks a message (never shown in a complete build). */
const FALLBACK_TITLE: Record<Level, string> = {
  ok: 'Authorized seller',
  caution: 'Check before you buy',
  danger: 'Not an authorized seller',
  unknown: 'No verdict',
};

function message(key: string, args: string[], fallback: string): string {
  const m = t(key, ...args);
  return m === key || m === '' ? fallback : m;
}

/** "Genuine: <brand> — <verdict>", localized; just "Genuine" when the tab has no verdict. */
export function actionTitle(verdict: Verdict | null): string {
  const name = message('extName', [], 'Genuine');
  if (verdict === null) return name;
  const raw = verdictTitle(verdict);
  const words = /^[a-z0-9_]+$/.test(raw) ? FALLBACK_TITLE[verdict.level] : raw;
  const brand = verdict.brand?.name ?? null;
  return brand
    ? message('action_title', [brand, words], `${name}: ${brand} — ${words}`)
    : message('action_title_no_brand', [words], `${name}: ${words}`);
}

/** Shows a verdict (or nothing, with null) on one tab's toolbar button. Never throws. */
export async function showOnAction(
  api: ActionApi | null,
  tabId: number,
  verdict: Verdict | null,
): Promise<void> {
  if (api === null) return;
  const look = ACTION_LOOK[verdict?.level ?? 'unknown'];
  const calls: Promise<void>[] = [
    api.setBadgeText({ tabId, text: look.text }),
    api.setBadgeBackgroundColor({ tabId, color: look.background }),
    api.setTitle({ tabId, title: actionTitle(verdict) }),
  ];
  if (typeof api.setBadgeTextColor === 'function')
    calls.push(api.setBadgeTextColor({ tabId, color: look.foreground }));
  // A tab closed meanwhile rejects: nothing to show any more.
  await Promise.allSettled(calls);
}
