/**
 * One bounded HTTP GET, as feed-format.md section 4 asks: conditional, `credentials: "omit"` (no
 * cookies ever travel with a sync), redirects followed (a loop or too many make fetch reject: a
 * network error), the body capped WHILE it streams, and one timeout covering the headers and the
 * whole body.
 *
 * Conditional as the contract says: If-None-Match set explicitly with the stored ETag, and
 * `cache: "no-store"` so that the browser's HTTP cache neither answers nor stores (the feed's bytes
 * live in IndexedDB only). In a browser this header is an author request header that is not
 * CORS-safelisted, so a cross-origin request is preflighted (OPTIONS) first unless the browser
 * holds a preflight result for it (Access-Control-Max-Age; Chromium keeps one at most 2 hours).
 * A host that refuses the preflight makes fetch reject; lib/sync then asks once more without the
 * header (lib/sync/index.ts).
 *
 * The timeout is the only timer lib/sync uses itself: a `setTimeout` per request that aborts an
 * AbortController (cleared when the request ends). Everything else is scheduled by the caller.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type HttpResult =
  | { kind: 'ok'; status: number; body: Uint8Array; etag: string | null; cacheControl: string | null }
  | { kind: 'not-modified'; cacheControl: string | null }
  | { kind: 'gone' }
  | { kind: 'error'; code: string; message: string; cacheControl?: string | null };

export interface HttpOptions {
  /** Sent as If-None-Match when not null. */
  etag: string | null;
  /** Bytes; a larger body is `too-large`. */
  limit: number;
  timeoutMs: number;
}

class TimeoutError extends Error {}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function fetchBounded(
  fetchFn: FetchLike,
  url: string,
  options: HttpOptions,
): Promise<HttpResult> {
  const controller = new AbortController();
  let timedOut = false;
  // Rejects when the timeout fires (or we abort), so that a fetch or a stream that ignores the
  // signal still cannot hold the sync forever.
  let rejectAborted: (error: Error) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    rejectAborted = reject;
  });
  aborted.catch(() => undefined);
  const timer = setTimeout(() => {
    timedOut = true;
    rejectAborted(new TimeoutError(`no complete answer within ${options.timeoutMs / 1000} s`));
    controller.abort();
  }, options.timeoutMs);

  // Accept is CORS-safelisted; If-None-Match is not (see above).
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.etag) headers['If-None-Match'] = options.etag;
  let response: Response | undefined;
  try {
    response = await Promise.race([
      fetchFn(url, {
        method: 'GET',
        headers,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'follow',
        signal: controller.signal,
      }),
      aborted,
    ]);
    const cacheControl = response.headers.get('cache-control');
    if (response.status === 304) {
      discard(response);
      return { kind: 'not-modified', cacheControl };
    }
    if (response.status === 410) {
      discard(response);
      return { kind: 'gone' };
    }
    if (!response.ok) {
      discard(response);
      return {
        kind: 'error',
        code: `http-${response.status}`,
        message: `the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
        cacheControl,
      };
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.limit) {
      discard(response);
      controller.abort();
      return tooLarge(options.limit, `declares ${declared} bytes`);
    }
    const body = await readCapped(response, options.limit, aborted);
    if (body === null) {
      controller.abort();
      return tooLarge(options.limit, 'kept streaming past it');
    }
    return { kind: 'ok', status: response.status, body, etag: response.headers.get('etag'), cacheControl };
  } catch (error) {
    if (timedOut || error instanceof TimeoutError) {
      if (response) discard(response);
      return {
        kind: 'error',
        code: 'timeout',
        message: `timed out: no complete answer within ${options.timeoutMs / 1000} s`,
      };
    }
    return { kind: 'error', code: 'network', message: `network error: ${errorText(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(limit: number, detail: string): HttpResult {
  return {
    kind: 'error',
    code: 'too-large',
    message: `the body is larger than the limit of ${limit} bytes (${limit / 1048576} MB): it ${detail}`,
  };
}

/** Reads the body chunk by chunk; null as soon as it passes the limit (the stream is cancelled). */
async function readCapped(
  response: Response,
  limit: number,
  aborted: Promise<never>,
): Promise<Uint8Array | null> {
  if (!response.body) {
    const whole = new Uint8Array(await Promise.race([response.arrayBuffer(), aborted]));
    return whole.byteLength > limit ? null : whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      if (!value) continue;
      total += value.byteLength;
      if (total > limit) {
        reader.cancel().catch(() => undefined);
        return null;
      }
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw error;
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Drops a body we do not want, without waiting on it. */
function discard(response: Response): void {
  try {
    if (response.body && !response.bodyUsed) response.body.cancel().catch(() => undefined);
  } catch {
    // Locked or already closed.
  }
}
