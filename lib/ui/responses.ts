import { z } from 'zod';
import { TabState } from '../messages';
import { ReportRecord, SubmitResult } from '../report/types';
import type { FeedMeta } from '../store/types';

/**
 * What the background answers to each PageMessage (lib/messages.ts). The extension's own pages
 * parse every answer with these schemas: a worker restarted mid-update, or a bug, must show up as
 * a clear error, never as a half-drawn popup.
 *
 * Every request may instead be answered with an ErrorResponse (`{ ok: false, code, message }`),
 * for example when the message failed validation or the store is unavailable.
 *
 * | message        | answer                                                            |
 * | ---            | ---                                                               |
 * | tab-state      | TabState, or null when nothing is known about the tab yet         |
 * | report         | SubmitResult (lib/report/types.ts)                                |
 * | feeds          | FeedMeta[]                                                        |
 * | sync-now       | Ack (after the sync ran) or FeedMeta[]                            |
 * | add-feed       | AddFeedResult                                                     |
 * | remove-feed    | Ack                                                               |
 * | reports        | ReportRecord[]                                                    |
 * | delete-report  | Ack                                                               |
 */

export const ErrorResponse = z.object({
  ok: z.literal(false),
  code: z.string().max(64),
  message: z.string().max(2000),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const Ack = z.object({ ok: z.literal(true) });
export type Ack = z.infer<typeof Ack>;

export const TabStateResponse = TabState.nullable();
export type TabStateResponse = z.infer<typeof TabStateResponse>;

export const SubmitResponse = SubmitResult;

const SyncErrorSchema = z.object({ code: z.string(), message: z.string(), at: z.string() });

/** lib/store/types.ts FeedMeta as a schema; the annotation keeps the two in step. */
export const FeedMetaSchema: z.ZodType<FeedMeta> = z.object({
  url: z.string(),
  brandId: z.string(),
  source: z.enum(['directory', 'user']),
  keys: z.array(z.string()),
  version: z.number().nullable(),
  sha256: z.string().nullable(),
  etag: z.string().nullable(),
  issuedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  lastAttempt: z.string().nullable(),
  lastSuccess: z.string().nullable(),
  lastError: SyncErrorSchema.nullable(),
  nextSync: z.string().nullable(),
  failures: z.number(),
  generation: z.number().nullable(),
});

export const FeedsResponse = z.array(FeedMetaSchema);

export const SyncNowResponse = z.union([Ack, FeedsResponse]);

/**
 * Subscribing by URL (trust on first use). Known failure codes, each with its own sentence in
 * the locales (feed_error_<code with _>): "key-changed" (the feed is now signed by a key other
 * than the one trusted on first use: shown loudly), "invalid-url", "fetch-failed", "no-key",
 * "already-subscribed", and the verification codes of feed-format.md section 4. Other codes are
 * shown with their message.
 */
export const AddFeedResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), brandId: z.string(), fingerprint: z.string() }),
  ErrorResponse,
]);
export type AddFeedResult = z.infer<typeof AddFeedResult>;

export const ReportsResponse = z.array(ReportRecord);
