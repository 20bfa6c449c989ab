import { getDomain } from 'tldts';
import { z } from 'zod';
import { Channel, formatPath } from '../lib/feed';
import { SITE_PATTERNS } from '../lib/feed/lint';
import { normalizeName } from '../lib/feed/names';
import { MARKETPLACES, type Marketplace } from '../lib/sites/snapshot';

/**
 * Spreadsheet exports of authorized sellers -> feed `channels`. Pure (no file system) so it is
 * unit-tested directly; `genuine-feed from-csv` reads and writes the files.
 */

export type CsvRecord = { line: number; cells: string[] };

/** The delimiter a header line uses: comma, semicolon (European Excel) or tab. */
function detectDelimiter(text: string): string {
  let inQuotes = false;
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, newlines and doubled quotes; CRLF or LF; a
 * leading byte-order mark is dropped. Each record carries the line it starts on. Throws on an
 * unterminated quote, naming its line.
 */
export function parseCsv(input: string): { records: CsvRecord[]; delimiter: string } {
  const text = input.replace(/^\ufeff/, '');
  const delimiter = detectDelimiter(text);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedAt = 0;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      inQuotes = true;
      quotedAt = line;
      field = '';
    } else if (ch === delimiter) {
      cells.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(field);
      records.push({ line: recordLine, cells });
      cells = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new Error(`line ${quotedAt}: a quoted field is never closed`);
  if (field !== '' || cells.length > 0) {
    cells.push(field);
    records.push({ line: recordLine, cells });
  }
  return { records: records.filter((r) => r.cells.some((c) => c.trim() !== '')), delimiter };
}

type Column = 'marketplace' | 'site' | 'id' | 'name' | 'domain' | 'relation' | 'until';

/** Header spellings, compared lower-cased with everything but letters and digits removed. */
const HEADERS: Record<Column, string[]> = {
  marketplace: ['marketplace', 'market', 'platform', 'channel', 'marketplaceid'],
  site: [
    'site',
    'sites',
    'marketplacesite',
    'marketplacesites',
    'marketplacedomain',
    'sitedomain',
    'country',
    'storefront',
  ],
  id: [
    'sellerid',
    'id',
    'merchantid',
    'merchanttoken',
    'storeid',
    'shopid',
    'vendorid',
    'username',
    'sellerusername',
    'sellercode',
  ],
  name: [
    'sellername',
    'name',
    'seller',
    'storename',
    'shopname',
    'merchantname',
    'merchant',
    'vendor',
    'vendorname',
    'displayname',
  ],
  domain: ['domain', 'sellerdomain', 'shopdomain', 'website', 'url'],
  relation: ['relation', 'relationship', 'role', 'type', 'sellertype'],
  until: ['until', 'validuntil', 'authorizeduntil', 'expires', 'expiry', 'enddate'],
};

const MARKETPLACE_ALIASES: Record<string, Marketplace> = {
  mercadolivre: 'mercadolibre',
  jdcom: 'jd',
  jingdong: 'jd',
  website: 'web',
  webshop: 'web',
  eshop: 'web',
  onlineshop: 'web',
  ownsite: 'web',
  shop: 'web',
};

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function closest(value: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(value, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

export function marketplaceOf(value: string): Marketplace | null {
  const key = squash(value.replace(/\.(com|[a-z]{2,3})(\.[a-z]{2})?$/i, ''));
  if ((MARKETPLACES as readonly string[]).includes(key)) return key as Marketplace;
  return MARKETPLACE_ALIASES[key] ?? null;
}

/** "https://www.amazon.co.uk/shops" -> "amazon.co.uk"; null when it is no domain. */
export function siteOf(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (v === '*' || v === 'all') return '*';
  const host = v.replace(/^[a-z]+:\/\//, '').replace(/[/?#:].*$/, '');
  if (!/^[a-z0-9.-]+$/.test(host)) return null;
  return getDomain(host);
}

function isoUntil(value: string): string | null {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v))
    return Number.isFinite(Date.parse(`${v}T00:00:00Z`)) ? `${v}T00:00:00Z` : null;
  return z.iso.datetime({ offset: true }).safeParse(v).success ? v : null;
}

export type CsvChannels = {
  channels: Channel[];
  errors: string[];
  warnings: string[];
  rows: number;
  sellers: number;
};

type Seller = Channel['sellers'][number];

/**
 * Builds channels from parsed CSV: the first record is the header. Rows with the same marketplace
 * and the same set of sites become one channel. Every problem names its line.
 */
export function channelsFromCsv(
  records: CsvRecord[],
  options: { complete: boolean; file?: string },
): CsvChannels {
  const where = (line: number) => `${options.file ?? 'csv'}:${line}`;
  const errors: string[] = [];
  const warnings: string[] = [];
  const [header, ...rows] = records;
  if (!header)
    return { channels: [], errors: [`${options.file ?? 'csv'}: empty file`], warnings, rows: 0, sellers: 0 };

  const columns = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const key = squash(cell);
    for (const [column, names] of Object.entries(HEADERS) as [Column, string[]][]) {
      if (names.includes(key) && !columns.has(column)) {
        columns.set(column, i);
        return;
      }
    }
    if (key !== '') warnings.push(`${where(header.line)}: column "${cell.trim()}" is not used`);
  });
  if (!columns.has('marketplace') || !(columns.has('id') || columns.has('name') || columns.has('domain'))) {
    errors.push(
      `${where(header.line)}: the header needs a marketplace column and a seller id or seller name column; found: ${header.cells.map((c) => `"${c.trim()}"`).join(', ')}`,
    );
    return { channels: [], errors, warnings, rows: rows.length, sellers: 0 };
  }
  const cell = (record: CsvRecord, column: Column) => {
    const i = columns.get(column);
    return i === undefined ? '' : (record.cells[i] ?? '').trim();
  };

  const groups = new Map<
    string,
    { marketplace: Marketplace; sites: string[] | undefined; sellers: Seller[]; seen: Map<string, number> }
  >();
  let sellers = 0;
  for (const row of rows) {
    const at = where(row.line);
    const rawMarketplace = cell(row, 'marketplace');
    const marketplace = marketplaceOf(rawMarketplace);
    if (marketplace === null) {
      const near = closest(squash(rawMarketplace), MARKETPLACES);
      errors.push(
        `${at}: unknown marketplace "${rawMarketplace}"${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${MARKETPLACES.join(', ')}`,
      );
      continue;
    }

    let sites: string[] | undefined;
    const rawSites = cell(row, 'site');
    if (marketplace !== 'web') {
      const parts = rawSites.split(/[\s,;|]+/).filter((s) => s !== '');
      const found = new Set<string>();
      let bad = false;
      for (const part of parts) {
        const site = siteOf(part);
        if (site === null) {
          errors.push(`${at}: site "${part}" is not a domain such as amazon.co.uk`);
          bad = true;
        } else {
          if (site !== '*' && !SITE_PATTERNS[marketplace].test(site)) {
            warnings.push(`${at}: site "${site}" is not a site of ${marketplace}`);
          }
          found.add(site);
        }
      }
      if (bad) continue;
      sites = found.size === 0 || found.has('*') ? ['*'] : [...found].sort();
    }

    const seller: Seller = {};
    let id = cell(row, 'id');
    const name = cell(row, 'name').replace(/\s+/g, ' ');
    let domain = cell(row, 'domain');
    if (marketplace === 'web') {
      const raw = domain || id || rawSites;
      const d = raw ? siteOf(raw) : null;
      if (d === null || d === '*') {
        errors.push(`${at}: a web seller needs the domain of its shop${raw ? ` ("${raw}" is not one)` : ''}`);
        continue;
      }
      domain = d;
      id = '';
      seller.domain = domain;
    } else {
      if (marketplace === 'amazon') id = id.toUpperCase();
      if (marketplace === 'ebay') id = id.toLowerCase();
      if (id) seller.id = id;
      if (!id && !name) {
        errors.push(`${at}: the row has neither a seller id nor a seller name`);
        continue;
      }
    }
    if (name) seller.name = name;
    const relation = cell(row, 'relation').toLowerCase();
    if (relation) seller.relation = relation;
    const rawUntil = cell(row, 'until');
    if (rawUntil) {
      const until = isoUntil(rawUntil);
      if (until === null) {
        errors.push(`${at}: until "${rawUntil}" is not a date such as 2026-12-31`);
        continue;
      }
      seller.until = until;
    }

    const key = `${marketplace}|${sites?.join(' ') ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { marketplace, sites, sellers: [], seen: new Map() };
      groups.set(key, group);
    }
    const identity = seller.id
      ? `id ${seller.id}`
      : seller.domain
        ? `domain ${seller.domain}`
        : `name ${normalizeName(seller.name ?? '')}`;
    const first = group.seen.get(identity);
    if (first !== undefined) {
      warnings.push(`${at}: duplicate of line ${first} (${identity}); dropped`);
      continue;
    }
    group.seen.set(identity, row.line);
    group.sellers.push(seller);
    sellers++;
  }

  const channels: Channel[] = [...groups.values()].map((g) => ({
    marketplace: g.marketplace,
    ...(g.sites ? { sites: g.sites } : {}),
    complete: options.complete,
    sellers: g.sellers,
  }));
  const checked = z.array(Channel).safeParse(channels);
  if (!checked.success) {
    for (const issue of checked.error.issues)
      errors.push(`channels${formatPath(issue.path).replace(/^\(document\)$/, '')}: ${issue.message}`);
  }
  return { channels, errors, warnings, rows: rows.length, sellers };
}

/** Same marketplace and the same set of sites: the channel the CSV replaces. */
function sameChannel(a: { marketplace: string; sites?: string[] | undefined }, b: Channel): boolean {
  const sa = [...(a.sites ?? ['*'])].sort().join(' ');
  const sb = [...(b.sites ?? ['*'])].sort().join(' ');
  return a.marketplace === b.marketplace && sa === sb;
}

/** Replaces the channels the CSV covers and appends the new ones; other channels stay. */
export function mergeChannels(
  existing: unknown,
  incoming: Channel[],
): { channels: unknown[]; replaced: number; added: number } {
  const channels: unknown[] = Array.isArray(existing) ? [...existing] : [];
  let replaced = 0;
  let added = 0;
  for (const channel of incoming) {
    const i = channels.findIndex((c) => {
      const parsed = Channel.safeParse(c);
      return parsed.success && sameChannel(parsed.data, channel);
    });
    if (i >= 0) {
      channels[i] = channel;
      replaced++;
    } else {
      channels.push(channel);
      added++;
    }
  }
  return { channels, replaced, added };
}
