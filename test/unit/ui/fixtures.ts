import { type ComponentChild, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach } from 'vitest';
import type { BrandInfo, Level, Reason, ReasonCode, Verdict } from '../../../lib/check/types';
import { type Catalog, setCatalog } from '../../../lib/i18n';
import type { TabState } from '../../../lib/messages';
import type { ProductSnapshot } from '../../../lib/sites/snapshot';
import en from '../../../public/_locales/en/messages.json';
import zh from '../../../public/_locales/zh_CN/messages.json';

export const EN = en as Catalog;
export const ZH = zh as Catalog;

/** English messages for every test in the file (fakeBrowser has no i18n), and a clean DOM. */
export function useEnglish(): void {
  beforeEach(() => setCatalog(EN));
  afterEach(() => {
    setCatalog(null);
    document.body.innerHTML = '';
  });
}

export const NOW = new Date('2026-11-21T12:00:00Z');

export const BRAND: BrandInfo = {
  brandId: 'acme',
  name: 'ACME',
  website: 'https://acme.example',
  contact: 'reports@acme.example',
  reportEndpoint: 'https://reports.acme.example/api/genuine-reports',
  feedUrl: 'https://acme.example/.well-known/genuine-feed.json',
  feedVersion: 42,
  issuedAt: '2026-11-20T00:00:00Z',
  expiresAt: '2026-12-20T00:00:00Z',
  lastSync: '2026-11-21T09:00:00Z',
};

export const SNAPSHOT: ProductSnapshot = {
  marketplace: 'amazon',
  site: 'amazon.com',
  url: 'https://www.amazon.com/dp/B0EXAMPLE1?tag=x&th=1#reviews',
  productId: 'B0EXAMPLE1',
  gtin: '00614141000012',
  title: 'ACME Rocket Skates',
  brand: 'ACME',
  price: { amount: 39.99, currency: 'USD' },
  seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates', isPlatform: false },
  condition: 'new',
};

const LEVEL_OF: Record<ReasonCode, Level> = {
  'seller-blocked': 'danger',
  'seller-not-authorized': 'danger',
  'seller-not-verified': 'caution',
  'seller-authorized': 'ok',
  'platform-authorized': 'ok',
  'price-below-floor': 'caution',
  'used-item': 'unknown',
  'no-channel': 'unknown',
  'no-feed': 'unknown',
  'feed-expired': 'unknown',
  'seller-unreadable': 'unknown',
  'no-brand': 'unknown',
  'not-for-sale': 'unknown',
};

/** A reason as lib/check makes it: messageArgs in the order of REASON_ARGS. */
export function reason(code: ReasonCode, messageArgs: string[], evidence: Reason['evidence'] = {}): Reason {
  return {
    code,
    level: LEVEL_OF[code],
    messageKey: `reason_${code.replaceAll('-', '_')}`,
    messageArgs,
    evidence: { brandId: 'acme', marketplace: 'amazon', site: 'amazon.com', ...evidence },
  };
}

export const REASONS = {
  notAuthorized: reason('seller-not-authorized', ['Cheap Skates', 'ACME', 'amazon.com'], {
    seller: { id: 'A9BADBADBAD123', name: 'Cheap Skates' },
  }),
  blocked: reason('seller-blocked', ['Cheap Skates', 'ACME'], { blockedReason: 'test purchase 2026-10' }),
  priceLow: reason('price-below-floor', ['39.99 USD', '120.00 USD', 'ACME'], {
    price: { amount: 39.99, currency: 'USD' },
    floor: 120,
    msrp: 199,
    percentBelow: 80,
  }),
  notVerified: reason('seller-not-verified', ['Cheap Skates', 'ACME', 'amazon.com']),
  authorized: reason('seller-authorized', ['ACME Official', 'ACME', 'amazon.com']),
  noFeed: reason('no-feed', ['Globex']),
  unreadable: reason('seller-unreadable', []),
} satisfies Record<string, Reason>;

export function verdict(level: Level, reasons: Reason[], brand: BrandInfo | null = BRAND): Verdict {
  return { level, brand, reasons, checkedAt: '2026-11-21T11:59:00Z' };
}

export const VERDICTS: Record<Level, Verdict> = {
  ok: verdict('ok', [REASONS.authorized]),
  caution: verdict('caution', [REASONS.notVerified, REASONS.priceLow]),
  danger: verdict('danger', [REASONS.notAuthorized, REASONS.priceLow]),
  unknown: verdict('unknown', [REASONS.noFeed], null),
};

export function tabState(partial: Partial<TabState> = {}): TabState {
  return {
    tabId: 7,
    url: SNAPSHOT.url,
    supported: true,
    snapshot: SNAPSHOT,
    diagnostics: null,
    verdict: VERDICTS.danger,
    updatedAt: '2026-11-21T11:59:00Z',
    ...partial,
  };
}

/** Renders into a fresh container attached to the document. */
export function mount(vnode: ComponentChild): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  act(() => {
    render(vnode, container);
  });
  return container;
}

/** Lets pending promises and Preact's scheduled renders run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

export function byText<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  text: string,
): T | null {
  for (const el of root.querySelectorAll<T & Element>(selector)) {
    if (el.textContent?.trim() === text) return el;
  }
  return null;
}
