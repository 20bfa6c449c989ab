import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { PopupApp, PopupView, type PopupViewProps } from '../../../components/Popup';
import type { TabState } from '../../../lib/messages';
import type { SubmitResult } from '../../../lib/report/types';
import { allMarketplacesOn, getReportConsent, NO_CONSENT } from '../../../lib/settings';
import { type PageApi, RequestError } from '../../../lib/ui/client';
import { popupStatus } from '../../../lib/ui/popup-model';
import {
  BRAND,
  byText,
  mount,
  NOW,
  REASONS,
  SNAPSHOT,
  settle,
  tabState,
  useEnglish,
  VERDICTS,
  verdict,
} from './fixtures';

useEnglish();

function view(props: Partial<PopupViewProps> & Pick<PopupViewProps, 'status'>) {
  return mount(
    <PopupView
      settled={true}
      error={null}
      consent={NO_CONSENT}
      now={NOW}
      onConsent={() => undefined}
      onReport={() => Promise.reject(new Error('not in this test'))}
      {...props}
    />,
  );
}

function root(container: HTMLElement): HTMLElement {
  const main = container.querySelector<HTMLElement>('main');
  if (!main) throw new Error('no <main>');
  expect(container.firstElementChild).toBe(main); // the outermost element the app renders
  return main;
}

function reportButton(container: HTMLElement): HTMLButtonElement | null {
  return byText<HTMLButtonElement>(container, 'button', 'Report');
}

function fakeApi(overrides: Partial<PageApi> = {}): PageApi & { report: ReturnType<typeof vi.fn> } {
  const fail = () => Promise.reject(new Error('not used here'));
  return {
    tabState: vi.fn(async () => tabState()),
    report: vi.fn(
      async (): Promise<SubmitResult> => ({
        status: 'sent',
        reportId: 'r1',
        endpoint: BRAND.reportEndpoint ?? '',
      }),
    ),
    feeds: fail,
    syncNow: fail,
    addFeed: fail,
    removeFeed: fail,
    reports: fail,
    deleteReport: fail,
    ...overrides,
  } as PageApi & { report: ReturnType<typeof vi.fn> };
}

describe('PopupView states', () => {
  it('has no data-verdict while loading', () => {
    const c = view({ status: null, settled: false });
    expect(root(c).hasAttribute('data-verdict')).toBe(false);
    expect(root(c).getAttribute('aria-busy')).toBe('true');
    expect(c.querySelector('h1')?.textContent).toBe('Loading…');
  });

  const states: [string, TabState | null, string][] = [
    [
      'site not supported',
      tabState({ supported: false, snapshot: null, verdict: null }),
      'This site is not supported',
    ],
    ['not a product page', tabState({ snapshot: null, verdict: null }), 'Not a product page'],
    ['nothing known about the tab', null, 'Nothing to check here yet'],
    ['a check that never came', tabState({ verdict: null }), 'The check is taking long'],
  ];
  for (const [name, state, heading] of states) {
    it(`shows "${name}" as unknown`, () => {
      const c = view({ status: popupStatus(state) });
      expect(root(c).dataset.verdict).toBe('unknown');
      expect(c.querySelector('h1')?.textContent).toBe(heading);
      expect(reportButton(c)).toBeNull();
    });
  }

  it('says when the shopper turned the marketplace off', () => {
    const c = view({ status: popupStatus(tabState(), () => false) });
    expect(c.querySelector('h1')?.textContent).toBe('Checks are off for Amazon');
  });

  it('shows a failed request as an error, not as a verdict', () => {
    const c = view({ status: null, error: 'worker gone (unreachable)' });
    expect(root(c).dataset.verdict).toBe('unknown');
    expect(c.textContent).toContain('worker gone (unreachable)');
  });

  it('explains a danger verdict: reasons, listing, source, what to do, and Report', () => {
    const c = view({ status: popupStatus(tabState()) });
    const main = root(c);
    expect(main.dataset.verdict).toBe('danger');
    expect(c.querySelector('h1')?.textContent).toBe('Not authorized by the brand');
    const reasons = [...c.querySelectorAll('.reasons li')].map((li) => li.textContent);
    expect(reasons).toEqual([
      "!Cheap Skates is not on ACME's list of authorized sellers for amazon.com.",
      '?The price, 39.99 USD, is below the lowest price ACME expects for a new one (120.00 USD).',
    ]);
    const facts = c.querySelector('.product')?.textContent ?? '';
    expect(facts).toContain('ACME Rocket Skates');
    expect(facts).toContain('Sold by Cheap Skates');
    expect(facts).toContain('$39.99');
    expect(facts).toContain("brand's price $199.00");
    expect(facts).toContain('lowest expected $120.00');
    expect(facts).toContain('80% below');
    const source = c.querySelector('.source')?.textContent ?? '';
    expect(source).toContain("ACME's list, version 42, from acme.example");
    expect(source).toContain('synced 3 hours ago');
    expect(source).toContain('expires in 4 weeks');
    const advice = c.querySelector('.advice');
    expect(advice?.querySelector('a')?.getAttribute('href')).toBe('https://acme.example/');
    expect(advice?.textContent).toContain('Check the listing');

    const button = reportButton(c);
    expect(button).not.toBeNull();
    expect(button?.getAttribute('aria-label')).toBeNull(); // its name is its text: "Report"
    expect(c.querySelector<HTMLSelectElement>('select')?.value).toBe('seller-not-authorized');
  });

  it('shows exactly what will be sent, and to whom, before the first report', () => {
    const c = view({ status: popupStatus(tabState()) });
    const notice = c.querySelector('.first-report-notice');
    expect(notice).not.toBeNull();
    const text = notice?.textContent ?? '';
    expect(text).toContain('Pressing Report sends this to reports.acme.example, for ACME');
    expect(text).toContain('https://www.amazon.com/dp/B0EXAMPLE1');
    expect(text).not.toContain('tag=x');
    expect(text).toContain('the seller: Cheap Skates');
    expect(text).toContain('the price: $39.99');
    expect(text).toContain("Genuine's verdict: Not authorized");
    expect(text).toContain('Nothing about you');
    // Above the button.
    const button = reportButton(c);
    expect(
      notice && button && notice.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('folds the notice away once the shopper has consented', () => {
    const c = view({ status: popupStatus(tabState()), consent: { given: true, at: NOW.toISOString() } });
    expect(c.querySelector('.first-report-notice')).toBeNull();
    expect(c.querySelector('details summary')?.textContent).toBe('What is sent?');
  });

  it('has no Report button without a brand list, and says why', () => {
    const c = view({ status: popupStatus(tabState({ verdict: VERDICTS.unknown })) });
    expect(root(c).dataset.verdict).toBe('unknown');
    expect(reportButton(c)).toBeNull();
    expect(c.textContent).toContain('there is no one to report it to');
    expect(c.querySelector('[data-notice="no-list"]')).not.toBeNull();
  });

  it('says when the seller could not be read', () => {
    const state = tabState({
      snapshot: { ...SNAPSHOT, seller: null },
      verdict: verdict('unknown', [REASONS.unreadable]),
      diagnostics: { adapter: 'amazon', missing: ['seller'] },
    });
    const c = view({ status: popupStatus(state) });
    expect(c.querySelector('h1')?.textContent).toBe('Not checked: this page does not show enough');
    expect(c.querySelector('[data-notice="seller-unreadable"]')?.textContent).toContain(
      'could not read the seller',
    );
    expect(c.querySelector('.product')?.textContent).toContain('Not shown on this page');
  });

  it('shows ok and caution verdicts on the root', () => {
    expect(root(view({ status: popupStatus(tabState({ verdict: VERDICTS.ok })) })).dataset.verdict).toBe(
      'ok',
    );
    document.body.innerHTML = '';
    const c = view({ status: popupStatus(tabState({ verdict: VERDICTS.caution })) });
    expect(root(c).dataset.verdict).toBe('caution');
    // Below the floor and not on a (sample) list: the price is the firmer signal.
    expect(c.querySelector<HTMLSelectElement>('select')?.value).toBe('price-too-low');
  });
});

describe('PopupApp', () => {
  const settings = () => ({
    getReportConsent,
    giveReportConsent: async () => {
      const { giveReportConsent } = await import('../../../lib/settings');
      return giveReportConsent(NOW);
    },
    getEnabledMarketplaces: async () => allMarketplacesOn(),
  });

  it('shows the tab from ?tabId without asking for the active tab', async () => {
    const api = fakeApi();
    const activeTabId = vi.fn(async () => 99);
    const c = mount(<PopupApp api={api} tabId={7} activeTabId={activeTabId} settings={settings()} />);
    await settle();
    expect(api.tabState).toHaveBeenCalledWith(7);
    expect(activeTabId).not.toHaveBeenCalled();
    expect(root(c).dataset.verdict).toBe('danger');
  });

  it('asks for the active tab otherwise', async () => {
    const api = fakeApi();
    const c = mount(<PopupApp api={api} tabId={null} activeTabId={async () => 12} settings={settings()} />);
    await settle();
    expect(api.tabState).toHaveBeenCalledWith(12);
    expect(root(c).dataset.verdict).toBe('danger');
  });

  it('keeps asking while the check runs, then shows the verdict', async () => {
    const answers = [tabState({ verdict: null }), null, tabState({ verdict: VERDICTS.ok })];
    let asked = 0;
    const api = fakeApi({
      tabState: vi.fn(async () => answers[Math.min(asked++, answers.length - 1)] ?? null),
    });
    const c = mount(
      <PopupApp api={api} tabId={7} activeTabId={async () => 7} settings={settings()} retryMs={1} />,
    );
    await vi.waitFor(() => expect(root(c).dataset.verdict).toBe('ok'));
    expect(api.tabState).toHaveBeenCalledTimes(3);
  });

  it('says when the check takes long, and still shows a verdict that comes late', async () => {
    let ready = false;
    const api = fakeApi({
      tabState: vi.fn(async () =>
        ready ? tabState({ verdict: VERDICTS.caution }) : tabState({ verdict: null }),
      ),
    });
    const c = mount(
      <PopupApp
        api={api}
        tabId={7}
        activeTabId={async () => 7}
        settings={settings()}
        retryMs={1}
        maxAsks={3}
      />,
    );
    await vi.waitFor(() => expect(root(c).dataset.verdict).toBe('unknown'));
    expect(c.querySelector('h1')?.textContent).toBe('The check is taking long');
    expect((api.tabState as ReturnType<typeof vi.fn>).mock.calls.length).toBeGreaterThanOrEqual(3);
    ready = true;
    await vi.waitFor(() => expect(root(c).dataset.verdict).toBe('caution'));
    const calls = (api.tabState as ReturnType<typeof vi.fn>).mock.calls.length;
    await settle();
    expect((api.tabState as ReturnType<typeof vi.fn>).mock.calls.length).toBe(calls); // a verdict ends the asking
  });

  it('shows an unreachable background as an error', async () => {
    const api = fakeApi({
      tabState: vi.fn(async () => Promise.reject(new RequestError('unreachable', 'no worker'))),
    });
    const c = mount(<PopupApp api={api} tabId={7} activeTabId={async () => 7} settings={settings()} />);
    await settle();
    expect(c.textContent).toContain('no worker (unreachable)');
    expect(root(c).dataset.verdict).toBe('unknown');
  });

  it('reports in one click with the preselected reason, remembers the consent and says it was sent', async () => {
    const api = fakeApi();
    const c = mount(<PopupApp api={api} tabId={7} activeTabId={async () => 7} settings={settings()} />);
    await settle();
    expect((await getReportConsent()).given).toBe(false);
    act(() => reportButton(c)?.click());
    await settle();
    expect(api.report).toHaveBeenCalledWith(7, 'seller-not-authorized', undefined);
    const status = c.querySelector('[role="status"]');
    expect(status?.getAttribute('aria-live')).toBe('polite');
    expect(status?.textContent).toBe('Sent to reports.acme.example. Thank you.');
    expect(await getReportConsent()).toEqual({ given: true, at: NOW.toISOString() });
    expect(c.querySelector('.first-report-notice')).toBeNull();
    expect(reportButton(c)?.disabled).toBe(true); // sent once; no duplicate
  });

  it('sends the reason and comment the shopper chose, with a character counter', async () => {
    const api = fakeApi();
    const c = mount(<PopupApp api={api} tabId={7} activeTabId={async () => 7} settings={settings()} />);
    await settle();
    const select = c.querySelector<HTMLSelectElement>('select');
    const textarea = c.querySelector<HTMLTextAreaElement>('textarea');
    if (!select || !textarea) throw new Error('form missing');
    expect(textarea.maxLength).toBe(500);
    act(() => {
      select.value = 'received-fake';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      textarea.value = 'Stitching is wrong.';
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(c.querySelector('.counter')?.textContent).toBe('19 / 500');
    act(() => reportButton(c)?.click());
    await settle();
    expect(api.report).toHaveBeenCalledWith(7, 'received-fake', 'Stitching is wrong.');
  });

  const results: [string, SubmitResult | Error, string][] = [
    [
      'queued',
      { status: 'queued', reportId: 'r', endpoint: 'https://reports.acme.example/x' },
      'Saved. reports.acme.example could not be reached; Genuine will retry.',
    ],
    [
      'no endpoint',
      { status: 'no-endpoint', contact: 'reports@acme.example', website: 'https://acme.example' },
      'Nothing was sent: ACME publishes no address for reports.',
    ],
    [
      'limited per listing',
      { status: 'limited', limit: 'listing-daily' },
      'You already reported this listing today.',
    ],
    ['daily cap', { status: 'limited', limit: 'daily-cap' }, "You have reached today's limit of reports."],
    [
      'not reportable',
      { status: 'not-reportable', message: 'no product' },
      'This listing cannot be reported: no product',
    ],
    [
      'a failure',
      new RequestError('unreachable', 'worker stopped'),
      'The report could not be saved: worker stopped',
    ],
  ];
  for (const [name, result, text] of results) {
    it(`says so plainly when the report is ${name}`, async () => {
      const api = fakeApi({
        report: vi.fn(async () => {
          if (result instanceof Error) throw result;
          return result;
        }),
      });
      const c = mount(<PopupApp api={api} tabId={7} activeTabId={async () => 7} settings={settings()} />);
      await settle();
      act(() => reportButton(c)?.click());
      await settle();
      expect(c.querySelector('.report-result')?.textContent).toContain(text);
      if (name === 'no endpoint') {
        const links = [...(c.querySelector('.report-result')?.querySelectorAll('a') ?? [])].map((a) =>
          a.getAttribute('href'),
        );
        expect(links).toEqual(['mailto:reports@acme.example', 'https://acme.example/']);
      }
    });
  }
});
