/**
 * Every saved real product page in ../shared/pages, read with extractProduct and compared with
 * TRUTH.tsv, one row per page (columns productId, price, currency, sellerId, sellerName,
 * isPlatform, brand; `-` = not scored, `null` = must be null).
 *
 * A miss fails the test unless KNOWN_MISSES lists it with a reason; a listed miss that now
 * passes fails too, so the list cannot rot. Every .html under the directory (in TRUTH.tsv or
 * not) must parse into null or a valid snapshot without throwing. The per-field, per-marketplace
 * accuracy table is printed and written to test-results/accuracy.md.
 *
 * Skipped, with a message, when ../shared/pages is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFor, extractProduct, extractWithDiagnostics } from '../../../lib/sites/index';
import { ProductSnapshot } from '../../../lib/sites/snapshot';
import {
  actualValue,
  allPageFiles,
  matches,
  PAGES_DIR,
  pagesAvailable,
  pageUrl,
  parseHtml,
  REPO_ROOT,
  readPage,
  readTruth,
  SCORED,
  type ScoredField,
  type TruthRow,
} from './pages';

/**
 * Misses we accept for now, each with its reason: `file -> field -> reason`. Keep it empty
 * unless a page truly cannot be read (and say why).
 */
const KNOWN_MISSES: Readonly<Record<string, Partial<Record<ScoredField, string>>>> = {};

const available = pagesAvailable();
if (!available) {
  console.warn(`[real-pages] skipped: ${PAGES_DIR} (with TRUTH.tsv) is absent on this machine`);
}

type Outcome = { marketplace: string; field: ScoredField; ok: boolean };
const outcomes: Outcome[] = [];

function marketplaceOf(row: TruthRow): string {
  try {
    return adapterFor(row.url)?.marketplace ?? row.file.split('/')[0] ?? 'unknown';
  } catch {
    return row.file.split('/')[0] ?? 'unknown';
  }
}

function accuracyTable(): string {
  const markets = [...new Set(outcomes.map((o) => o.marketplace))].sort();
  const cell = (list: Outcome[]) => {
    if (list.length === 0) return '-';
    const ok = list.filter((o) => o.ok).length;
    return `${ok}/${list.length}`;
  };
  const header = `| marketplace | ${SCORED.join(' | ')} | all |`;
  const rule = `|${' --- |'.repeat(SCORED.length + 2)}`;
  const rows = markets.map((m) => {
    const mine = outcomes.filter((o) => o.marketplace === m);
    return `| ${m} | ${SCORED.map((f) => cell(mine.filter((o) => o.field === f))).join(' | ')} | ${cell(mine)} |`;
  });
  const total = `| **all** | ${SCORED.map((f) => cell(outcomes.filter((o) => o.field === f))).join(' | ')} | ${cell(outcomes)} |`;
  return [header, rule, ...rows, total].join('\n');
}

describe.skipIf(!available)('real pages', () => {
  const rows = available ? readTruth() : [];
  const truthByFile = new Map(rows.map((r) => [r.file, r]));
  // Every saved page, plus any TRUTH.tsv row whose file is missing (that row then fails).
  const files = available ? [...new Set([...allPageFiles(), ...rows.map((r) => r.file)])].sort() : [];

  it('finds the pages, and KNOWN_MISSES names only pages and columns that TRUTH.tsv scores', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(0);
    for (const [file, fields] of Object.entries(KNOWN_MISSES)) {
      const row = truthByFile.get(file);
      expect(row, `${file} is not in TRUTH.tsv`).toBeDefined();
      for (const [field, reason] of Object.entries(fields)) {
        expect(row?.expected[field as ScoredField], `${file} ${field} is not scored`).not.toBe('-');
        expect(reason?.length ?? 0, `${file} ${field} needs a reason`).toBeGreaterThan(10);
      }
    }
  });

  it.each(files)('%s', async (file) => {
    const row = truthByFile.get(file);
    const html = readPage(file);
    const url = row?.url ?? pageUrl(html);
    const { doc, close } = parseHtml(html, url);
    try {
      // Any page, any options: null or a valid snapshot, never an exception.
      for (const options of [{ generic: true }, {}]) {
        let result: ReturnType<typeof extractWithDiagnostics> | undefined;
        expect(() => {
          result = extractWithDiagnostics(doc, url, options);
        }).not.toThrow();
        const s = result?.snapshot ?? null;
        if (s !== null) expect(ProductSnapshot.safeParse(s).success).toBe(true);
      }
      if (!row) return;

      const snapshot = extractProduct(doc, row.url);
      const marketplace = marketplaceOf(row);
      const misses: Partial<Record<ScoredField, string>> = {};
      for (const field of SCORED) {
        const want = row.expected[field];
        if (want === '-') continue;
        const got = actualValue(snapshot, field);
        const ok = matches(field, want, got);
        outcomes.push({ marketplace, field, ok });
        if (!ok) misses[field] = `want ${want}, got ${got}`;
      }
      const known = KNOWN_MISSES[row.file] ?? {};
      const unexpected = Object.keys(misses).filter((f) => !(f in known));
      const nowPassing = Object.keys(known).filter((f) => !(f in misses));
      expect(
        Object.fromEntries(unexpected.map((f) => [f, misses[f as ScoredField]])),
        `misses not listed in KNOWN_MISSES (fix them or list them with a reason); snapshot: ${JSON.stringify(snapshot)}`,
      ).toEqual({});
      expect(nowPassing, 'listed in KNOWN_MISSES but now correct: remove them from the list').toEqual([]);
      if (row.site !== '-' && snapshot) expect(snapshot.site).toBe(row.site);
    } finally {
      await close();
    }
  });

  afterAll(() => {
    if (outcomes.length === 0) return;
    const table = accuracyTable();
    console.log(`\nExtraction accuracy on ${rows.length} saved real pages (correct/scored):\n${table}\n`);
    const out = path.join(REPO_ROOT, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, 'accuracy.md'),
      `# Extraction accuracy on saved real pages\n\nFrom test/unit/sites/real-pages.test.ts over ${PAGES_DIR}/TRUTH.tsv ` +
        `(${rows.length} pages; correct/scored per column).\n\n${table}\n`,
    );
  });
});
