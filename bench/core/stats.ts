/**
 * Summaries of repeated measurements. Percentiles are nearest-rank on the sorted samples, so a
 * p99 of 100 samples is the 99th smallest, never an interpolated value no run produced.
 */

export interface Summary {
  n: number;
  median: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n;
  // The median of an even count is the mean of the two middle samples.
  const mid = Math.floor(n / 2);
  const median =
    n === 0
      ? Number.NaN
      : n % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    n,
    median,
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[n - 1] ?? Number.NaN,
    mean,
  };
}

/** The median of a list (NaN when empty). */
export function median(samples: readonly number[]): number {
  return summarize(samples).median;
}

/** Rounds for display and JSON: 3 significant decimals below 10, fewer above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 10 ? 2 : abs >= 1 ? 3 : 4;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function roundSummary(s: Summary): Summary {
  return {
    n: s.n,
    median: round(s.median),
    p90: round(s.p90),
    p99: round(s.p99),
    min: round(s.min),
    max: round(s.max),
    mean: round(s.mean),
  };
}

/**
 * Times `fn` in batches long enough for a coarse clock (browsers round performance.now() to
 * 0.1 ms without cross-origin isolation): calibrates a batch size so one batch takes at least
 * `minBatchMs`, then returns per-call times (batch time / batch size) for `samples` batches.
 */
export function timeBatched(
  fn: () => void,
  options: { samples: number; minBatchMs: number; now: () => number; warmup?: number },
): { perCall: number[]; batch: number } {
  const { now } = options;
  for (let i = 0; i < (options.warmup ?? 3); i++) fn();
  let batch = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; i++) fn();
    const dt = now() - t0;
    if (dt >= options.minBatchMs || batch >= 1 << 20) break;
    batch *= dt <= 0 ? 16 : Math.min(16, Math.max(2, Math.ceil(options.minBatchMs / dt)));
  }
  const perCall: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const t0 = now();
    for (let i = 0; i < batch; i++) fn();
    perCall.push((now() - t0) / batch);
  }
  return { perCall, batch };
}
