import { browser } from 'wxt/browser';
import type { z } from 'zod';
import type { ReportReason } from '../feed/schema';
import type { TabState } from '../messages';
import { PageMessage } from '../messages';
import type { ReportRecord, SubmitResult } from '../report/types';
import type { FeedMeta } from '../store/types';
import {
  Ack,
  AddFeedResult,
  ErrorResponse,
  FeedsResponse,
  ReportsResponse,
  SubmitResponse,
  SyncNowResponse,
  TabStateResponse,
} from './responses';

/** A request that did not get a valid answer: the background was unreachable, refused, or answered nonsense. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Everything the popup and the options page ask the background. Components take it as a prop. */
export interface PageApi {
  tabState(tabId: number): Promise<TabState | null>;
  report(tabId: number, reason: ReportReason, comment?: string): Promise<SubmitResult>;
  feeds(): Promise<FeedMeta[]>;
  syncNow(): Promise<void>;
  addFeed(url: string): Promise<AddFeedResult>;
  removeFeed(url: string): Promise<void>;
  reports(): Promise<ReportRecord[]>;
  deleteReport(reportId: string): Promise<void>;
}

type Send = (message: unknown) => Promise<unknown>;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sends one PageMessage and parses the answer with `schema`; throws RequestError otherwise. */
export async function ask<T>(send: Send, message: PageMessage, schema: z.ZodType<T>): Promise<T> {
  const checked = PageMessage.safeParse(message);
  if (!checked.success) throw new RequestError('invalid-request', checked.error.message);
  let raw: unknown;
  try {
    raw = await send(checked.data);
  } catch (error) {
    throw new RequestError('unreachable', errorText(error));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const refused = ErrorResponse.safeParse(raw);
  if (refused.success) throw new RequestError(refused.data.code, refused.data.message);
  throw new RequestError('bad-response', `unexpected answer to "${message.type}"`);
}

/** The PageApi over browser.runtime.sendMessage (or any `send`, for tests). */
export function createPageApi(send: Send = (message) => browser.runtime.sendMessage(message)): PageApi {
  return {
    tabState: (tabId) => ask(send, { type: 'tab-state', tabId }, TabStateResponse),
    report: (tabId, reason, comment) =>
      ask(
        send,
        comment ? { type: 'report', tabId, reason, comment } : { type: 'report', tabId, reason },
        SubmitResponse,
      ),
    feeds: () => ask(send, { type: 'feeds' }, FeedsResponse),
    syncNow: async () => {
      await ask(send, { type: 'sync-now' }, SyncNowResponse);
    },
    addFeed: (url) => ask(send, { type: 'add-feed', url }, AddFeedResult),
    removeFeed: async (url) => {
      await ask(send, { type: 'remove-feed', url }, Ack);
    },
    reports: () => ask(send, { type: 'reports' }, ReportsResponse),
    deleteReport: async (reportId) => {
      await ask(send, { type: 'delete-report', reportId }, Ack);
    },
  };
}
