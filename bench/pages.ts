import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { savedPages } from '../test/e2e/support/pages';
import { SHARED_PAGES } from '../test/e2e/support/paths';
import type { World } from '../test/e2e/support/world';

/**
 * Every real saved page in ../shared/pages (read from there, never copied), with the URL it is
 * loaded at: TRUTH.tsv's URL, or for a page TRUTH.tsv does not list, the page's own canonical
 * (or og:url) link. The local world serves TRUTH pages itself; the others are published into it.
 */

export interface BenchPage {
  file: string;
  url: string;
  bytes: number;
  /** Listed in TRUTH.tsv (else the URL comes from the page's canonical link). */
  truth: boolean;
}

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The page's canonical URL (or og:url), as https. */
export function canonicalUrl(html: string): string | null {
  const head = html;
  const patterns = [
    /<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)["']/i,
    /<link[^>]+href=["']([^"']+)["'][^>]*rel=["']canonical["']/i,
    /<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)["']/i,
  ];
  for (const re of patterns) {
    const m = re.exec(head)?.[1];
    if (!m) continue;
    const href = m.replace(/&amp;/g, '&');
    const absolute = href.startsWith('//') ? `https:${href}` : href.replace(/^http:\/\//i, 'https://');
    try {
      const u = new URL(absolute);
      if (u.protocol === 'https:') return u.href;
    } catch {
      // not a URL: try the next pattern
    }
  }
  return null;
}

/** null when the shared pages are not there. */
export function benchPages(): { pages: BenchPage[]; unusable: string[] } | null {
  const truth = savedPages();
  if (truth === null || !existsSync(SHARED_PAGES)) return null;
  const listed = new Map(truth.map((p) => [p.file, p.url]));
  const pages: BenchPage[] = [];
  const unusable: string[] = [];
  for (const file of htmlFiles(SHARED_PAGES)) {
    const full = path.join(SHARED_PAGES, file);
    const bytes = statSync(full).size;
    const url = listed.get(file) ?? canonicalUrl(readFileSync(full, 'latin1'));
    if (url === null) unusable.push(file);
    else pages.push({ file, url, bytes, truth: listed.has(file) });
  }
  return { pages, unusable };
}

/** Host names the world must answer for to serve these pages. */
export function hostsOf(pages: readonly BenchPage[]): string[] {
  return [...new Set(pages.map((p) => new URL(p.url).hostname))];
}

/** Publishes the pages the world does not already serve (those not in TRUTH.tsv). */
export function publishPages(world: World, pages: readonly BenchPage[]): void {
  for (const p of pages) {
    if (p.truth) continue;
    world.publish(p.url, readFileSync(path.join(SHARED_PAGES, p.file)), {
      contentType: 'text/html',
      maxAge: 0,
    });
  }
}
