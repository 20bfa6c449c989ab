import * as z from 'zod/mini';
import { Verdict } from './check/types';
import type { ContentMessage } from './messages';
import type { ExtractionDiagnostics, ProductSnapshot } from './sites/snapshot';

/**
 * Messaging between the extension's contexts, beside the shared schemas of lib/messages.ts:
 * who may send what (sender checks), what the background pushes to content scripts, and the
 * content script's send helper. Small on purpose: the content script imports it (no store, no
 * feed code; lib/messages.ts only as types), and its schemas are zod/mini (with lib/check/types.ts
 * and lib/sites/snapshot.ts), because classic zod would triple the size of the content script.
 *
 * Senders (the allow-list the background applies):
 * - ContentMessage: only from a content script of THIS extension, in a tab's top frame
 *   (sender.id is our runtime id, sender.tab is set, frameId 0). The tab is always taken from the
 *   sender, never from the message.
 * - PageMessage: only from the extension's own pages (popup, options): sender.id is our runtime
 *   id and sender.url has our extension origin. A popup opened as a tab (popup.html?tabId=) has a
 *   sender.tab too, so the URL decides, not the absence of a tab.
 * Web pages cannot message the extension at all (no externally_connectable, no
 * runtime.onMessageExternal listener); these checks also keep other extensions and subframes out.
 */

/** The part of runtime.MessageSender the checks read (Chrome and Firefox both fill these). */
export interface SenderLike {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number; url?: string };
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    // Extension origins: chrome-extension://<id>, moz-extension://<uuid>. URL.origin is "null"
    // for non-special schemes in some engines, so build it by hand.
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** A content script of this extension in the top frame of a tab; returns the tab id. */
export function contentSenderTab(sender: SenderLike, runtimeId: string): number | null {
  if (sender.id !== runtimeId) return null;
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) return null;
  if (sender.frameId !== undefined && sender.frameId !== 0) return null;
  const origin = originOf(sender.url ?? sender.tab?.url);
  if (origin === null || !/^https?:\/\//.test(origin)) return null;
  return tabId;
}

/** One of the extension's own pages. `extensionBaseUrl` is runtime.getURL(''). */
export function isExtensionPageSender(
  sender: SenderLike,
  runtimeId: string,
  extensionBaseUrl: string,
): boolean {
  if (sender.id !== runtimeId) return false;
  const own = originOf(extensionBaseUrl);
  return own !== null && originOf(sender.url) === own;
}

/** Background -> content script, with browser.tabs.sendMessage. */
export const BackgroundMessage = z.discriminatedUnion('type', [
  /** A new verdict for the page the tab shows (a list changed): redraw the badge. */
  z.object({
    type: z.literal('verdict'),
    url: z.string().check(z.maxLength(2048)),
    verdict: z.nullable(Verdict),
  }),
  /** Read the page again and send a fresh 'check' (the lists changed, the old snapshot is gone). */
  z.object({ type: z.literal('recheck') }),
]);
export type BackgroundMessage = z.infer<typeof BackgroundMessage>;

/** The background's answer to a 'check'. */
export const CheckResponse = z.object({ verdict: z.nullable(Verdict) });
export type CheckResponse = z.infer<typeof CheckResponse>;

/** The background refused or failed a request (lib/ui/responses.ts ErrorResponse). */
export const ErrorReply = z.object({
  ok: z.literal(false),
  code: z.string().check(z.maxLength(64)),
  message: z.string().check(z.maxLength(2000)),
});
export type ErrorReply = z.infer<typeof ErrorReply>;

export type Send = (message: unknown) => Promise<unknown>;

/**
 * Content script -> background: the page's snapshot; resolves with the verdict (null on a page
 * that is not a product page). Throws with the background's message when it refused.
 */
export async function sendCheck(
  send: Send,
  snapshot: ProductSnapshot | null,
  diagnostics: ExtractionDiagnostics | null,
): Promise<Verdict | null> {
  const message: ContentMessage = { type: 'check', snapshot, diagnostics };
  const reply = await send(message);
  const ok = CheckResponse.safeParse(reply);
  if (ok.success) return ok.data.verdict;
  const refused = ErrorReply.safeParse(reply);
  throw new Error(
    refused.success ? `${refused.data.code}: ${refused.data.message}` : 'no valid answer to check',
  );
}

/** Content script -> background: this tab no longer shows a product. */
export async function sendClear(send: Send): Promise<void> {
  const message: ContentMessage = { type: 'clear' };
  await send(message);
}
