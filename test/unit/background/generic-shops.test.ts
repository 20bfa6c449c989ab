import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RegisteredScript } from '../../../lib/background/generic-shops';
import {
  CONTENT_SCRIPT_FILE,
  createGenericShops,
  GENERIC_SCRIPT_FILE,
  GENERIC_SCRIPT_ID,
  genericShopPatterns,
  originGranted,
} from '../../../lib/background/generic-shops';

const ADAPTERS = [{ domains: ['amazon.com', 'amazon.co.uk'] }, { domains: ['ebay.com'] }];

function permissions(origins: string[]) {
  const granted = new Set(origins);
  return {
    granted,
    getAll: async () => ({ origins: [...granted] }),
    contains: async ({ origins: o }: { origins?: string[] }) => (o ?? []).every((x) => granted.has(x)),
  };
}

function fakeScripting() {
  const registered = new Map<string, RegisteredScript>();
  return {
    registered,
    registerContentScripts: vi.fn(async (scripts: RegisteredScript[]) => {
      for (const s of scripts) {
        if (registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        registered.set(s.id, s);
      }
    }),
    unregisterContentScripts: vi.fn(async (filter?: { ids?: string[] }) => {
      for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
    }),
    getRegisteredContentScripts: vi.fn(async (filter?: { ids?: string[] }) =>
      [...registered.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id)),
    ),
  };
}

describe('granted shops', () => {
  it('keeps http(s) origins and leaves marketplace domains to their adapters', () => {
    expect(
      genericShopPatterns(
        [
          'https://shop.example/*',
          'https://*.amazon.com/*',
          'https://www.amazon.co.uk/*',
          '*://*.ebay.com/*',
          'https://boutique.example.fr/*',
          'https://shop.example/*',
          'file:///*',
          'not a pattern',
        ],
        ADAPTERS,
      ),
    ).toEqual(['https://boutique.example.fr/*', 'https://shop.example/*']);
  });

  it('registers one content script for the granted shops, and updates it as grants change', async () => {
    const perms = permissions(['https://shop.example/*']);
    const scripting = fakeScripting();
    const shops = createGenericShops({ permissions: perms, scripting, adapters: ADAPTERS });

    expect(await shops.sync()).toEqual(['https://shop.example/*']);
    const script = scripting.registered.get(GENERIC_SCRIPT_ID);
    expect(script).toMatchObject({
      matches: ['https://shop.example/*'],
      js: [GENERIC_SCRIPT_FILE],
      runAt: 'document_end',
      persistAcrossSessions: true,
    });
    expect(script?.excludeMatches).toEqual([
      '*://*.amazon.co.uk/*',
      '*://*.amazon.com/*',
      '*://*.ebay.com/*',
    ]);

    perms.granted.add('https://other.example/*');
    // Two grants arriving together (start-up and onAdded) must not register twice.
    await Promise.all([shops.sync(), shops.sync()]);
    expect(scripting.registered.get(GENERIC_SCRIPT_ID)?.matches).toEqual([
      'https://other.example/*',
      'https://shop.example/*',
    ]);

    perms.granted.clear();
    expect(await shops.sync()).toEqual([]);
    expect(scripting.registered.size).toBe(0);
  });

  it('falls back to contentScripts.register where scripting is missing', async () => {
    const perms = permissions(['https://shop.example/*']);
    const unregister = vi.fn(async () => undefined);
    const register = vi.fn(async () => ({ unregister }));
    const shops = createGenericShops({
      permissions: perms,
      contentScripts: { register },
      adapters: ADAPTERS,
    });
    await shops.sync();
    expect(register).toHaveBeenCalledWith(
      expect.objectContaining({
        matches: ['https://shop.example/*'],
        js: [{ file: `/${GENERIC_SCRIPT_FILE}` }],
      }),
    );
    perms.granted.clear();
    await shops.sync();
    expect(unregister).toHaveBeenCalledTimes(1);
    expect(register).toHaveBeenCalledTimes(1);
  });

  it('tells whether a page origin was granted', async () => {
    const perms = permissions(['https://shop.example/*']);
    expect(await originGranted(perms, 'https://shop.example/p/1?x=2')).toBe(true);
    expect(await originGranted(perms, 'https://other.example/p/1')).toBe(false);
    expect(await originGranted(perms, 'chrome://settings')).toBe(false);
    expect(await originGranted(perms, 'garbage')).toBe(false);
  });

  it('registers the generic bundle, which WXT builds from entrypoints/generic.content, not the marketplace one', () => {
    // WXT writes entrypoints/<name>.content/index.ts (or entrypoints/<name>/index.ts for the
    // directory named "content") to content-scripts/<name>.js.
    const root = path.resolve(__dirname, '../../..');
    const entry = (file: string) => {
      const name = /^content-scripts\/([a-z-]+)\.js$/.exec(file)?.[1];
      const dir = name === 'content' ? 'content' : `${name}.content`;
      return path.join(root, 'entrypoints', dir, 'index.ts');
    };
    expect(GENERIC_SCRIPT_FILE).not.toBe(CONTENT_SCRIPT_FILE);
    expect(existsSync(entry(CONTENT_SCRIPT_FILE)), CONTENT_SCRIPT_FILE).toBe(true);
    expect(existsSync(entry(GENERIC_SCRIPT_FILE)), GENERIC_SCRIPT_FILE).toBe(true);
    // Registered at run time only: in no manifest entry, and asking for no host permission.
    const generic = readFileSync(entry(GENERIC_SCRIPT_FILE), 'utf8');
    expect(generic).toMatch(/registration:\s*'runtime'/);
    expect(generic).not.toMatch(/\bmatches:/);
  });
});
