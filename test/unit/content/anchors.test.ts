import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAnchor, matchPatterns, PRICE_ANCHORS } from '../../../lib/sites/anchors';
import { MARKETPLACES } from '../../../lib/sites/snapshot';

const repoRoot = path.resolve(__dirname, '../../..');
const PAGES = path.resolve(repoRoot, '../shared/pages');
const havePages = fs.existsSync(path.join(PAGES, 'TRUTH.tsv'));

interface Row {
  file: string;
  marketplace: string;
  price: string;
}

/** Saved product pages (search-result pages left out) with the price a person sees on them. */
function rows(): Row[] {
  const [header, ...lines] = fs.readFileSync(path.join(PAGES, 'TRUTH.tsv'), 'utf8').trim().split('\n');
  const cols = (header ?? '').split('\t');
  const at = (cells: string[], name: string) => cells[cols.indexOf(name)] ?? '';
  return lines
    .map((line) => line.split('\t'))
    .map((cells) => ({
      file: at(cells, 'file'),
      price: at(cells, 'price'),
      marketplace: at(cells, 'file').split('/')[0] ?? '',
    }))
    .filter((r) => r.marketplace in PRICE_ANCHORS && !r.file.includes('SEARCH'));
}

function load(file: string): Document {
  // Stylesheets and frames are irrelevant here; happy-dom would only log that it does not load them.
  const html = fs
    .readFileSync(path.join(PAGES, file), 'utf8')
    .replace(/<link\b[^>]*>/gi, '')
    .replace(/<iframe\b[\s\S]*?<\/iframe>/gi, '');
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('badge anchors', () => {
  it('has a list for every marketplace and the generic adapter, each selector valid', () => {
    for (const m of MARKETPLACES.filter((x) => x !== 'web')) expect(PRICE_ANCHORS[m], m).toBeDefined();
    expect(PRICE_ANCHORS['schema-org']).toBeDefined();
    for (const list of Object.values(PRICE_ANCHORS)) {
      for (const selector of list) expect(() => document.querySelector(selector), selector).not.toThrow();
    }
  });

  it('prefers a visible element, and never picks our own badge', () => {
    document.body.innerHTML =
      '<div id="corePrice_feature_div">hidden</div><span id="price">$5</span><genuine-badge id="price"></genuine-badge>';
    const hidden = document.getElementById('corePrice_feature_div');
    const shown = document.getElementById('price');
    // happy-dom has no layout: give the visible one a box.
    if (shown) shown.getClientRects = () => [new DOMRect(0, 0, 10, 10)] as unknown as DOMRectList;
    expect(findAnchor(document, 'amazon')).toBe(shown);
    if (shown) shown.remove();
    expect(findAnchor(document, 'amazon')).toBe(hidden);
    document.body.innerHTML = '<genuine-badge id="price"></genuine-badge>';
    expect(findAnchor(document, 'amazon')).toBeNull();
    expect(findAnchor(document, 'no-such-adapter', 'amazon')).toBeNull();
    expect(findAnchor(document, null)).toBeNull();
  });

  it('builds content script match patterns from the adapters domains', () => {
    expect(
      matchPatterns([{ domains: ['amazon.com', 'amazon.co.uk'] }, { domains: ['ebay.com', 'amazon.com'] }]),
    ).toEqual(['*://*.amazon.co.uk/*', '*://*.amazon.com/*', '*://*.ebay.com/*']);
  });

  describe.skipIf(!havePages)('on the saved real pages', () => {
    if (!havePages) console.warn(`[genuine] ${PAGES} is absent: saved-page anchor tests skipped`);
    for (const row of havePages ? rows() : []) {
      it(`${row.file}: the badge goes beside the price`, () => {
        const doc = load(row.file);
        const anchor = findAnchor(doc, row.marketplace);
        expect(anchor, 'no anchor').not.toBeNull();
        if (/^\d+(\.\d+)?$/.test(row.price)) {
          // The anchor shows the price a person reads (digits only: separators vary by locale).
          const digits = row.price.replace(/\D/g, '').replace(/^0+/, '');
          expect((anchor?.textContent ?? '').replace(/\D/g, '')).toContain(digits);
        }
      });
    }
  });
});
