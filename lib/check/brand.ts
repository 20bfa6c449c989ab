import { normalizeName } from '../feed/names';
import type { BrandRecord, StoreReader } from '../store/types';

/**
 * Which brand a listing is of. Conservative on purpose: a wrong brand turns an honest seller of
 * another brand into "not an authorized seller", which is far worse than saying nothing, so every
 * doubt ends in "no brand".
 *
 * 1. The page's brand field (adapters already strip "Visit the X Store" / "Brand: X" noise; the
 *    same few patterns are stripped again here as a second line of defence) is normalized with
 *    normalizeName and looked up exactly (findBrandsByName). One brand: that one. Several: the one
 *    whose own name (not an alias) is that key, if exactly one is; otherwise none. Chinese shops
 *    write the brand twice ("Nike/耐克", "华为（HUAWEI）"): when the whole field matches nothing,
 *    each part is looked up, and all parts that name a brand must name the same one. A field
 *    that names no known brand means "a brand we have no list for" (reason no-feed), and the
 *    title is NOT consulted then: the page has told us the brand.
 * 2. Only when the page shows no brand field: the title, matched as an exact sequence of whole
 *    tokens at the very start of the title (optionally after leading bracketed tags such as
 *    "【官方正品】"). Latin-script tokens must match whole ("Nikes" is not "Nike"); Han/Kana have
 *    no word boundaries, so a key ending in Han/Kana may be followed directly by more of them
 *    ("耐克男鞋" starts with "耐克"). Names too short or too generic to be evidence are skipped:
 *    fewer than 3 letters/digits, a single Han/Kana character, digits only, and a short list of
 *    common words ("original", "new", "generic", "正品", ...). If names of two different brands
 *    match, none is picked. "Case for Apple iPhone" never matches Apple: only the start counts.
 */

export type BrandDetection =
  | { kind: 'found'; brand: BrandRecord; via: 'brand-field' | 'title' }
  /** The page names a brand, but no list we hold is for that name. */
  | { kind: 'unlisted'; name: string }
  /** Several brands fit and none stands out. */
  | { kind: 'ambiguous'; candidates: string[] }
  /** The page names no brand (or a generic one) and the title matches none. */
  | { kind: 'none' };

/** Words that are brand fields on some listings but say nothing about who made the product. */
const GENERIC = new Set([
  'generic',
  'unbranded',
  'no brand',
  'nobrand',
  'non-branded',
  'unknown',
  'n/a',
  'na',
  'none',
  'other',
  'others',
  'original',
  'new',
  'official',
  'genuine',
  'authentic',
  'premium',
  'brand',
  'store',
  'shop',
  'the',
  'for',
  'with',
  'home',
  'sport',
  'sports',
  'pro',
  'classic',
  'kids',
  'baby',
  'men',
  'women',
  'case',
  'made',
  '无品牌',
  '无',
  '其他',
  '其它',
  '通用',
  '正品',
  '原装',
  '新款',
  '官方',
  '旗舰店',
  'ノーブランド',
  'ノーブランド品',
]);

/** Scripts written without spaces between words. */
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc]/u;
const TOKEN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc]+|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc])[\p{L}\p{N}\p{M}])+/gu;
/** Leading tags such as 【官方正品】, [New], (2024), 「限定」 before the real title. */
const LEADING_TAG =
  /^\s*(?:【[^】]{0,40}】|\[[^\]]{0,40}\]|\([^)]{0,40}\)|（[^）]{0,40}）|「[^」]{0,40}」|〔[^〕]{0,40}〕|『[^』]{0,40}』)\s*/u;

/** Whole tokens: runs of letters/digits/marks, split where Han/Kana meets other scripts. */
export function tokens(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

function isUnspaced(token: string): boolean {
  return UNSPACED.test(token);
}

/** Brand-field noise the adapters should already have removed. */
function cleanBrandField(raw: string): string {
  let s = normalizeName(raw);
  const patterns: RegExp[] = [
    /^visit the (.+?) store$/u,
    /^(?:brand|marque|marca|marke|品牌|ブランド)\s*[:：]\s*(.+)$/u,
    /^(.+?) store$/u,
  ];
  for (const p of patterns) {
    const m = p.exec(s);
    if (m?.[1]) {
      s = m[1].trim();
      break;
    }
  }
  return s;
}

/** True when a name is too short or too common to identify a brand inside a title. */
export function isWeakTitleKey(key: string): boolean {
  if (GENERIC.has(key)) return true;
  const toks = tokens(key);
  if (toks.length === 0) return true;
  const joined = toks.join('');
  if (/^\p{N}+$/u.test(joined)) return true;
  const unspaced = [...joined].filter((c) => UNSPACED.test(c)).length;
  if (unspaced > 0) return unspaced < 2 && joined.length < 3;
  return [...joined].length < 3;
}

/** Does the title (as tokens) begin with the key's tokens? */
export function startsWithKey(titleTokens: readonly string[], keyTokens: readonly string[]): boolean {
  if (keyTokens.length === 0 || titleTokens.length < keyTokens.length) return false;
  for (let i = 0; i < keyTokens.length; i++) {
    const k = keyTokens[i] as string;
    const t = titleTokens[i] as string;
    if (t === k) continue;
    // Han/Kana run onto the next word: the last key token may be a prefix of the title's token.
    if (i === keyTokens.length - 1 && isUnspaced(k) && t.startsWith(k)) continue;
    return false;
  }
  return true;
}

/** Token lists the title may start with: as written, and without leading bracketed tags. */
export function titleStarts(title: string): string[][] {
  const normalized = normalizeName(title);
  const out = [tokens(normalized)];
  let rest = normalized;
  for (let i = 0; i < 3; i++) {
    const m = LEADING_TAG.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
    out.push(tokens(rest));
  }
  return out.filter((t) => t.length > 0);
}

function uniqueBrands(records: BrandRecord[]): BrandRecord[] {
  const seen = new Map<string, BrandRecord>();
  for (const r of records) if (!seen.has(r.brandId)) seen.set(r.brandId, r);
  return [...seen.values()];
}

/** One brand for a name key: the only match, or the one whose own name it is; else ambiguous. */
async function byKey(key: string, store: StoreReader): Promise<BrandDetection | null> {
  const found = uniqueBrands(await store.findBrandsByName(key));
  if (found.length === 1 && found[0]) return { kind: 'found', brand: found[0], via: 'brand-field' };
  if (found.length > 1) {
    const exact = found.filter((b) => normalizeName(b.name) === key);
    if (exact.length === 1 && exact[0]) return { kind: 'found', brand: exact[0], via: 'brand-field' };
    return { kind: 'ambiguous', candidates: found.map((b) => b.brandId).sort() };
  }
  return null;
}

/** "Nike/耐克", "华为（HUAWEI）", "Logitech | 罗技": one brand written twice, in two scripts. */
const PART_SEPARATORS = /\s*[/|()[\]]\s*/u;

async function byBrandField(raw: string, store: StoreReader): Promise<BrandDetection> {
  const keys = [...new Set([normalizeName(raw), cleanBrandField(raw)])].filter((k) => k !== '');
  if (keys.length === 0 || keys.every((k) => GENERIC.has(k))) return { kind: 'none' };
  for (const key of keys) {
    const hit = await byKey(key, store);
    if (hit) return hit;
  }
  // Each part on its own; every part that names a brand must name the same one.
  const parts = [...new Set(keys.flatMap((k) => k.split(PART_SEPARATORS)))].filter(
    (p) => p !== '' && !GENERIC.has(p) && !keys.includes(p),
  );
  const brands = new Map<string, BrandRecord>();
  for (const part of parts) {
    const hit = await byKey(part, store);
    if (hit?.kind === 'ambiguous') return hit;
    if (hit?.kind === 'found') brands.set(hit.brand.brandId, hit.brand);
  }
  const [only, ...more] = [...brands.values()];
  if (only && more.length === 0) return { kind: 'found', brand: only, via: 'brand-field' };
  if (only) return { kind: 'ambiguous', candidates: [...brands.keys()].sort() };
  return { kind: 'unlisted', name: raw };
}

/** A title-usable name key, tokenized once. */
interface TitleKey {
  brandId: string;
  tokens: string[];
}

/** The usable name keys by their first token (weak keys left out). */
type TitleIndex = Map<string, TitleKey[]>;

/**
 * Indexes by the list the store returned: the store hands back the same list while no import
 * changed it, so the keys are tokenized once rather than on every title-only check.
 */
const titleIndexes = new WeakMap<readonly { key: string; brandId: string }[], TitleIndex>();

function titleIndex(keys: readonly { key: string; brandId: string }[]): TitleIndex {
  let index = titleIndexes.get(keys);
  if (index) return index;
  index = new Map();
  for (const { key, brandId } of keys) {
    if (isWeakTitleKey(key)) continue;
    const keyTokens = tokens(key);
    const head = keyTokens[0];
    if (head === undefined) continue;
    const list = index.get(head);
    if (list) list.push({ brandId, tokens: keyTokens });
    else index.set(head, [{ brandId, tokens: keyTokens }]);
  }
  titleIndexes.set(keys, index);
  return index;
}

async function byTitle(title: string, store: StoreReader): Promise<BrandDetection> {
  const starts = titleStarts(title);
  if (starts.length === 0) return { kind: 'none' };
  const index = titleIndex(await store.brandNameKeys());
  // Keys whose first token equals a title start's first token, or (Han/Kana, which run onto the
  // next word) is a prefix of it.
  const candidates = new Set<TitleKey>();
  for (const t of new Set(starts.map((s) => s[0]))) {
    if (t === undefined) continue;
    for (const k of index.get(t) ?? []) candidates.add(k);
    for (let i = 1; i < t.length; i++) {
      const head = t.slice(0, i);
      if (!isUnspaced(head)) continue;
      for (const k of index.get(head) ?? []) candidates.add(k);
    }
  }
  const matched = new Set<string>();
  for (const k of candidates) {
    if (starts.some((t) => startsWithKey(t, k.tokens))) matched.add(k.brandId);
  }
  if (matched.size === 0) return { kind: 'none' };
  if (matched.size > 1) return { kind: 'ambiguous', candidates: [...matched].sort() };
  const [brandId] = [...matched];
  const brand = brandId === undefined ? null : await store.getBrand(brandId);
  return brand ? { kind: 'found', brand, via: 'title' } : { kind: 'none' };
}

/** Decides the brand of a listing from its brand field, else its title (see the module comment). */
export async function detectBrand(
  input: { brand: string | null; title: string | null },
  store: StoreReader,
): Promise<BrandDetection> {
  const field = input.brand?.trim() ?? '';
  if (field !== '') return byBrandField(field, store);
  if (input.title && input.title.trim() !== '') return byTitle(input.title, store);
  return { kind: 'none' };
}
