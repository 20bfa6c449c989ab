import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Level, ReasonCode } from '../../../lib/check/types';
import { ReportReason } from '../../../lib/feed/schema';
import { type Catalog, type CatalogEntry, formatMessage } from '../../../lib/i18n';
import { MARKETPLACES } from '../../../lib/sites/snapshot';
import { feedErrorKey, KNOWN_FEED_ERRORS } from '../../../lib/ui/feeds';
import { REASON_ARGS, reasonKey } from '../../../lib/ui/reasons';

const repoRoot = path.resolve(__dirname, '../../..');
const LOCALES = ['en', 'zh_CN'] as const;

function load(locale: string): Catalog {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'public/_locales', locale, 'messages.json'), 'utf8'),
  ) as Catalog;
}
const catalogs = Object.fromEntries(LOCALES.map((l) => [l, load(l)])) as Record<
  (typeof LOCALES)[number],
  Catalog
>;
const en = catalogs.en;

/** Placeholder names a message uses ($NAME$), lower-cased as the browsers match them. */
function used(entry: CatalogEntry): string[] {
  return [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => (m[1] ?? '').toLowerCase()).sort();
}
function declared(entry: CatalogEntry): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]),
  );
}

/** Every key the source asks for literally: t('key') and the message families named in code. */
function sourceKeys(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g))
          found.set(m[1] ?? '', path.relative(repoRoot, full));
        for (const m of text.matchAll(
          /['"]((?:badge|level|notice|report_reason|feed_error|marketplace|reason|report_result|report_status)_[a-z0-9_]+)['"]/g,
        )) {
          found.set(m[1] ?? '', path.relative(repoRoot, full));
        }
      }
    }
  };
  for (const dir of ['components', 'entrypoints', 'lib']) walk(path.join(repoRoot, dir));
  return found;
}

describe('locales', () => {
  it('have the same keys in every language', () => {
    const keys = Object.keys(en).sort();
    for (const locale of LOCALES) {
      const other = Object.keys(catalogs[locale]).sort();
      expect(
        keys.filter((k) => !other.includes(k)),
        `missing in ${locale}`,
      ).toEqual([]);
      expect(
        other.filter((k) => !keys.includes(k)),
        `only in ${locale}`,
      ).toEqual([]);
    }
  });

  it('have no empty message', () => {
    for (const locale of LOCALES) {
      for (const [key, entry] of Object.entries(catalogs[locale])) {
        expect(entry.message.trim(), `${locale}/${key}`).not.toBe('');
      }
    }
  });

  it('declare the same placeholders in every language, and use each of them', () => {
    for (const [key, entry] of Object.entries(en)) {
      const expected = declared(entry);
      for (const locale of LOCALES) {
        const other = catalogs[locale][key];
        if (!other) continue; // reported by the first test
        expect(declared(other), `placeholders of ${locale}/${key}`).toEqual(expected);
        expect(used(other), `placeholders used by ${locale}/${key}`).toEqual(Object.keys(expected).sort());
      }
    }
  });

  it('use "$" only for placeholders ($$ for a literal dollar)', () => {
    for (const locale of LOCALES) {
      for (const [key, entry] of Object.entries(catalogs[locale])) {
        const rest = entry.message.replace(/\$\$|\$[A-Za-z0-9_@]+\$/g, '');
        expect(rest.includes('$'), `stray $ in ${locale}/${key}: ${entry.message}`).toBe(false);
        for (const content of Object.values(declared(entry))) expect(content).toMatch(/^\$[1-9]$/);
      }
    }
  });

  it('keep the extension name and description', () => {
    for (const locale of LOCALES) {
      expect(catalogs[locale].extName?.message).toBeTruthy();
      expect(catalogs[locale].extDescription?.message).toBeTruthy();
    }
  });

  it('have every key the code asks for', () => {
    const missing = [...sourceKeys()]
      .filter(([key]) => !(key in en))
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('have a sentence for every reason code, with the placeholders lib/check fills', () => {
    for (const code of ReasonCode.options) {
      const entry = en[reasonKey(code)];
      expect(entry, code).toBeDefined();
      if (!entry) continue;
      const byPosition = Object.entries(declared(entry))
        .sort(([, a], [, b]) => a.localeCompare(b))
        .map(([name]) => name);
      expect(byPosition, code).toEqual([...REASON_ARGS[code]]);
    }
  });

  it('name every level, marketplace, report reason and feed error', () => {
    const keys = [
      ...Level.options.flatMap((l) => [`badge_${l}`, `level_${l}_title`]),
      ...MARKETPLACES.map((m) => `marketplace_${m}`),
      ...ReportReason.options.map((r) => `report_reason_${r.replaceAll('-', '_')}`),
      ...KNOWN_FEED_ERRORS.map((c) => feedErrorKey(c)),
    ];
    expect(keys.filter((k) => !(k in en))).toEqual([]);
  });

  it('keep the English names the external tests look for', () => {
    expect(en.report_button?.message).toBe('Report');
    expect(en.add_feed_label?.message).toBe('Feed URL');
    expect(en.add_feed_button?.message).toBe('Add feed');
  });

  it('put the badge word inside the headline (the accessible name contains the visible word)', () => {
    const pairs: [string, string][] = [
      ['badge_ok', 'level_ok_title'],
      ['badge_caution', 'level_caution_title'],
      ['badge_danger', 'level_danger_title'],
      ['badge_danger_price', 'level_danger_price_title'],
      ['badge_unknown', 'level_unknown_title'],
      ['badge_unknown_unchecked', 'level_unknown_unchecked_title'],
    ];
    for (const locale of LOCALES) {
      for (const [word, title] of pairs) {
        const w = catalogs[locale][word]?.message ?? '?';
        const h = catalogs[locale][title]?.message ?? '';
        expect(h.toLowerCase(), `${locale}: ${title} should contain ${word}`).toContain(w.toLowerCase());
      }
    }
  });
});

describe('formatMessage', () => {
  it('substitutes named placeholders by position, as the browsers do', () => {
    const entry: CatalogEntry = {
      message: '$SELLER$ is not on $BRAND$’s list',
      placeholders: { seller: { content: '$1' }, brand: { content: '$2' } },
    };
    expect(formatMessage(entry, ['Cheap Skates', 'ACME'])).toBe('Cheap Skates is not on ACME’s list');
  });

  it('leaves substituted text alone, turns $$ into $, and blanks missing arguments', () => {
    const entry: CatalogEntry = {
      message: '$$ $A$|$B$',
      placeholders: { a: { content: '$1' }, b: { content: '$2' } },
    };
    expect(formatMessage(entry, ['$2 and $B$'])).toBe('$ $2 and $B$|');
  });

  it('fills every English reason sentence without leftovers', () => {
    for (const code of ReasonCode.options) {
      const entry = en[reasonKey(code)];
      if (!entry) continue;
      const text = formatMessage(
        entry,
        REASON_ARGS[code].map((n) => `<${n}>`),
      );
      for (const n of REASON_ARGS[code]) expect(text).toContain(`<${n}>`);
      expect(text).not.toMatch(/\$/);
    }
  });
});
