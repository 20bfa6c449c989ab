import { timeBatched } from './stats';

/**
 * Extraction timings on one loaded document, in whatever DOM runs this (real Chromium through the
 * browser harness, happy-dom in the smoke test). Three operations, each timed the same way:
 *
 * - extract: the extractor (lib/sites extractProduct) on the page;
 * - walk (the floor): one `document.querySelectorAll('*')` walk touching every element once, the
 *   least any reader of the whole page pays;
 * - queries: the DOM queries the extractor itself made (recorded in one extra run by wrapping the
 *   query methods), replayed bare on the same nodes with the same arguments. What extraction
 *   costs above this is the adapter's own work (reading text, parsing embedded JSON, validating).
 */

export type Extractor = (doc: Document, url: string) => unknown;

export interface ExtractionMeasure {
  /** Did the extractor return a snapshot (non-null)? */
  found: boolean;
  /** Elements in the document. */
  elements: number;
  /** DOM query calls the extractor made in one run. */
  queries: number;
  /** The first call on the page (before any warm-up), ms. */
  firstMs: number;
  extract: number[];
  walk: number[];
  replay: number[];
  batch: { extract: number; walk: number; replay: number };
}

const DOCUMENT_METHODS = [
  'querySelector',
  'querySelectorAll',
  'getElementById',
  'getElementsByTagName',
  'getElementsByClassName',
  'getElementsByName',
] as const;
const ELEMENT_METHODS = [
  'querySelector',
  'querySelectorAll',
  'getElementsByTagName',
  'getElementsByClassName',
  'closest',
  'matches',
] as const;

interface QueryCall {
  target: object;
  method: string;
  args: unknown[];
}

type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** The object in `obj`'s prototype chain that defines `method` itself. */
function ownerOf(obj: object, method: string): Record<string, unknown> | null {
  let p: object | null = obj;
  while (p) {
    if (Object.hasOwn(p, method)) return p as Record<string, unknown>;
    p = Object.getPrototypeOf(p);
  }
  return null;
}

/** Runs `fn` with the DOM query methods wrapped to record each call; restores them after. */
function recordQueries(doc: Document, fn: () => void): QueryCall[] {
  const calls: QueryCall[] = [];
  const restore: (() => void)[] = [];
  const patched = new Set<string>();
  const patch = (sample: object | null, methods: readonly string[], kind: string) => {
    if (!sample) return;
    for (const method of methods) {
      const owner = ownerOf(sample, method);
      const original = owner?.[method];
      if (!owner || typeof original !== 'function') continue;
      const key = `${kind}:${method}`;
      if (patched.has(key)) continue;
      patched.add(key);
      const wrapped: AnyMethod = function (this: unknown, ...args: unknown[]) {
        if (typeof this === 'object' && this !== null) calls.push({ target: this, method, args });
        return (original as AnyMethod).apply(this, args);
      };
      owner[method] = wrapped;
      restore.push(() => {
        owner[method] = original;
      });
    }
  };
  patch(doc, DOCUMENT_METHODS, 'doc');
  patch(doc.documentElement, ELEMENT_METHODS, 'el');
  try {
    fn();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return calls;
}

function replay(calls: readonly QueryCall[]): number {
  let sink = 0;
  for (const c of calls) {
    const method = (c.target as Record<string, unknown>)[c.method];
    if (typeof method !== 'function') continue;
    const result = (method as AnyMethod).apply(c.target, c.args);
    // Live collections walk lazily: read their length as the caller would.
    if (result && typeof result === 'object' && 'length' in result)
      sink += (result as { length: number }).length;
    else if (result) sink += 1;
  }
  return sink;
}

function walk(doc: Document): number {
  const all = doc.querySelectorAll('*');
  let sink = 0;
  for (let i = 0; i < all.length; i++) sink += (all[i] as Element).nodeType;
  return sink;
}

export function measureExtraction(
  doc: Document,
  url: string,
  extract: Extractor,
  options: { samples: number; minBatchMs: number; now: () => number },
): ExtractionMeasure {
  const { now } = options;
  const t0 = now();
  const first = extract(doc, url);
  const firstMs = now() - t0;

  const calls = recordQueries(doc, () => {
    extract(doc, url);
  });
  let sink = 0;
  const e = timeBatched(
    () => {
      sink += extract(doc, url) === null ? 0 : 1;
    },
    { samples: options.samples, minBatchMs: options.minBatchMs, now },
  );
  const w = timeBatched(
    () => {
      sink += walk(doc);
    },
    { samples: options.samples, minBatchMs: options.minBatchMs, now },
  );
  const r = timeBatched(
    () => {
      sink += replay(calls);
    },
    { samples: options.samples, minBatchMs: options.minBatchMs, now },
  );
  // Keep the work observable so no engine may drop it.
  if (sink === -1) throw new Error('unreachable');
  return {
    found: first !== null && first !== undefined,
    elements: doc.querySelectorAll('*').length,
    queries: calls.length,
    firstMs,
    extract: e.perCall,
    walk: w.perCall,
    replay: r.perCall,
    batch: { extract: e.batch, walk: w.batch, replay: r.batch },
  };
}
