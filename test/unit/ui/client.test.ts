import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createPageApi, RequestError } from '../../../lib/ui/client';
import { tabState } from './fixtures';

describe('page api', () => {
  it('sends valid messages and returns answers that parse', async () => {
    const send = vi.fn(async () => tabState());
    const api = createPageApi(send);
    expect((await api.tabState(7))?.verdict?.level).toBe('danger');
    expect(send).toHaveBeenCalledWith({ type: 'tab-state', tabId: 7 });
  });

  it('leaves an empty comment out of a report', async () => {
    const send = vi.fn(async () => ({ status: 'limited', limit: 'daily-cap' }));
    const api = createPageApi(send);
    await api.report(7, 'other', undefined);
    await api.report(7, 'other', 'fake box');
    expect(send.mock.calls).toEqual([
      [{ type: 'report', tabId: 7, reason: 'other' }],
      [{ type: 'report', tabId: 7, reason: 'other', comment: 'fake box' }],
    ]);
  });

  it('refuses an answer that does not parse', async () => {
    const api = createPageApi(async () => ({ status: 'sent' }));
    await expect(api.report(7, 'other')).rejects.toMatchObject({ code: 'bad-response' });
    const feeds = createPageApi(async () => [{ url: 'x' }]);
    await expect(feeds.feeds()).rejects.toBeInstanceOf(RequestError);
  });

  it('turns an error answer into a RequestError with its code', async () => {
    const api = createPageApi(async () => ({
      ok: false,
      code: 'store-unavailable',
      message: 'IndexedDB closed',
    }));
    await expect(api.reports()).rejects.toMatchObject({
      code: 'store-unavailable',
      message: 'IndexedDB closed',
    });
    await expect(api.removeFeed('https://a.example/f.json')).rejects.toMatchObject({
      code: 'store-unavailable',
    });
  });

  it('passes an add-feed failure through as a result to show', async () => {
    const api = createPageApi(async () => ({ ok: false, code: 'key-changed', message: 'new key' }));
    expect(await api.addFeed('https://a.example/f.json')).toEqual({
      ok: false,
      code: 'key-changed',
      message: 'new key',
    });
  });

  it('does not send what the contract refuses', async () => {
    const send = vi.fn();
    const api = createPageApi(send);
    await expect(api.addFeed('not a url')).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(api.report(7, 'other', 'x'.repeat(501))).rejects.toMatchObject({ code: 'invalid-request' });
    expect(send).not.toHaveBeenCalled();
  });

  it('reports an unreachable background', async () => {
    const api = createPageApi(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    await expect(api.syncNow()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('goes through browser.runtime.sendMessage by default', async () => {
    const seen: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      seen.push(message);
      return Promise.resolve({ ok: true });
    });
    await expect(createPageApi().syncNow()).resolves.toBeUndefined();
    expect(seen).toEqual([{ type: 'sync-now' }]);
  });
});
