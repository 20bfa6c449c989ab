import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createGenericShops,
  GENERIC_SCRIPT_ID,
  type RegisteredScript,
} from '../../../lib/background/generic-shops';
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

describe('when and how every content script runs', () => {
  const entries = [
    ...READERS.map((r) => entryOf(r.name)),
    path.join(root, 'entrypoints', 'generic.content', 'index.ts'),
  ];

  it('at document_end, with its stylesheet inline, the settings read started by its first import', () => {
    for (const file of entries) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).toMatch(/runAt: 'document_end'/);
      expect(text, file).toMatch(/cssInjectionMode: 'manual'/);
      expect(text, file).not.toMatch(/badge\.css/);
      const first = /^import\s+(?:[^'";]+from\s+)?'([^']+)';/m.exec(text)?.[1];
      expect(path.resolve(path.dirname(file), first ?? ''), file).toBe(
        path.join(root, 'entrypoints', 'content', 'early'),
      );
    }
  });

  it('the generic one too, as the background registers it for granted shops', async () => {
    const registered: RegisteredScript[] = [];
    const shops = createGenericShops({
      permissions: {
        getAll: async () => ({ origins: ['https://shop.example/*'] }),
        contains: async () => true,
      },
      scripting: {
        registerContentScripts: async (scripts) => {
          registered.push(...scripts);
        },
        unregisterContentScripts: async () => undefined,
        getRegisteredContentScripts: async () => [],
      },
      adapters: [],
    });
    await shops.sync();
    expect(registered.map((s) => [s.id, s.runAt])).toEqual([[GENERIC_SCRIPT_ID, 'document_end']]);

    const legacy: { runAt?: string }[] = [];
    await createGenericShops({
      permissions: {
        getAll: async () => ({ origins: ['https://shop.example/*'] }),
        contains: async () => true,
      },
      contentScripts: {
        register: async (options) => {
          legacy.push(options);
          return { unregister: async () => undefined };
        },
      },
      adapters: [],
    }).sync();
    expect(legacy.map((o) => o.runAt)).toEqual(['document_end']);
  });
});
