/**
 * Product URLs without the public suffix list: the URL helpers adapters share, the canonical
 * product URL once the page's site is known, and `siteIn`, which names the registrable domain of
 * a URL from a list of known domains (the adapters' own) instead of tldts.
 *
 * Why: this module is on the path of the marketplace content script, which runs on every product
 * page a shopper opens; tldts and its suffix list would add ~48 kB gzipped to it. Marketplace
 * adapters only ever need to recognise their own domains, which they list. lib/sites/url.ts adds
 * the tldts-based siteOf and canonicalUrl for everything else (any shop's domain, the background).
 *
 * Every function here is pure and total: bad input gives null (or the input unchanged), never
 * an exception.
 */

/**
 * tldts's hostname check (tldts-core is-valid.ts, kept to the letter): at most 255 characters,
 * labels of at most 63 among a-z, 0-9, "-", "_" and non-ASCII, no empty label inside, none starting
 * or ending with "-". A host tldts refuses has no registrable domain there, so none here either.
 */
function validHostname(host: string): boolean {
  if (host.length === 0 || host.length > 255) return false;
  const valid = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
  const first = host.charCodeAt(0);
  if (!valid(first) && first !== 46 && first !== 95) return false;
  let lastDot = -1;
  let last = -1;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c === 46) {
      if (i - lastDot > 64 || last === 46 || last === 45) return false;
      lastDot = i;
    } else if (!(valid(c) || c === 45 || c === 95) || (c === 45 && last === 46)) {
      return false;
    }
    last = c;
  }
  return host.length - lastDot - 1 <= 63 && last !== 45;
}

/**
 * The registrable domain of `input` among `domains` (a set of registrable domains such as an
 * adapter's "amazon.com", "amazon.co.uk", ...): the longest one the hostname equals or ends with
 * at a label boundary ("www.amazon.com.be" is on amazon.com.be, "evilamazon.com" on nothing).
 * Null when the host is on none of them, is an IP address, or is not a valid hostname.
 *
 * For hosts on a listed domain this is what lib/sites/url.ts siteOf (tldts) answers, as long as
 * the public suffix list has no rule below a listed domain: test/unit/sites/site.test.ts checks
 * that for every adapter's domains.
 */
export function siteIn(
  input: URL | string | null | undefined,
  domains: { has(domain: string): boolean },
): string | null {
  if (input == null) return null;
  let host: string;
  try {
    host = (
      typeof input === 'string' ? (input.includes('/') ? new URL(input).hostname : input) : input.hostname
    )
      .toLowerCase()
      .replace(/\.+$/, '');
  } catch {
    return null;
  }
  if (host.length > 253 || !validHostname(host)) return null;
  // From the whole host down to its last label: the first listed one is the longest match.
  let rest = host;
  for (;;) {
    if (domains.has(rest)) return rest;
    const dot = rest.indexOf('.');
    if (dot === -1) return null;
    rest = rest.slice(dot + 1);
  }
}

/** Parses an absolute http(s) URL; null otherwise. */
export function parseUrl(input: URL | string | null | undefined): URL | null {
  if (input == null) return null;
  try {
    const u = new URL(typeof input === 'string' ? input : input.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/** Query parameters that only track where the shopper came from (stripped everywhere). */
const TRACKING_PARAM =
  /^(utm_[a-z_]*|gclid|gclsrc|gbraid|wbraid|dclid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid|twclid|ttclid|li_fat_id|epik|s_kwcid|ef_id|srsltid|ref|ref_|tag|linkcode|linkid|ascsubtag|pd_rd_[a-z]+|pf_rd_[a-z]+|qid|sr|crid|sprefix|spm|scm|pvid|_trkparms|_trksid|mkcid|mkrid|campid|customid|toolid|mkevt|amdata|clickid|irclickid|irgwc|cmpid|affid)$/i;

/**
 * Drops the fragment, tracking parameters (utm_*, gclid, fbclid, Amazon/eBay/AliExpress
 * referral parameters, ...) and upgrades http to https. Other parameters stay in their order:
 * on a shop we know nothing about, one of them may identify the product (?variant=, ?id=).
 */
export function stripTracking(input: URL | string): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  const out = new URL(u.href);
  out.protocol = 'https:';
  out.hash = '';
  out.username = '';
  out.password = '';
  const keep: [string, string][] = [];
  for (const [k, v] of u.searchParams) if (!TRACKING_PARAM.test(k)) keep.push([k, v]);
  out.search = '';
  for (const [k, v] of keep) out.searchParams.append(k, v);
  return out.href;
}

/**
 * Amazon ASIN (10 characters: ISBN-10 or B0...) named by a product detail URL's path
 * (/dp/, /gp/product/, /gp/aw/d/, /exec/obidos/ASIN/), upper-cased; null for other pages.
 */
export function amazonAsinFromUrl(input: URL | string): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  const m =
    /\/(?:dp|gp\/product|gp\/aw\/d|exec\/obidos\/(?:ASIN|tg\/detail\/-)|o\/ASIN)\/([A-Za-z0-9]{10})(?:[/?#]|$)/.exec(
      u.pathname,
    );
  return m?.[1] ? m[1].toUpperCase() : null;
}

/** eBay item number from /itm/<id> or /itm/<slug>/<id> (9 to 15 digits). */
export function ebayItemIdFromUrl(input: URL | string): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  const m = /^\/itm\/(?:[^/]+\/)?(\d{9,15})(?:[/?#]|$)/.exec(u.pathname);
  return m?.[1] ?? null;
}

/** Keeps the origin and path, and only the listed query parameters (first value of each). */
function keepOnly(u: URL, params: readonly string[]): string {
  const out = new URL(`https://${u.host}${u.pathname}`);
  for (const p of params) {
    const v = u.searchParams.get(p);
    if (v) out.searchParams.set(p, v);
  }
  return out.href;
}

interface Rule {
  /** Registrable domain test. */
  readonly domain: RegExp;
  readonly canonical: (u: URL, site: string, id: string | null) => string | null;
}

const RULES: readonly Rule[] = [
  {
    // https://www.amazon.<tld>/dp/<ASIN>; `id` (the selected variation's ASIN) wins over the path's.
    domain: /^amazon\./,
    canonical: (u, site, id) => {
      const asin = id && /^[A-Z0-9]{10}$/.test(id) ? id : amazonAsinFromUrl(u);
      return asin ? `https://www.${site}/dp/${asin}` : null;
    },
  },
  {
    domain: /^ebay\./,
    canonical: (u, site, id) => {
      const item = id && /^\d{9,15}$/.test(id) ? id : ebayItemIdFromUrl(u);
      return item ? `https://www.${site}/itm/${item}` : null;
    },
  },
  {
    // item.taobao.com/item.htm?id=<id>, world.taobao.com/item/<id>.htm, h5/m pages with ?id=
    domain: /^(taobao\.com|tmall\.com|tmall\.hk|liangxinyao\.com)$/,
    canonical: (u, _site, id) => {
      const fromQuery = u.searchParams.get('id');
      const fromPath = /\/item\/(\d+)\.html?$/.exec(u.pathname)?.[1] ?? null;
      const item = id && /^\d+$/.test(id) ? id : fromQuery && /^\d+$/.test(fromQuery) ? fromQuery : fromPath;
      if (!item) return null;
      if (fromPath && !fromQuery) return `https://${u.host}${u.pathname}`;
      return `https://${u.host}${u.pathname}?id=${item}`;
    },
  },
  {
    // item.jd.com/<id>.html, npcitem.jd.hk/<id>.html, item.m.jd.com/product/<id>.html
    domain: /^jd\.(com|hk)$/,
    canonical: (u) => `https://${u.host}${u.pathname}`,
  },
  {
    // /site/<slug>/<sku>.p?skuId=<sku>
    domain: /^bestbuy\.(com|ca)$/,
    canonical: (u) => keepOnly(u, ['skuId']),
  },
  {
    // /ip/<slug>/<id> -> /ip/<id>
    domain: /^walmart\./,
    canonical: (u) => {
      const m = /^\/ip\/(?:[^/]+\/)?([A-Za-z0-9]+)\/?$/.exec(u.pathname);
      return m?.[1] ? `https://${u.host}/ip/${m[1]}` : `https://${u.host}${u.pathname}`;
    },
  },
  {
    // /item/<id>.html on any aliexpress host
    domain: /^aliexpress\.(com|us|ru)$/,
    canonical: (u) => {
      const m = /\/item\/(?:[^/]+\/)?(\d+)\.html$/.exec(u.pathname);
      return m?.[1] ? `https://${u.host}/item/${m[1]}.html` : `https://${u.host}${u.pathname}`;
    },
  },
  {
    // /listing/<id>/<slug>, /<lang>/listing/<id> -> /listing/<id>
    domain: /^etsy\.com$/,
    canonical: (u) => {
      const m = /^(?:\/[a-z]{2}(?:-[a-z]{2})?)?\/listing\/(\d+)/i.exec(u.pathname);
      return m?.[1] ? `https://www.etsy.com/listing/${m[1]}` : `https://${u.host}${u.pathname}`;
    },
  },
  {
    // /p/<slug>/-/A-<tcin>; ?preselect=<child tcin> picks the variation
    domain: /^target\.com$/,
    canonical: (u) => keepOnly(u, ['preselect']),
  },
  {
    // /<slug>/p/<itm id>?pid=<variation>
    domain: /^flipkart\.com$/,
    canonical: (u) => keepOnly(u, ['pid']),
  },
  {
    domain: /^(shopee\.|mercadoli[bv]re\.|rakuten\.|mercari\.com$)/,
    canonical: (u) => `https://${u.host}${u.pathname}`,
  },
];

/**
 * The canonical product URL for a page on `site` (its registrable domain, null when unknown): the
 * marketplace's own short form where one exists (Amazon https://www.amazon.<tld>/dp/<ASIN>, eBay
 * https://www.ebay.<tld>/itm/<id>), otherwise the page's URL with only the listing-identifying
 * parameter kept (Taobao/Tmall `?id=`, Best Buy `skuId`, Flipkart `pid`, Target `preselect`); on
 * other shops, the URL without tracking parameters or fragment. `id` overrides the id read from the
 * URL (the selected variation). Null when the input is not an http(s) URL.
 * lib/sites/url.ts canonicalUrl is this with the site named by tldts.
 */
export function canonicalFor(
  input: URL | string,
  site: string | null,
  id: string | null = null,
): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  if (site) {
    for (const rule of RULES) {
      if (!rule.domain.test(site)) continue;
      try {
        const out = rule.canonical(u, site, id);
        if (out) return out;
      } catch {
        // fall through to the generic form
      }
      break;
    }
  }
  return stripTracking(u);
}
