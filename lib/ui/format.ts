import { t, uiLang } from '../i18n';

/**
 * Small pure formatters for what the popup, the badge and the options page show. Language comes
 * from the messages in use (uiLang), so numbers and dates match the words around them.
 */

/** "$39.99", "US$39.99" or "39,99 €" as the language writes it; the bare number when the currency is unknown. */
export function formatPrice(amount: number, currency: string, lang: string = uiLang()): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "in 20 days", "just now"; an empty string for an unreadable date. */
export function formatRelative(when: string | Date, now: Date, lang: string = uiLang()): string {
  const time = typeof when === 'string' ? Date.parse(when) : when.getTime();
  if (!Number.isFinite(time)) return '';
  const diff = time - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 60_000) return t('time_just_now');
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 60_000), 'minute');
}

/** A date and time in the language's usual short form; an empty string for an unreadable date. */
export function formatDateTime(when: string, lang: string = uiLang()): string {
  const time = Date.parse(when);
  if (!Number.isFinite(time)) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

export function formatDate(when: string, lang: string = uiLang()): string {
  const time = Date.parse(when);
  if (!Number.isFinite(time)) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(time);
}

/** The host of a URL ("acme.com"), or null when it is not an http(s) URL. */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.host : null;
  } catch {
    return null;
  }
}

/** An http(s) URL safe to put in an href, or null (never javascript:, data:, ...). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The listing URL as a report carries it: no query string, no fragment (feed-format.md section 6). */
export function listingUrlForReport(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** Shortens long page text (titles, seller names) for compact places; whole words where possible. */
export function ellipsize(text: string, max: number): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join('');
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}
