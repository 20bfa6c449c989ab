import { z } from 'zod';
import { Verdict } from './check/types';
import { ReportReason } from './feed/schema';
import { ExtractionDiagnostics, ProductSnapshot } from './sites/snapshot';

/**
 * The one typed contract between the extension's contexts. Every message is parsed with these
 * schemas on arrival (a content script runs beside hostile pages), and lib/messages/sender.ts
 * decides which contexts may send which message.
 */

/** Sent by the content script. The tab is taken from the sender, never from the message. */
export const ContentMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('check'),
    snapshot: z.nullable(ProductSnapshot),
    diagnostics: z.nullable(ExtractionDiagnostics),
  }),
  /** The page navigated away from a product (single-page shops). */
  z.object({ type: z.literal('clear') }),
]);
export type ContentMessage = z.infer<typeof ContentMessage>;

const FeedUrl = z.string().url().max(2048);

/** Sent by the extension's own pages (popup, options). */
export const PageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tab-state'), tabId: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('report'),
    tabId: z.number().int().nonnegative(),
    reason: ReportReason,
    comment: z.string().max(500).optional(),
  }),
  z.object({ type: z.literal('feeds') }),
  z.object({ type: z.literal('sync-now') }),
  z.object({ type: z.literal('add-feed'), url: FeedUrl }),
  z.object({ type: z.literal('remove-feed'), url: FeedUrl }),
  z.object({ type: z.literal('reports') }),
  z.object({ type: z.literal('delete-report'), reportId: z.string().max(64) }),
]);
export type PageMessage = z.infer<typeof PageMessage>;

export const Message = z.union([ContentMessage, PageMessage]);
export type Message = z.infer<typeof Message>;

/**
 * What the background knows about a tab, kept in storage.session so that a restarted worker and
 * the popup see the same thing. `supported` is false on pages no adapter claims.
 */
export const TabState = z.object({
  tabId: z.number().int(),
  url: z.string().nullable(),
  supported: z.boolean(),
  snapshot: z.nullable(ProductSnapshot),
  diagnostics: z.nullable(ExtractionDiagnostics),
  verdict: z.nullable(Verdict),
  updatedAt: z.string(),
});
export type TabState = z.infer<typeof TabState>;
