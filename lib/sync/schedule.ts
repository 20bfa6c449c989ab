/**
 * When to sync next (feed-format.md section 4): after a success, the server's Cache-Control
 * max-age with a floor of 1 hour, 24 hours when it gives none (capped at 7 days, so that a
 * brand's fix reaches shoppers within a week whatever its CDN says); after a failure, exponential
 * backoff from 15 minutes, doubling, capped at 24 hours. Every delay then gets 0 to 10% of random
 * jitter on top (the cap applies before the jitter), so that clients do not fetch in lockstep.
 */

export const HOUR_MS = 3_600_000;
export const MIN_INTERVAL_MS = HOUR_MS;
export const DEFAULT_INTERVAL_MS = 24 * HOUR_MS;
export const MAX_INTERVAL_MS = 7 * 24 * HOUR_MS;
export const BACKOFF_BASE_MS = 15 * 60_000;
export const BACKOFF_CAP_MS = 24 * HOUR_MS;
export const JITTER = 0.1;

/** max-age in seconds from a Cache-Control header, or null (no-store / no-cache count as 0). */
export function maxAgeSeconds(cacheControl: string | null | undefined): number | null {
  if (!cacheControl) return null;
  let noCache = false;
  for (const directive of cacheControl.toLowerCase().split(',')) {
    const [name, value] = directive
      .trim()
      .split('=', 2)
      .map((s) => s.trim());
    if (name === 'max-age' && value !== undefined && /^"?\d+"?$/.test(value)) {
      return Number(value.replace(/"/g, ''));
    }
    if (name === 'no-store' || name === 'no-cache') noCache = true;
  }
  return noCache ? 0 : null;
}

/** The delay before the next sync after a success, before jitter. */
export function successInterval(cacheControl: string | null | undefined): number {
  const seconds = maxAgeSeconds(cacheControl);
  if (seconds === null) return DEFAULT_INTERVAL_MS;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, seconds * 1000));
}

/** The delay after the n-th failure in a row (n >= 1), before jitter: 15 min, 30 min, 1 h, ... 24 h. */
export function backoffInterval(failures: number): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^7 * 15 min > 24 h already; keep the exponent small so the number stays exact.
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 16));
}

/** Adds 0..10% jitter; `random` returns [0, 1) like Math.random. */
export function withJitter(delayMs: number, random: () => number): number {
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.round(delayMs * (1 + JITTER * unit));
}
