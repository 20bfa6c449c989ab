import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEMO_PAGES, SHARED_PAGES } from './paths';

/** One row of /work/shared/pages/TRUTH.tsv: a real saved page and what it shows. */
export interface SavedPage {
  /** Path under the shared pages folder. */
  file: string;
  url: string;
  host: string;
  /** Path plus query, as the server matches it. */
  target: string;
  site: string;
  marketplace: string;
  productId: string | null;
  price: number | null;
  currency: string | null;
  sellerId: string | null;
  sellerName: string | null;
  isPlatform: boolean | null;
  brand: string | null;
}

function cell(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim();
  return v === '' || v === '-' || v === 'null' ? null : v;
}

/** The marketplace id a saved page's folder stands for ("other" pages: from the site). */
function marketplaceOf(file: string, site: string): string {
  const folder = file.split('/')[0] ?? '';
  if (folder !== 'other') return folder;
  return site.split('.')[0] ?? site;
}

/**
 * The real saved pages listed in TRUTH.tsv, or null when the shared folder is absent (tests
 * then skip with a message saying so). Pages are read from there at test time, never copied.
 */
export function savedPages(): SavedPage[] | null {
  const truth = path.join(SHARED_PAGES, 'TRUTH.tsv');
  if (!existsSync(truth)) return null;
  const lines = readFileSync(truth, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  const col = (row: string[], name: string) => row[header.indexOf(name)];
  const out: SavedPage[] = [];
  for (const line of lines) {
    const row = line.split('\t');
    const file = cell(col(row, 'file'));
    const url = cell(col(row, 'url'));
    if (file === null || url === null || !existsSync(path.join(SHARED_PAGES, file))) continue;
    const u = new URL(url);
    const site = cell(col(row, 'site')) ?? u.hostname;
    const price = cell(col(row, 'price'));
    const platform = cell(col(row, 'isPlatform'));
    out.push({
      file,
      url,
      host: u.hostname,
      target: u.pathname + u.search,
      site,
      marketplace: marketplaceOf(file, site),
      productId: cell(col(row, 'productId')),
      price: price === null ? null : Number(price),
      currency: cell(col(row, 'currency')),
      sellerId: cell(col(row, 'sellerId')),
      sellerName: cell(col(row, 'sellerName')),
      isPlatform: platform === null ? null : platform === 'yes',
      brand: cell(col(row, 'brand')),
    });
  }
  return out;
}

export const SAVED_PAGES_MISSING = `real saved pages not found at ${SHARED_PAGES} (TRUTH.tsv): skipping the specs that need them`;

/** A hand-written demo page: demo/pages/<host>/<path>.html is served at https://<host>/<path>. */
export interface DemoPage {
  host: string;
  path: string;
  file: string;
}

export function demoPages(root = DEMO_PAGES): DemoPage[] {
  const out: DemoPage[] = [];
  if (!existsSync(root)) return out;
  for (const host of readdirSync(root)) {
    const hostDir = path.join(root, host);
    if (!statSync(hostDir).isDirectory() || !host.includes('.')) continue;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.html')) {
          const rel = path.relative(hostDir, full).split(path.sep).join('/');
          const p = rel === 'index.html' ? '/' : `/${rel.replace(/\.html$/, '')}`;
          out.push({ host, path: p, file: full });
        }
      }
    };
    walk(hostDir);
  }
  return out.sort((a, b) => (a.host + a.path).localeCompare(b.host + b.path));
}
