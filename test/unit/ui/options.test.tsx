import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { AddFeedForm, FeedList, OptionsApp, ReportHistory } from '../../../components/Options';
import type { ReportRecord } from '../../../lib/report/types';
import { getEnabledMarketplaces, getTheme } from '../../../lib/settings';
import type { FeedMeta } from '../../../lib/store/types';
import { type PageApi, RequestError } from '../../../lib/ui/client';
import type { HostPermissions } from '../../../lib/ui/permissions';
import { byText, mount, NOW, settle, useEnglish } from './fixtures';

useEnglish();

const KEY = 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=';

function feed(partial: Partial<FeedMeta> = {}): FeedMeta {
  return {
    url: 'https://acme.example/.well-known/genuine-feed.json',
    brandId: 'acme',
    source: 'directory',
    keys: [KEY],
    version: 42,
    sha256: 'ab',
    etag: null,
    issuedAt: '2026-11-20T00:00:00Z',
    expiresAt: '2026-12-20T00:00:00Z',
    lastAttempt: '2026-11-21T09:00:00Z',
    lastSuccess: '2026-11-21T09:00:00Z',
    lastError: null,
    nextSync: '2026-11-22T09:00:00Z',
    failures: 0,
    generation: 3,
    ...partial,
  };
}

const REPORT: ReportRecord = {
  reportId: '3b241101-e2bb-4255-8caf-4136c566a962',
  payload: {
    reportId: '3b241101-e2bb-4255-8caf-4136c566a962',
    createdAt: '2026-11-21T10:00:00Z',
    brandId: 'acme',
    feedVersion: 42,
    verdict: { level: 'danger', codes: ['seller-not-authorized'] },
    listing: {
      marketplace: 'amazon',
      site: 'amazon.com',
      url: 'https://www.amazon.com/dp/B0EXAMPLE1',
      productId: 'B0EXAMPLE1',
      gtin: null,
      title: 'ACME Rocket Skates',
      brand: 'ACME',
      seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates' },
      price: { amount: '39.99', currency: 'USD' },
      condition: 'new',
    },
    reason: 'seller-not-authorized',
    client: { version: '0.1.0', browser: 'chrome' },
  },
  endpoint: 'https://reports.acme.example/api',
  listingKey: 'amazon|amazon.com|B0EXAMPLE1',
  status: 'retrying',
  attempts: 2,
  createdAt: '2026-11-21T10:00:00Z',
  lastAttemptAt: '2026-11-21T10:05:00Z',
  nextAttemptAt: '2026-11-21T13:00:00Z',
  lastError: 'http-503',
  sentAt: null,
};

function labelled(container: HTMLElement, label: string): HTMLInputElement {
  const el = byText<HTMLLabelElement>(container, 'label', label);
  const id = el?.htmlFor;
  const input = id ? container.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`) : null;
  if (!input) throw new Error(`no field labelled ${label}`);
  return input;
}

describe('FeedList', () => {
  it('shows each feed’s state, its fingerprint and its last error', () => {
    const feeds = [
      feed(),
      feed({
        url: 'https://globex.example/feed.json',
        brandId: 'globex',
        source: 'user',
        lastError: { code: 'bad-signature', message: 'no signature verifies', at: '2026-11-21T11:00:00Z' },
        expiresAt: '2026-11-20T00:00:00Z',
        failures: 2,
      }),
    ];
    const onRemove = vi.fn();
    const c = mount(
      <FeedList
        feeds={feeds}
        fingerprints={{ [feeds[0]?.url ?? '']: ['ab12 cd34 ef56 7890 ab12 cd34 ef56 7890'] }}
        now={NOW}
        busy={false}
        onRemove={onRemove}
      />,
    );
    const items = c.querySelectorAll('li.feed');
    expect(items).toHaveLength(2);
    const acme = items[0]?.textContent ?? '';
    expect(acme).toContain('acme');
    expect(acme).toContain('From the Genuine directory');
    expect(acme).toContain('42');
    expect(acme).toContain('3 hours ago');
    expect(acme).toContain('in 21 hours');
    expect(acme).toContain('ab12 cd34 ef56 7890 ab12 cd34 ef56 7890');
    expect(items[0]?.querySelector('button')).toBeNull(); // directory feeds come back with the directory

    const globex = items[1];
    expect(globex?.textContent).toContain('Added by you');
    expect(globex?.getAttribute('data-error')).toBe('yes');
    expect(globex?.querySelector('.feed-error')?.textContent).toContain('bad-signature');
    expect(globex?.querySelector('.feed-error')?.textContent).toContain(
      'The signature does not match a trusted key.',
    );
    expect(globex?.textContent).toContain('expired: not used for warnings');
    act(() => byText<HTMLButtonElement>(globex as HTMLElement, 'button', 'Remove')?.click());
    expect(onRemove).toHaveBeenCalledWith('https://globex.example/feed.json');
  });

  it('says when there are no feeds yet', () => {
    const c = mount(
      <FeedList feeds={[]} fingerprints={{}} now={NOW} busy={false} onRemove={() => undefined} />,
    );
    expect(c.textContent).toContain('No lists yet');
  });
});

describe('AddFeedForm', () => {
  it('has a field labelled "Feed URL" and an "Add feed" button that submits it', () => {
    const onAdd = vi.fn();
    const c = mount(<AddFeedForm busy={false} outcome={null} onAdd={onAdd} />);
    const input = labelled(c, 'Feed URL');
    expect(input.type).toBe('url');
    act(() => {
      input.value = ' https://globex.example/feed.json ';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const button = byText<HTMLButtonElement>(c, 'button', 'Add feed');
    expect(button?.type).toBe('submit');
    act(() => {
      c.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    expect(onAdd).toHaveBeenCalledWith('https://globex.example/feed.json');
  });

  it('shows the key fingerprint after adding', () => {
    const c = mount(
      <AddFeedForm
        busy={false}
        outcome={{ ok: true, brandId: 'globex', fingerprint: '1111 2222' }}
        onAdd={() => undefined}
      />,
    );
    expect(c.querySelector('.add-result.ok')?.textContent).toContain("Subscribed to globex's list.");
    expect(c.querySelector('.add-result.ok .fingerprint')?.textContent).toBe('1111 2222');
  });

  it('shows a key change loudly, as an alert', () => {
    const c = mount(
      <AddFeedForm
        busy={false}
        outcome={{ ok: false, code: 'key-changed', message: 'signed by 9999 0000, trusted 1111 2222' }}
        onAdd={() => undefined}
      />,
    );
    const alert = c.querySelector('[role="alert"]');
    expect(alert?.classList.contains('loud')).toBe(true);
    expect(alert?.textContent).toContain("Warning: this list's signing key has changed");
    expect(alert?.textContent).toContain('signed by 9999 0000, trusted 1111 2222');
  });

  it('shows other failures with their code', () => {
    const c = mount(
      <AddFeedForm
        busy={false}
        outcome={{ ok: false, code: 'expired', message: 'expired at …' }}
        onAdd={() => undefined}
      />,
    );
    const alert = c.querySelector('[role="alert"]');
    expect(alert?.classList.contains('loud')).toBe(false);
    expect(alert?.textContent).toContain('The list was not added.');
    expect(alert?.textContent).toContain('The list has expired.');
  });
});

describe('ReportHistory', () => {
  it('lists reports with status, time, brand and listing, and deletes one', () => {
    const onDelete = vi.fn();
    const sent: ReportRecord = {
      ...REPORT,
      reportId: 'second',
      status: 'sent',
      createdAt: '2026-11-21T11:00:00Z',
      sentAt: '2026-11-21T11:00:01Z',
      lastError: null,
    };
    const c = mount(<ReportHistory reports={[REPORT, sent]} now={NOW} busy={false} onDelete={onDelete} />);
    const rows = [...c.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['sent', 'retrying']); // newest first
    const pending = rows[1]?.textContent ?? '';
    expect(pending).toContain('2 hours ago');
    expect(pending).toContain('acme');
    expect(pending).toContain('ACME Rocket Skates');
    expect(pending).toContain('Seller not authorized');
    expect(pending).toContain('Pending: will retry in 1 hour');
    expect(pending).toContain('http-503');
    expect(rows[0]?.textContent).toContain('Sent');
    act(() => rows[1]?.querySelector('button')?.click());
    expect(onDelete).toHaveBeenCalledWith(REPORT.reportId);
  });
});

describe('OptionsApp', () => {
  function setup(overrides: Partial<PageApi> = {}, granted: string[] = []) {
    const api: PageApi = {
      tabState: vi.fn(),
      report: vi.fn(),
      feeds: vi.fn(async () => [feed()]),
      syncNow: vi.fn(async () => undefined),
      addFeed: vi.fn(async () => ({ ok: true as const, brandId: 'globex', fingerprint: 'aaaa bbbb' })),
      removeFeed: vi.fn(async () => undefined),
      reports: vi.fn(async () => [REPORT]),
      deleteReport: vi.fn(async () => undefined),
      ...overrides,
    };
    let origins = [...granted];
    const permissions: HostPermissions = {
      granted: vi.fn(async () => origins),
      request: vi.fn(async (o: string[]) => {
        origins = [...origins, ...o];
        return true;
      }),
      remove: vi.fn(async (o: string[]) => {
        origins = origins.filter((x) => !o.includes(x));
        return true;
      }),
    };
    const fingerprint = vi.fn(async (k: string) => `fp(${k.slice(0, 4)})`);
    const c = mount(
      <OptionsApp api={api} permissions={permissions} fingerprint={fingerprint} now={() => NOW} />,
    );
    return { api, permissions, c };
  }

  it('lists the feeds with fingerprints from their keys, and the report history', async () => {
    const { c } = setup();
    await settle();
    expect(c.querySelector('h1')?.textContent).toBe('Genuine settings');
    expect(c.querySelector('li.feed')?.textContent).toContain('fp(O2on)');
    expect(c.querySelectorAll('tbody tr')).toHaveLength(1);
    expect(c.querySelector('.privacy')?.textContent).toContain('acme.example');
    expect(c.querySelector('.privacy')?.textContent).toContain('No analytics');
  });

  it('adds a feed by URL and reloads the list', async () => {
    const { c, api } = setup();
    await settle();
    const input = labelled(c, 'Feed URL');
    act(() => {
      input.value = 'https://globex.example/feed.json';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => byText<HTMLButtonElement>(c, 'button', 'Add feed')?.click());
    await settle();
    expect(api.addFeed).toHaveBeenCalledWith('https://globex.example/feed.json');
    expect(api.feeds).toHaveBeenCalledTimes(2);
    expect(c.querySelector('.add-result.ok')?.textContent).toContain('aaaa bbbb');
  });

  it('turns a refused request into a visible error', async () => {
    const { c } = setup({
      addFeed: vi.fn(async () => Promise.reject(new RequestError('unreachable', 'no worker'))),
    });
    await settle();
    const input = labelled(c, 'Feed URL');
    act(() => {
      input.value = 'https://globex.example/feed.json';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => byText<HTMLButtonElement>(c, 'button', 'Add feed')?.click());
    await settle();
    expect(c.querySelector('[role="alert"]')?.textContent).toContain('no worker');
  });

  it('syncs now and says when it is done', async () => {
    const { c, api } = setup();
    await settle();
    act(() => byText<HTMLButtonElement>(c, 'button', 'Sync now')?.click());
    await settle();
    expect(api.syncNow).toHaveBeenCalledTimes(1);
    expect(c.textContent).toContain('Sync finished.');
  });

  it('stores the marketplace switches', async () => {
    const { c } = setup();
    await settle();
    const box = byText<HTMLLabelElement>(c, 'label', 'eBay')?.querySelector('input');
    expect(box?.checked).toBe(true);
    act(() => box?.click());
    await settle();
    expect((await getEnabledMarketplaces()).ebay).toBe(false);
    expect((await getEnabledMarketplaces()).amazon).toBe(true);
  });

  it('asks for the shop permission from the click, and can withdraw it', async () => {
    const { c, permissions } = setup();
    await settle();
    act(() => byText<HTMLButtonElement>(c, 'button', 'Allow on all https shops')?.click());
    expect(permissions.request).toHaveBeenCalledWith(['https://*/*']);
    await settle();
    expect(c.textContent).toContain('Allowed on all https sites.');
    act(() => byText<HTMLButtonElement>(c, 'button', 'Withdraw the permission for all shops')?.click());
    await settle();
    expect(permissions.remove).toHaveBeenCalledWith(['https://*/*']);
  });

  it('allows one shop by its address, and refuses what is not one', async () => {
    const { c, permissions } = setup();
    await settle();
    const input = labelled(c, 'Allow one shop');
    const form = input.closest('form');
    const typeAndSubmit = (text: string) => {
      act(() => {
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      act(() => {
        form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      });
    };
    typeAndSubmit('not a host');
    expect(permissions.request).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    typeAndSubmit('shop.example.com');
    expect(permissions.request).toHaveBeenCalledWith(['https://shop.example.com/*']);
    await settle();
    expect(c.querySelector('.granted')?.textContent).toContain('https://shop.example.com/*');
  });

  it('deletes a report and reloads the history', async () => {
    const { c, api } = setup();
    await settle();
    act(() => byText<HTMLButtonElement>(c, 'button', 'Delete')?.click());
    await settle();
    expect(api.deleteReport).toHaveBeenCalledWith(REPORT.reportId);
    expect(api.reports).toHaveBeenCalledTimes(2);
  });

  it('stores the theme', async () => {
    const { c } = setup();
    await settle();
    const select = labelled(c, 'Theme') as unknown as HTMLSelectElement;
    act(() => {
      select.value = 'dark';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(await getTheme()).toBe('dark');
  });
});
