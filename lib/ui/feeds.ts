import { hasMessage, t } from '../i18n';

/**
 * Sentences for feed errors (sync errors and add-feed failures). Codes are the verification codes
 * of feed-format.md section 4 plus the subscription ones listed in lib/ui/responses.ts; each known
 * code has `feed_error_<code with _>` in the locales, unknown codes show their message.
 */
export const KNOWN_FEED_ERRORS = [
  'too-large',
  'malformed',
  'wrong-type',
  'bad-signature',
  'schema',
  'not-yet-valid',
  'expired',
  'rollback',
  'key-changed',
  'invalid-url',
  'fetch-failed',
  'no-key',
  'already-subscribed',
  'http',
  'timeout',
  'network',
] as const;

export function feedErrorKey(code: string): string {
  return `feed_error_${code.replaceAll('-', '_')}`;
}

export function feedErrorText(code: string, message: string): string {
  // "http-503" and the like share one sentence.
  const base = /^http-\d{3}$/.test(code) ? 'http' : code;
  const key = feedErrorKey(base);
  if ((KNOWN_FEED_ERRORS as readonly string[]).includes(base) && hasMessage(key)) return t(key);
  return message;
}

/** Errors that must be shown loudly: the list's signing key is not the one trusted before. */
export function isLoudFeedError(code: string): boolean {
  return code === 'key-changed';
}
