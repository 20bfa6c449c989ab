/**
 * Small, safe DOM helpers for site adapters.
 *
 * Every helper is total: it never throws, whatever the page looks like (a selector the DOM
 * implementation rejects, a detached node, a missing attribute). Helpers whose result may be
 * absent say so in their name (`maybeText`, `maybeAttr`, ...) and return null rather than "".
 * They only read: nothing here writes page text into the DOM.
 *
 * Text is always whitespace-collapsed and trimmed, and capped so that a hostile page with a
 * 5 MB text node cannot make an adapter copy megabytes around.
 */

/** Longest string any helper returns; longer text is cut (snapshot fields are far shorter). */
export const MAX_TEXT = 4000;

type Root = Document | Element | DocumentFragment;

const WS = /(?:[\s\u00a0\u200b\u200e\u200f\u2028\u2029\ufeff]|\u200c|\u200d)+/g;

/** Collapses every run of whitespace (incl. NBSP, zero-width and bidi marks) to one space and trims. */
export function clean(input: string | null | undefined, max = MAX_TEXT): string {
  if (input == null) return '';
  // Cut before the regex so a huge string costs O(max), not O(length).
  const head = input.length > max * 2 ? input.slice(0, max * 2) : input;
  const out = head.replace(WS, ' ').trim();
  return out.length > max ? out.slice(0, max).trim() : out;
}

/** Like clean(), but null for an empty result. */
export function cleanOrNull(input: string | null | undefined, max = MAX_TEXT): string | null {
  const out = clean(input, max);
  return out === '' ? null : out;
}

const PLAIN_ID = /^#[A-Za-z][\w-]*$/;
const LEADING_ID = /^#([A-Za-z][\w-]*)(?=[\s.>+~[:]|$)/;

/**
 * False when the selector starts with an id that no element of the document has, so it cannot
 * match. getElementById is indexed in every DOM implementation, while a querySelector that
 * matches nothing walks the whole document (tens of ms on a 2 MB page in happy-dom); adapters
 * try many layout-specific ids in turn, most of them absent.
 */
function mayMatch(root: Root, selector: string): boolean {
  const m = LEADING_ID.exec(selector);
  if (!m?.[1]) return true;
  try {
    const doc: Document | null =
      root.nodeType === 9 ? (root as Document) : root.isConnected ? root.ownerDocument : null;
    if (!doc || typeof doc.getElementById !== 'function') return true;
    return doc.getElementById(m[1]) !== null;
  } catch {
    return true;
  }
}

/** First element matching the selector, or null (an invalid selector is null too). */
export function maybeOne(root: Root | null | undefined, selector: string): Element | null {
  if (!root) return null;
  try {
    if (!mayMatch(root, selector)) return null;
    // A bare "#id" on a document is getElementById: same answer, indexed, and no recursion
    // (happy-dom's querySelector overflows the stack on a 5,000-level-deep page).
    if (root.nodeType === 9 && PLAIN_ID.test(selector))
      return (root as Document).getElementById(selector.slice(1));
    return root.querySelector(selector);
  } catch {
    return null;
  }
}

/** First element matching any of the selectors, tried in order (the order is the preference). */
export function $(root: Root | null | undefined, selectors: readonly string[] | string): Element | null {
  const list = typeof selectors === 'string' ? [selectors] : selectors;
  for (const s of list) {
    const el = maybeOne(root, s);
    if (el) return el;
  }
  return null;
}

/** Every element matching the selector, in document order; [] on an invalid selector. */
export function $$(root: Root | null | undefined, selector: string, limit = 10_000): Element[] {
  if (!root) return [];
  try {
    if (!mayMatch(root, selector)) return [];
    const all = root.querySelectorAll(selector);
    const out: Element[] = [];
    for (let i = 0; i < all.length && i < limit; i++) {
      const el = all[i];
      if (el) out.push(el);
    }
    return out;
  } catch {
    return [];
  }
}

const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'svg', 'SVG']);
const INLINE = new Set(
  'A ABBR B BDI BDO CITE CODE DATA DFN EM FONT I KBD LABEL MARK Q S SAMP SMALL SPAN STRONG SUB SUP TIME U VAR WBR'.split(
    ' ',
  ),
);

/**
 * Whitespace-collapsed visible-ish text of a node: its text nodes in document order, without
 * the content of script, style, noscript and template elements (pages inline JavaScript in odd
 * places, and `textContent` would include it). Iterative, so 5,000 levels of nesting cannot
 * overflow the stack, and it stops reading once it has enough text. "" for null.
 */
export function text(node: Node | null | undefined, max = MAX_TEXT): string {
  if (!node) return '';
  try {
    if (node.nodeType === 3) return clean(node.nodeValue, max);
    const parts: string[] = [];
    let length = 0;
    const budget = max * 2;
    const stack: Node[] = [node];
    let visited = 0;
    while (stack.length > 0 && length < budget && visited < 200_000) {
      const n = stack.pop() as Node;
      visited++;
      if (n.nodeType === 3) {
        const v = n.nodeValue ?? '';
        parts.push(v.length > budget ? v.slice(0, budget) : v);
        length += v.length;
        continue;
      }
      if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) continue;
      if (n.nodeType === 1 && SKIPPED.has((n as Element).tagName)) continue;
      const kids = n.childNodes;
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i];
        if (k) stack.push(k);
      }
      // Block-level boundaries should not glue words together ("Sold by<div>X</div>"); inline
      // ones must not split them ("<span>25</span><span>.89</span>").
      if (n.nodeType === 1 && !INLINE.has((n as Element).tagName.toUpperCase())) parts.push(' ');
    }
    return clean(parts.join(''), max);
  } catch {
    return '';
  }
}

/** Text of the first element matching any selector that has non-empty text, or null. */
export function maybeText(
  root: Root | null | undefined,
  selectors: readonly string[] | string,
): string | null {
  const list = typeof selectors === 'string' ? [selectors] : selectors;
  for (const s of list) {
    const el = maybeOne(root, s);
    const t = text(el);
    if (t !== '') return t;
  }
  return null;
}

/** An attribute of an element, cleaned; null when absent or empty. */
export function attr(el: Element | null | undefined, name: string, max = MAX_TEXT): string | null {
  if (!el) return null;
  try {
    return cleanOrNull(el.getAttribute(name), max);
  } catch {
    return null;
  }
}

/** The attribute of the first element matching any selector that has it non-empty, or null. */
export function maybeAttr(
  root: Root | null | undefined,
  selectors: readonly string[] | string,
  name: string,
): string | null {
  const list = typeof selectors === 'string' ? [selectors] : selectors;
  for (const s of list) {
    const v = attr(maybeOne(root, s), name);
    if (v !== null) return v;
  }
  return null;
}

function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Content of `<meta name=..>` / `<meta property=..>` / `<meta itemprop=..>` (in that order),
 * e.g. metaContent(doc, 'og:title'). Null when absent or empty.
 */
export function metaContent(doc: Document | null | undefined, name: string): string | null {
  if (!doc) return null;
  const q = cssString(name);
  return maybeAttr(doc, [`meta[name=${q}]`, `meta[property=${q}]`, `meta[itemprop=${q}]`], 'content');
}

/** The canonical link of the page (`<link rel=canonical href>`), or null. */
export function maybeCanonical(doc: Document | null | undefined): string | null {
  return maybeAttr(doc, 'link[rel="canonical"]', 'href');
}

/** Value of a form control (`<input value>`), from the attribute so it works on parsed HTML. */
export function maybeValue(
  root: Root | null | undefined,
  selectors: readonly string[] | string,
): string | null {
  return maybeAttr(root, selectors, 'value');
}

/** Text of every `<script>` of the given type (e.g. "application/ld+json"), capped in count. */
export function scriptTexts(doc: Document | null | undefined, type: string | null, limit = 200): string[] {
  if (!doc) return [];
  const selector = type === null ? 'script' : `script[type=${cssString(type)}]`;
  const out: string[] = [];
  for (const s of $$(doc, selector, limit)) {
    try {
      const t = s.textContent;
      if (t) out.push(t);
    } catch {
      // a node whose text cannot be read is skipped
    }
  }
  return out;
}

/**
 * Resolves an href against a base URL; null when it does not parse or is not http(s).
 * Never follows it: this only builds a URL object to read its parts.
 */
export function maybeUrl(href: string | null | undefined, base?: string | URL): URL | null {
  if (!href) return null;
  try {
    const u = base === undefined ? new URL(href) : new URL(href, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/**
 * The label/value pairs of a details table or bullet list, in order. Understands
 * `<tr><th>Label</th><td>Value</td></tr>`, `<tr><td>Label</td><td>Value</td></tr>`,
 * `<li><span>Label :</span><span>Value</span></li>` and `<li><b>Label:</b> Value</li>` rows.
 * Labels lose trailing colons and direction marks; values lose leading ones.
 */
export function labelledPairs(
  root: Root | null | undefined,
  rowSelector: string,
  limit = 2000,
): [string, string][] {
  const out: [string, string][] = [];
  const tidyLabel = (s: string) => s.replace(/[\s:：\u200e\u200f]+$/u, '').replace(/^[\s\u200e\u200f]+/u, '');
  const tidyValue = (s: string) => s.replace(/^[\s:：\u200e\u200f]+/u, '').trim();
  for (const row of $$(root, rowSelector, limit)) {
    const cells = $$(row, ':scope > th, :scope > td', 4);
    if (cells.length >= 2) {
      out.push([tidyLabel(text(cells[0], 200)), tidyValue(text(cells[cells.length - 1]))]);
      continue;
    }
    const spans = $$(row, 'span', 8).filter((sp) => $$(sp, 'span', 1).length === 0);
    if (spans.length >= 2) {
      out.push([tidyLabel(text(spans[0], 200)), tidyValue(text(spans[spans.length - 1]))]);
      continue;
    }
    const whole = text(row, 500);
    const idx = whole.search(/[:：]/);
    if (idx > 0) out.push([tidyLabel(whole.slice(0, idx)), tidyValue(whole.slice(idx + 1))]);
  }
  return out.filter(([l, v]) => l !== '' && v !== '');
}

/** The value of the first row of labelledPairs(root, rowSelector) whose label matches. */
export function maybeLabelledValue(
  root: Root | null | undefined,
  rowSelector: string,
  label: RegExp,
): string | null {
  for (const [l, v] of labelledPairs(root, rowSelector)) if (label.test(l)) return v;
  return null;
}
