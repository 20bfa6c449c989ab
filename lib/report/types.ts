import { z } from 'zod';
import { Report } from '../feed/schema';

/**
 * A report in the durable queue (IndexedDB) and in the history the options page shows.
 * status: queued (written, not yet tried) -> sending -> sent | retrying -> ... | failed.
 * "failed" is final: a 4xx that says the receiver will never accept it, or no endpoint.
 */
export const ReportStatus = z.enum(['queued', 'retrying', 'sent', 'failed']);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const ReportRecord = z.object({
  reportId: z.string(),
  payload: Report,
  endpoint: z.string().nullable(),
  /** Where the listing is, for the per-listing daily limit: marketplace + site + productId or url. */
  listingKey: z.string(),
  status: ReportStatus,
  attempts: z.number().int().nonnegative(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  /** Last HTTP status or error code ("timeout", "network", "http-503"). */
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type ReportRecord = z.infer<typeof ReportRecord>;

/** What the popup learns after pressing Report. */
export const SubmitResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent'), reportId: z.string(), endpoint: z.string() }),
  z.object({ status: z.literal('queued'), reportId: z.string(), endpoint: z.string() }),
  z.object({
    status: z.literal('no-endpoint'),
    contact: z.string().nullable(),
    website: z.string().nullable(),
  }),
  z.object({ status: z.literal('limited'), limit: z.enum(['listing-daily', 'daily-cap']) }),
  z.object({ status: z.literal('not-reportable'), message: z.string() }),
]);
export type SubmitResult = z.infer<typeof SubmitResult>;
