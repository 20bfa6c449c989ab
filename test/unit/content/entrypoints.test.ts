import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS } from '../../../lib/sites/registry';

// One content script per marketplace (entrypoints/content/index.ts for Amazon, the name the bench
// and CONTENT_SCRIPT_FILE know; entrypoints/<name>.content.ts for the others), each importing
// only its own reader and matching its domains (matchPatterns([reader])).
const root = path.resolve(__dirname, '../../..');
const entryOf = (name: string) =>
  path.join(root, 'entrypoints', name === 'amazon' ? 'content/index.ts' : `${name}.content.ts`);

describe('marketplace content scripts', () => {
  it('every marketplace reader has its own entrypoint that imports that reader only', () => {
    for (const reader of READERS) {
      const file = entryOf(reader.name);
      expect(existsSync(file), file).toBe(true);
      const text = readFileSync(file, 'utf8');
      const sites = [...text.matchAll(/from '@\/lib\/sites\/([a-z-]+)'/g)].map((m) => m[1]);
      expect(
        sites.filter((s) => s !== 'anchors'),
        file,
      ).toEqual([reader.name]);
      expect(text, file).toMatch(/matches: matchPatterns\(\[reader\]\)/);
      expect(text, file).toMatch(/main: marketplaceMain\(\[reader\]\)/);
    }
  });

  it('no other marketplace content script exists', () => {
    const names = new Set(READERS.map((r) => r.name));
    const extra = readdirSync(path.join(root, 'entrypoints'))
      .filter((f) => /\.content(\.ts)?$/.test(f))
      .map((f) => f.replace(/\.content(\.ts)?$/, ''))
      .filter((n) => n !== 'generic' && !names.has(n));
    expect(extra).toEqual([]);
  });
});
