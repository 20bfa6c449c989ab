import { getDomain } from 'tldts';

/**
 * Product URLs: which registrable domain a page belongs to, the listing id a URL names, and the
 * canonical product URL without tracking parameters (what a snapshot's `url` and a report's
 * `listing.url` carry, feed-format.md section 6).
 *
 * Every function here is pure and total: bad input gives null (or the input unchanged), never
 * an exception.
 */

/** Second-level labels that are not a registrable name on their own even where the PSL lacks them. */
const GENERIC_SLD = new Set(['com', 'co', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/**
 * The registrable domain ("amazon.co.uk", "tmall.com") of a URL or hostname, lower-cased; null
 * for IP addresses, localhost and junk.
 *
 * The public suffix list has no "com.be", so tldts calls www.amazon.com.be's domain "com.be";
 * a generic second-level label like that is extended by one label ("amazon.com.be").
 */
export function siteOf(input: URL | string | null | undefined): string | null {
  if (input == null) return null;
  let host: string;
  try {
    host = (
      typeof input === 'string' ? (input.includes('/') ? new URL(input).hostname : input) : input.hostname
    )
      .toLowerCase()
      .replace(/\.$/, '');
  } catch {
    return null;
  }
  if (host === '' || host.length > 253) return null;
  const domain = getDomain(host);
  if (!domain) return null;
  const labels = domain.split('.');
  if (labels.length === 2 && GENERIC_SLD.has(labels[0] ?? '')) {
    const hostLabels = host.split('.');
    if (hostLabels.length > labels.length) return hostLabels.slice(-3).join('.');
  }
  return domain;
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
 * The canonical product URL for a page: the marketplace's own short form where one exists
 * (Amazon https://www.amazon.<tld>/dp/<ASIN>, eBay https://www.ebay.<tld>/itm/<id>), otherwise the
 * page's URL with only the listing-identifying parameter kept (Taobao/Tmall `?id=`, Best Buy
 * `skuId`, Flipkart `pid`, Target `preselect`); on other shops, the URL without tracking
 * parameters or fragment. `id` overrides the id read from the URL (the selected variation).
 * Null when the input is not an http(s) URL.
 */
export function canonicalUrl(input: URL | string, id: string | null = null): string | null {
  const u = parseUrl(input);
  if (!u) return null;
  const site = siteOf(u);
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
