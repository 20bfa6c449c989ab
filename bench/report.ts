import type { Results, Row, Unit } from './results';

/** The results as a readable table (terminal) and as Markdown (bench/out/results.md, the README). */

export function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'count':
      return Math.round(value).toLocaleString('en');
    case 's':
      return `${value.toFixed(value < 10 ? 2 : 1)} s`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'kB':
      return `${value.toFixed(1)} kB`;
    case 'x':
      return `${value.toFixed(1)}x`;
    case 'ms': {
      const digits = value < 1 ? 3 : value < 10 ? 2 : 1;
      return `${value.toFixed(digits)} ms`;
    }
  }
}

function result(row: Row): string {
  if (!row.target) return '';
  return row.target.pass ? 'pass' : 'MISS';
}

function cells(row: Row): string[] {
  return [
    row.section,
    row.what,
    row.engine,
    formatValue(row.value, row.unit),
    row.p99 === undefined ? '' : formatValue(row.p99, row.unit),
    row.floor ? `${formatValue(row.floor.value, row.unit)} (${row.floor.what})` : '',
    row.ratio === undefined ? '' : `${row.ratio.toFixed(1)}x`,
    row.target?.text ?? '',
    result(row),
  ];
}

const HEADER = [
  'section',
  'measurement',
  'engine',
  'median',
  'p99',
  'floor (same run)',
  'x floor',
  'target',
  'result',
];

function header(results: Results): string[] {
  const m = results.machine;
  return [
    `Genuine benchmarks, ${results.date} (mode: ${results.mode}, ${results.seconds.toFixed(0)} s${results.revision ? `, commit ${results.revision}` : ''})`,
    `Machine: ${m.os}; ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; Node ${m.node}; Chromium ${m.chromium ?? 'not used'}; load average ${results.loadAverage.start} at start, ${results.loadAverage.end} at end`,
    `Data: ${results.dataset.sellers.toLocaleString('en')} sellers, ${results.dataset.brands.toLocaleString('en')} brands, ${results.dataset.products.toLocaleString('en')} products (seed ${results.dataset.seed})`,
  ];
}

export function textTable(results: Results): string {
  const rows = [HEADER, ...results.rows.map(cells)];
  const width = HEADER.map((_, c) =>
    Math.min(c === 1 ? 70 : 48, Math.max(...rows.map((r) => (r[c] ?? '').length))),
  );
  const line = (r: string[]) =>
    r
      .map((cell, c) => {
        const w = width[c] ?? 10;
        const text = cell.length > w ? `${cell.slice(0, w - 1)}~` : cell;
        return text.padEnd(w);
      })
      .join(' | ');
  const out = [...header(results), '', line(HEADER), width.map((w) => '-'.repeat(w)).join('-|-')];
  for (const r of results.rows) out.push(line(cells(r)));
  const skipped = Object.entries(results.skipped);
  if (skipped.length > 0) {
    out.push('', 'Not run:');
    for (const [section, why] of skipped) out.push(`  ${section}: ${why}`);
  }
  if (results.misses.length > 0) {
    out.push('', 'Targets missed:');
    for (const miss of results.misses) out.push(`  ${miss.id}: ${miss.reason}`);
  }
  return out.join('\n');
}

function md(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function markdown(results: Results): string {
  const out = header(results).map((l) => `${l}  `);
  out.push('', `| ${HEADER.join(' | ')} |`, `| ${HEADER.map(() => '---').join(' | ')} |`);
  for (const r of results.rows) out.push(`| ${cells(r).map(md).join(' | ')} |`);
  const notes = results.rows.filter((r) => r.note);
  if (notes.length > 0) {
    out.push('', 'Notes:', '');
    for (const r of notes) out.push(`- \`${r.id}\`: ${r.note}`);
  }
  const skipped = Object.entries(results.skipped);
  if (skipped.length > 0) {
    out.push('', 'Not run:', '');
    for (const [section, why] of skipped) out.push(`- ${section}: ${why}`);
  }
  if (results.misses.length > 0) {
    out.push('', 'Targets missed:', '');
    for (const miss of results.misses) out.push(`- \`${miss.id}\`: ${miss.reason}`);
  }
  return `${out.join('\n')}\n`;
}
