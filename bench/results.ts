import type { Summary } from './core/stats';
import type { DatasetSpec } from './generate';

/**
 * What a run produces: bench/out/results.json (this shape) and bench/out/results.md (the table).
 * `rows` are the headline figures, one per line of the table, each a median of repeated runs next
 * to the same operation's floor measured in the same run; `sections` keep the details.
 */

export interface Machine {
  os: string;
  kernel: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  chromium: string | null;
}

export type Unit = 'ms' | 's' | 'MB' | 'kB' | 'count' | 'x';

export interface Row {
  id: string;
  section: SectionName;
  what: string;
  engine: string;
  unit: Unit;
  /** The median (or the single value of a one-off measurement such as a size or a count). */
  value: number;
  p99?: number;
  /** How many repeated runs the median is over. */
  n?: number;
  floor?: { what: string; value: number };
  /** value / floor.value */
  ratio?: number;
  target?: { text: string; pass: boolean };
  note?: string;
}

export type SectionName = 'extraction' | 'badge' | 'bundle' | 'checks' | 'sync' | 'verify';
export const SECTIONS: readonly SectionName[] = ['extraction', 'badge', 'bundle', 'checks', 'sync', 'verify'];

export interface Results {
  schema: 1;
  date: string;
  mode: string;
  seconds: number;
  /** git commit measured ("+changes" when the work tree had uncommitted changes). */
  revision: string | null;
  machine: Machine;
  /** 1-minute load average when the run started and ended: a busy machine slows every figure. */
  loadAverage: { start: number; end: number };
  dataset: DatasetSpec;
  rows: Row[];
  /** Per-section details (summaries, per-page figures, counts). */
  sections: Partial<Record<SectionName, Record<string, unknown>>>;
  /** Sections not run, with the reason (e.g. no browser in the smoke test). */
  skipped: Partial<Record<SectionName, string>>;
  /** Targets missed, each with the reason found. */
  misses: { id: string; reason: string }[];
}

export function ratio(value: number, floor: number): number | undefined {
  return floor > 0 && Number.isFinite(value) && Number.isFinite(floor) ? value / floor : undefined;
}

/** A row from a summary (median, p99) with an optional floor summary. */
export function summaryRow(
  base: Omit<Row, 'value' | 'p99' | 'n' | 'floor' | 'ratio'>,
  s: Summary,
  floor?: { what: string; summary: Summary },
  withP99 = false,
): Row {
  const row: Row = { ...base, value: s.median, n: s.n };
  if (withP99) row.p99 = s.p99;
  if (floor) {
    row.floor = { what: floor.what, value: floor.summary.median };
    const r = ratio(s.median, floor.summary.median);
    if (r !== undefined) row.ratio = r;
  }
  return row;
}
