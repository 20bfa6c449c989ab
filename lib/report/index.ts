export {
  type BuildReportInput,
  buildReport,
  type ClientInfo,
  COMMENT_MAX,
  defaultReason,
  formatAmount,
  listingKey,
  minorUnits,
  ReportBuildError,
  stripListingUrl,
} from './build';
export {
  createReportService,
  DEFAULT_LIMITS,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type ProcessSummary,
  REPORTS_DB,
  type ReportFetch,
  type ReportLimits,
  type ReportService,
  type ReportServiceOptions,
  type RetryPolicy,
  type SubmitInput,
} from './queue';
export { ReportRecord, ReportStatus, SubmitResult } from './types';
