import { checkProduct } from '../../lib/check';
import type { StoreReader } from '../../lib/store/types';
import type { WorkloadItem } from '../generate';

/**
 * Verdicts computed directly (lib/check checkProduct against a store), without messaging: what the
 * Node side can measure. The floor is one bare store read (getBrand: one readonly transaction,
 * one get). In Chromium the checks are timed from the content script instead (bench/chromium).
 */

export interface DirectCheckMeasure {
  check: number[];
  floor: number[];
  levels: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
}

export async function measureDirectChecks(
  store: StoreReader,
  workload: readonly WorkloadItem[],
  options: { now: () => number; at: Date },
): Promise<DirectCheckMeasure> {
  const { now } = options;
  const check: number[] = [];
  const floor: number[] = [];
  const levels: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  for (const item of workload) {
    const t0 = now();
    const verdict = await checkProduct(item.snapshot, store, options.at);
    check.push(now() - t0);
    levels[verdict.level] = (levels[verdict.level] ?? 0) + 1;
    const k = byKind[item.kind] ?? {};
    byKind[item.kind] = k;
    k[verdict.level] = (k[verdict.level] ?? 0) + 1;

    const t1 = now();
    await store.getBrand(item.snapshot.brand ?? '');
    floor.push(now() - t1);
  }
  return { check, floor, levels, byKind };
}
