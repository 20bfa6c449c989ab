import { describe, expect, it, vi } from 'vitest';
import { contentSenderTab, isExtensionPageSender, sendCheck, sendClear } from '../../../lib/messaging';
import { snap } from '../check/fixtures';

describe('messaging helpers', () => {
  it('sendCheck sends the snapshot and returns the verdict', async () => {
    const send = vi.fn(async () => ({ verdict: null }));
    expect(await sendCheck(send, snap(), { adapter: 'amazon', missing: [] })).toBeNull();
    expect(send).toHaveBeenCalledWith({
      type: 'check',
      snapshot: snap(),
      diagnostics: { adapter: 'amazon', missing: [] },
    });
  });

  it('sendCheck throws with the background reason, or on nonsense', async () => {
    await expect(
      sendCheck(async () => ({ ok: false, code: 'forbidden', message: 'no' }), null, null),
    ).rejects.toThrow('forbidden: no');
    await expect(sendCheck(async () => ({ verdict: { level: 'great' } }), null, null)).rejects.toThrow(
      /no valid answer/,
    );
    await expect(sendCheck(async () => undefined, null, null)).rejects.toThrow();
  });

  it('sendClear sends clear', async () => {
    const send = vi.fn(async () => ({ ok: true }));
    await sendClear(send);
    expect(send).toHaveBeenCalledWith({ type: 'clear' });
  });

  it('knows a content script of this extension in a tab top frame', () => {
    const ok = { id: 'me', url: 'https://www.amazon.com/dp/X', frameId: 0, tab: { id: 3 } };
    expect(contentSenderTab(ok, 'me')).toBe(3);
    expect(contentSenderTab({ ...ok, frameId: undefined }, 'me')).toBe(3);
    expect(contentSenderTab({ ...ok, id: 'other' }, 'me')).toBeNull();
    expect(contentSenderTab({ ...ok, tab: { id: -1 } }, 'me')).toBeNull();
    expect(contentSenderTab({ ...ok, url: 'chrome-extension://me/popup.html' }, 'me')).toBeNull();
    expect(contentSenderTab({ ...ok, url: undefined, tab: { id: 3 } }, 'me')).toBeNull();
  });

  it('knows the extension own pages in Chrome and Firefox', () => {
    expect(
      isExtensionPageSender(
        { id: 'me', url: 'chrome-extension://abc/popup.html?tabId=3' },
        'me',
        'chrome-extension://abc/',
      ),
    ).toBe(true);
    const moz = 'moz-extension://0b6a5c2e-1111-4a4a-9f9f-123456789abc/';
    expect(isExtensionPageSender({ id: 'me', url: `${moz}options.html` }, 'me', moz)).toBe(true);
    expect(isExtensionPageSender({ id: 'me', url: 'moz-extension://another/options.html' }, 'me', moz)).toBe(
      false,
    );
    expect(
      isExtensionPageSender({ id: 'me', url: 'https://abc/popup.html' }, 'me', 'chrome-extension://abc/'),
    ).toBe(false);
    expect(isExtensionPageSender({ id: 'me' }, 'me', 'chrome-extension://abc/')).toBe(false);
  });
});
