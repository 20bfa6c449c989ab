/**
 * The saved real product pages in ../shared/pages and their expected values (TRUTH.tsv), read at
 * test time (never copied into the repo). Shared by the real-pages test and scripts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');
export const PAGES_DIR = path.resolve(REPO_ROOT, '../shared/pages');

export const SCORED = [
  'productId',
  'price',
  'currency',
  'sellerId',
  'sellerName',
  'isPlatform',
  'brand',
] as const;
export type ScoredField = (typeof SCORED)[number];

export interface TruthRow {
  readonly file: string;
  readonly url: string;
  readonly site: string;
  /** `-` = not scored; `null` = must be null; otherwise the expected text. */
  readonly expected: Readonly<Record<ScoredField, string>>;
}

export function pagesAvailable(): boolean {
  return fs.existsSync(path.join(PAGES_DIR, 'TRUTH.tsv'));
}

export function readTruth(): TruthRow[] {
  const lines = fs.readFileSync(path.join(PAGES_DIR, 'TRUTH.tsv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`TRUTH.tsv has no column ${name}`);
    return i;
  };
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    const cell = (name: string) => cells[col(name)] ?? '-';
    const expected = Object.fromEntries(SCORED.map((f) => [f, cell(f)])) as Record<ScoredField, string>;
    return { file: cell('file'), url: cell('url'), site: cell('site'), expected };
  });
}

/** Every .html file under the pages directory, relative paths, sorted. */
export function allPageFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(PAGES_DIR, p));
    }
  };
  walk(PAGES_DIR);
  return out.sort();
}

/** Parses saved HTML with happy-dom without running scripts or fetching anything. */
export function parseHtml(html: string, url: string): { doc: Document; close: () => Promise<void> } {
  let base = 'https://pages.invalid/';
  try {
    base = new URL(url).href;
  } catch {
    // an unusable URL still gets a document; the extractor is then asked with the raw string
  }
  const window = new Window({
    url: base,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
      navigation: {
        disableMainFrameNavigation: true,
        disableChildFrameNavigation: true,
        disableChildPageNavigation: true,
      },
    },
  });
  const doc = new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
  return { doc, close: () => window.happyDOM.close() };
}

export function readPage(file: string): string {
  return fs.readFileSync(path.join(PAGES_DIR, file), 'utf8');
}

/**
 * The URL a saved page was served from: its canonical link or og:url (resolved, so
 * protocol-relative ones work), else a placeholder.
 */
export function pageUrl(html: string): string {
  const m =
    /<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']/i.exec(html) ??
    /<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']/i.exec(html);
  try {
    return new URL(m?.[1] ?? '', 'https://pages.invalid/').href;
  } catch {
    return 'https://pages.invalid/';
  }
}

/** The snapshot's value for a scored column, as TRUTH.tsv writes it (null when absent). */
export function actualValue(
  snapshot: {
    productId: string | null;
    brand: string | null;
    price: { amount: number; currency: string } | null;
    seller: { id: string | null; name: string | null; isPlatform: boolean } | null;
  } | null,
  field: ScoredField,
): string | null {
  if (!snapshot) return null;
  switch (field) {
    case 'productId':
      return snapshot.productId;
    case 'price':
      return snapshot.price ? String(snapshot.price.amount) : null;
    case 'currency':
      return snapshot.price?.currency ?? null;
    case 'sellerId':
      return snapshot.seller?.id ?? null;
    case 'sellerName':
      return snapshot.seller?.name ?? null;
    case 'isPlatform':
      return snapshot.seller ? (snapshot.seller.isPlatform ? 'yes' : 'no') : null;
    case 'brand':
      return snapshot.brand;
  }
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Does the actual value satisfy the expected cell? (`-` is never asked.) */
export function matches(field: ScoredField, expected: string, actual: string | null): boolean {
  if (expected === 'null') return actual === null;
  if (actual === null) return false;
  if (field === 'price') return Math.abs(Number(expected) - Number(actual)) < 1e-9;
  if (field === 'sellerName' || field === 'brand') return fold(expected) === fold(actual);
  return expected === actual;
}
