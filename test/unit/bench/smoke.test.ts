import { describe, expect, it } from 'vitest';
import { SIZES } from '../../../bench/generate';
import { explainMisses } from '../../../bench/misses';
import { runNodeBench } from '../../../bench/node';
import { markdown, textTable } from '../../../bench/report';
import type { Results } from '../../../bench/results';

/**
 * The benchmark machinery on tiny sizes (1,000 sellers, a 64 kB feed, a synthetic page), in Node
 * with fake-indexeddb and happy-dom: every section runs and gives finite, positive figures. Never
 * a timing assertion: `npm run bench` is where speed is measured.
 */

const SECTIONS = ['extraction', 'checks', 'sync', 'verify'] as const;

describe('bench smoke', () => {
  it('runs every Node section and produces sane output', async () => {
    const spec = SIZES.smoke;
    const result = await runNodeBench({
      spec,
      sections: SECTIONS,
      verifyBytes: 64 * 1024,
      verifyIterations: 2,
      checks: 30,
      extractionSamples: 3,
    });

    for (const section of SECTIONS) {
      expect(result.sections[section], section).toBeDefined();
      expect(
        result.rows.some((row) => row.section === section),
        `a row for ${section}`,
      ).toBe(true);
    }
    for (const row of result.rows) {
      expect(Number.isFinite(row.value), `${row.id} value`).toBe(true);
      expect(row.value, `${row.id} value`).toBeGreaterThan(0);
      if (row.floor) expect(row.floor.value, `${row.id} floor`).toBeGreaterThan(0);
      if (row.ratio !== undefined) expect(Number.isFinite(row.ratio), `${row.id} ratio`).toBe(true);
    }

    // The generated data is valid under the feed schema: the import took every seller.
    const sync = result.sections.sync?.node as {
      stats: { sellers: number; products: number; brands: number };
      statuses: Record<string, number>;
      resync: { requests: { total: number; conditional: number }; dataWrites: number };
      storeOnly: { feeds: number; importMs: number } | null;
    };
    expect(sync.statuses).toEqual({ updated: spec.brands });
    expect(sync.stats).toMatchObject({ sellers: spec.sellers, products: spec.products, brands: spec.brands });
    // The re-sync machinery counted one conditional request per feed and every write.
    expect(sync.resync.requests.total).toBe(spec.brands);
    expect(sync.resync.requests.conditional).toBe(spec.brands);
    expect(sync.resync.dataWrites).toBe(0);
    // The store-only phase imported every feed again into its scratch database.
    expect(sync.storeOnly?.feeds).toBe(spec.brands);
    expect(sync.storeOnly?.importMs).toBeGreaterThan(0);

    const verify = result.sections.verify?.node as { ok: boolean; bytes: number };
    expect(verify.ok).toBe(true);
    expect(verify.bytes).toBeLessThanOrEqual(64 * 1024);

    // The report machinery renders what the run produced.
    const results: Results = {
      schema: 1,
      date: new Date().toISOString(),
      mode: 'smoke',
      seconds: 1,
      revision: null,
      machine: {
        os: 'test',
        kernel: 'test',
        cpu: 'test',
        cores: 1,
        memoryGB: 1,
        node: process.versions.node,
        chromium: null,
      },
      loadAverage: { start: 0, end: 0 },
      dataset: spec,
      rows: result.rows,
      sections: result.sections,
      skipped: { badge: 'no browser in the smoke test', bundle: 'no build in the smoke test' },
      misses: explainMisses(result),
    };
    const md = markdown(results);
    for (const row of result.rows) expect(md).toContain(row.what);
    expect(textTable(results)).toContain('Not run:');
  });
});
