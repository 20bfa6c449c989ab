import type { Results, Row } from './results';

/**
 * For every target a run missed, the reason as far as the run's own figures show it (the
 * components measured beside the headline figure). Deeper causes found by profiling are in
 * bench/README.md.
 */

type Details = Record<string, unknown>;

function get(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

function ms(v: number): string {
  return Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms` : 'n/a';
}

function extractionReason(row: Row, details: Details | undefined): string {
  const pages = (get(details, 'chromium', 'pages') as Details[] | undefined) ?? [];
  const file = /\(([^,]+\.html)/.exec(row.what)?.[1];
  const page = pages.find((p) => p.file === file);
  const slow = pages
    .filter((p) => num(get(p, 'extract', 'median')) >= 3 || num(p.ratio) > 5)
    .map(
      (p) =>
        `${String(p.file)} ${ms(num(get(p, 'extract', 'median')))} (walk ${ms(num(get(p, 'walk', 'median')))}, its ${String(p.queries)} queries replayed ${ms(num(get(p, 'replay', 'median')))})`,
    );
  const parts: string[] = [];
  if (page) {
    const extract = num(get(page, 'extract', 'median'));
    const replay = num(get(page, 'replay', 'median'));
    parts.push(
      `on ${String(page.file)} the adapter's own ${String(page.queries)} DOM queries replayed bare take ${ms(replay)} of its ${ms(extract)}; the remaining ${ms(extract - replay)} is the adapter's own work on what they return (text, regular expressions, embedded JSON, validation)`,
    );
  }
  if (slow.length > 0) parts.push(`pages over the target: ${slow.join('; ')}`);
  return parts.join('. ');
}

export function explainMisses(results: Pick<Results, 'rows' | 'sections'>): { id: string; reason: string }[] {
  const out: { id: string; reason: string }[] = [];
  for (const row of results.rows) {
    if (!row.target || row.target.pass) continue;
    const details = results.sections[row.section];
    let reason = '';
    switch (row.section) {
      case 'extraction':
        reason = extractionReason(row, details);
        break;
      case 'badge': {
        const runAt = get(details, 'chromium', 'runAt');
        const dclToLoad = num(get(details, 'chromium', 'dclToLoad', 'median'));
        const handlers = num(get(details, 'chromium', 'handlers', 'median'));
        const after = num(get(details, 'chromium', 'afterHandlers', 'median'));
        reason =
          runAt === 'document_idle' || runAt === undefined
            ? `the content script runs at document_idle, which Chromium schedules after DOMContentLoaded once the page is idle (by load at the latest, here a median ${ms(dclToLoad)} after DOMContentLoaded); extraction and the check take a few ms of it (see the extraction and checks rows)`
            : `the page's own DOMContentLoaded handlers take a median ${ms(handlers)}; the badge comes a median ${ms(after)} after they end: Chromium injects ${String(runAt)} scripts after it has rendered a frame of the parsed page, then evaluates the content script (compiling it and running its top-level code: the zod schemas, the adapter's tables), then the settings read, extraction and mounting the badge (bench/README.md has a trace)`;
        break;
      }
      case 'bundle': {
        const comp = get(details, 'chromium', 'composition') as
          | { parts?: { part: string; bytes: number }[]; rest?: { without: string[]; gzip: number } }
          | undefined;
        const parts = (comp?.parts ?? [])
          .slice(0, 3)
          .map((p) => `${p.part} ${(p.bytes / 1024).toFixed(0)} kB`)
          .join(', ');
        const scripts =
          (get(details, 'chromium', 'scripts') as { file: string; gzipBytes: number }[] | undefined) ?? [];
        const over = scripts
          .filter((x) => x.gzipBytes / 1024 >= 40)
          .map((x) => `${x.file} ${(x.gzipBytes / 1024).toFixed(1)} kB`);
        reason = `${over.length > 0 ? `over the target: ${over.join(', ')}; ` : ''}largest parts of content-scripts/content.js (minified): ${parts}`;
        if (comp?.rest) {
          reason += `; without ${comp.rest.without.join(' and ')} it would be ${(comp.rest.gzip / 1024).toFixed(1)} kB gzipped`;
        }
        break;
      }
      case 'checks': {
        const byKind =
          (get(details, 'chromium', 'byKind') as
            | Record<string, { median: number; p99: number }>
            | undefined) ?? {};
        const kinds = Object.entries(byKind)
          .sort((a, b) => b[1].p99 - a[1].p99)
          .map(([k, v]) => `${k} p99 ${ms(v.p99)}`)
          .join(', ');
        if (row.id === 'checks.cold') {
          const bare = num(get(details, 'chromium', 'cold', 'bare', 'median'));
          reason = `a bare round trip to a stopped worker alone takes ${ms(bare)} (starting the worker); the rest, ${ms(row.value - bare)}, is the background's own start-up and first check`;
        } else {
          const bare = num(get(details, 'chromium', 'warm', 'bare', 'median'));
          const bare99 = num(get(details, 'chromium', 'warm', 'bare', 'p99'));
          const direct = num(get(details, 'chromium', 'direct', 'check', 'median'));
          const direct99 = num(get(details, 'chromium', 'direct', 'check', 'p99'));
          const directKinds =
            (get(details, 'chromium', 'direct', 'byKind') as
              | Record<string, { median: number }>
              | undefined) ?? {};
          const titleOnly = directKinds['title-only']?.median;
          reason = `median ${ms(row.value)} = bare round trip ${ms(bare)} + lib/check in the worker ${ms(direct)} + ${ms(row.value - bare - direct)} of the rest of the message handling (the message and snapshot schemas, the sender check, the answer's way back; the tab state and toolbar badge are written after the answer); p99: bare ${ms(bare99)}, lib/check alone ${ms(direct99)}; by kind of listing: ${kinds}${titleOnly === undefined ? '' : `; a title-only listing alone costs lib/check ${ms(titleOnly)} (median)`}`;
        }
        break;
      }
      case 'sync': {
        const s = get(details, 'chromium') as Details | undefined;
        const floorS = num(get(s, 'floor', 'putMs')) / 1000;
        const storeS = num(get(s, 'storeOnly', 'importMs')) / 1000;
        const againS = num(get(s, 'storeOnly', 'fetchVerifyMs')) / 1000;
        if (row.id === 'sync.import') {
          const feeds = num(get(s, 'feeds'));
          const perFeed = feeds > 0 ? num(s?.importMs) / feeds : Number.NaN;
          reason = `${ms(perFeed)} per feed of wall time; of the whole, the store's part measured alone (sync.store) takes ${storeS.toFixed(1)} s, and fetching and verifying every feed again, ${get(s, 'storeOnly', 'chunk')} at a time, ${againS.toFixed(1)} s: the rest is the worker's one thread fetching (HTTPS), verifying (Ed25519, JSON, schema) and laying out ${feeds} feeds while their transactions run`;
        } else if (row.id === 'sync.store') {
          reason = `${storeS.toFixed(1)} s against ${floorS.toFixed(1)} s for the bulk put: each feed still lands whole in a transaction of its own or shared with the feeds queued beside it (at most 16 feeds or 4 MB, section 4), so ${num(get(s, 'feeds'))} feeds take hundreds of transactions, each reading the counter, metas and brand rows before it writes, where the floor is one transaction of blind puts`;
        } else if (row.id === 'sync.memory') {
          reason = `heap before the import ${num(s?.heapBeforeMB).toFixed(1)} MB, peak ${num(s?.heapPeakMB).toFixed(1)} MB`;
        } else if (row.id === 'sync.resync') {
          const server = get(s, 'server', 'resync') as { options?: number; get?: number } | undefined;
          const data = num(get(s, 'resync', 'dataWrites'));
          const parts: string[] = [];
          if ((server?.options ?? 0) > 0) {
            parts.push(
              `every conditional GET was preceded by a CORS preflight (${server?.options} OPTIONS for ${server?.get} GETs): If-None-Match is not a CORS-safelisted request header and the extension holds no host permission for feed hosts, so Chromium asks the feed server first`,
            );
          }
          if (data > 0) parts.push(`${data} data writes: ${JSON.stringify(get(s, 'resync', 'writes'))}`);
          reason = parts.join('; ') || `server: ${JSON.stringify(server)}`;
        }
        break;
      }
      default:
        reason = row.note ?? '';
    }
    out.push({ id: row.id, reason });
  }
  return out;
}
