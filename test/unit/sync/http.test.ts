import { describe, expect, it } from 'vitest';
import { fetchBounded } from '../../../lib/sync/http';
import {
  createServer,
  endless,
  hangingBody,
  hangingHeaders,
  serve,
  status,
} from '../../fixtures/sync/server';

const URL = 'https://brand.example/feed.json';
const MB = 1024 * 1024;
const LIMIT = 5 * MB;

describe('fetchBounded', () => {
  it('asks conditionally, without cookies or the HTTP cache', async () => {
    const server = createServer();
    server.route(URL, serve('{"a":1}', { etag: '"v1"', cacheControl: 'max-age=7200' }));
    const first = await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 1000 });
    expect(first).toMatchObject({ kind: 'ok', etag: '"v1"', cacheControl: 'max-age=7200' });
    if (first.kind === 'ok') expect(new TextDecoder().decode(first.body)).toBe('{"a":1}');
    const second = await fetchBounded(server.fetch, URL, { etag: '"v1"', limit: LIMIT, timeoutMs: 1000 });
    expect(second).toEqual({ kind: 'not-modified', cacheControl: 'max-age=7200' });
    const [a, b] = server.requests;
    expect(a?.headers.get('If-None-Match')).toBeNull();
    expect(b?.headers.get('If-None-Match')).toBe('"v1"');
    expect(b?.init).toMatchObject({
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'follow',
      method: 'GET',
    });
    expect(b?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('maps HTTP errors to codes and 410 to gone', async () => {
    const server = createServer();
    server.route(URL, status(503));
    expect(
      await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 1000 }),
    ).toMatchObject({
      kind: 'error',
      code: 'http-503',
    });
    server.route(URL, status(410));
    expect(await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 1000 })).toEqual({
      kind: 'gone',
    });
    server.route('https://other.example/', status(404));
    expect(
      await fetchBounded(server.fetch, 'https://other.example/', {
        etag: null,
        limit: LIMIT,
        timeoutMs: 1000,
      }),
    ).toMatchObject({ code: 'http-404' });
  });

  it('stops reading a body as soon as it passes the limit (6 MB streamed, 5 MB cap)', async () => {
    const server = createServer();
    const big = endless({ total: 6 * MB });
    server.route(URL, big.handler);
    const result = await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'error', code: 'too-large' });
    expect(big.state.cancelled).toBe(true);
    // It pulled at most the limit plus the chunk in hand and whatever the stream queued ahead.
    expect(big.state.pulled).toBeLessThan(6 * MB);
  });

  it('stops an endless body at the limit', async () => {
    const server = createServer();
    const big = endless();
    server.route(URL, big.handler);
    const result = await fetchBounded(server.fetch, URL, { etag: null, limit: MB, timeoutMs: 5000 });
    expect(result).toMatchObject({ code: 'too-large' });
    expect(big.state.pulled).toBeLessThan(2 * MB);
  });

  it('refuses a declared Content-Length above the limit without reading', async () => {
    const server = createServer();
    const big = endless({ total: 6 * MB });
    server.route(URL, async (request) => {
      const response = await big.handler(request);
      return new Response(response.body, { status: 200, headers: { 'Content-Length': String(6 * MB) } });
    });
    const result = await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 5000 });
    expect(result).toMatchObject({ code: 'too-large' });
    if (result.kind === 'error') expect(result.message).toContain('declares');
    expect(big.state.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it('times out a body that never ends', async () => {
    const server = createServer();
    server.route(URL, hangingBody());
    expect(await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 50 })).toMatchObject({
      kind: 'error',
      code: 'timeout',
    });
  });

  it('times out headers that never come, even when fetch ignores the signal', async () => {
    const server = createServer();
    server.route(URL, hangingHeaders());
    expect(await fetchBounded(server.fetch, URL, { etag: null, limit: LIMIT, timeoutMs: 50 })).toMatchObject({
      code: 'timeout',
    });
  });

  it('aborts the request through its signal on timeout', async () => {
    let signal: AbortSignal | null | undefined;
    const fetchFn = (_url: string, init: RequestInit) => {
      signal = init.signal;
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    };
    expect(await fetchBounded(fetchFn, URL, { etag: null, limit: LIMIT, timeoutMs: 30 })).toMatchObject({
      code: 'timeout',
    });
    expect(signal?.aborted).toBe(true);
  });

  it('treats a rejected fetch (redirect loop, DNS, offline) as a network error', async () => {
    const fetchFn = () => Promise.reject(new TypeError('fetch failed: redirect count exceeded'));
    const result = await fetchBounded(fetchFn, URL, { etag: null, limit: LIMIT, timeoutMs: 1000 });
    expect(result).toMatchObject({ kind: 'error', code: 'network' });
    if (result.kind === 'error') expect(result.message).toContain('redirect count exceeded');
  });
});
