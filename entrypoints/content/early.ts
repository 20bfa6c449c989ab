import { browser } from 'wxt/browser';
import { type ContentSettings, readContentSettings } from '@/lib/content-settings';

/**
 * The shopper's settings (marketplaces switched off, theme), asked for while the content script is
 * still being evaluated. Every content script entry imports this module first, so the storage round
 * trip (5-20 ms on a loading page) overlaps the evaluation of the rest of the script (Preact, the
 * badge, the site reader) instead of following it; run.ts takes the answer. Later changes come
 * through watchContentSettings as before.
 */
let pending: Promise<ContentSettings> | null = null;

function start(): Promise<ContentSettings> {
  try {
    return readContentSettings(browser.storage);
  } catch {
    // No extension API (WXT also evaluates entrypoints at build time to read their options).
    return readContentSettings({
      local: { get: async () => ({}) },
      onChanged: { addListener: () => undefined, removeListener: () => undefined },
    });
  }
}

/** The settings read started at evaluation (or a fresh read when that one was taken already). */
export function takeContentSettings(): Promise<ContentSettings> {
  const taken = pending ?? start();
  pending = null;
  return taken;
}

pending = start();
