import { describe, expect, it } from 'vitest';
import { feedErrorText, isLoudFeedError } from '../../../lib/ui/feeds';
import {
  ellipsize,
  formatPrice,
  formatRelative,
  hostOf,
  listingUrlForReport,
  safeHref,
} from '../../../lib/ui/format';
import { shopOrigin } from '../../../lib/ui/permissions';
import {
  isWaiting,
  popupStatus,
  priceComparison,
  reportPreview,
  rootLevel,
  sellerLine,
  sourceLines,
} from '../../../lib/ui/popup-model';
import { orderedReasons, reasonSentence } from '../../../lib/ui/reasons';
import { suggestedReportReason, verdictLabel, verdictVariant, verdictWord } from '../../../lib/ui/verdict';
import { BRAND, NOW, REASONS, reason, SNAPSHOT, tabState, useEnglish, VERDICTS, verdict } from './fixtures';

useEnglish();

describe('format', () => {
  it('formats prices in the language of the messages', () => {
    expect(formatPrice(39.99, 'USD', 'en')).toBe('$39.99');
    expect(formatPrice(1299, 'CNY', 'zh-CN')).toBe('¥1,299.00');
    expect(formatPrice(5, 'XYZ1', 'en')).toBe('5.00 XYZ1');
  });

  it('says how long ago or how soon', () => {
    expect(formatRelative('2026-11-21T09:00:00Z', NOW, 'en')).toBe('3 hours ago');
    expect(formatRelative('2026-12-11T12:00:00Z', NOW, 'en')).toBe('in 3 weeks');
    expect(formatRelative('2026-11-21T11:59:30Z', NOW, 'en')).toBe('just now');
    expect(formatRelative('2026-11-20T12:00:00Z', NOW, 'en')).toBe('yesterday');
    expect(formatRelative('2026-11-21T09:00:00Z', NOW, 'zh-CN')).toBe('3小时前');
    expect(formatRelative('not a date', NOW, 'en')).toBe('');
  });

  it('keeps only http(s) links and strips queries from listing URLs', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('https://acme.example')).toBe('https://acme.example/');
    expect(hostOf('https://reports.acme.example/api')).toBe('reports.acme.example');
    expect(hostOf('mailto:x@y.z')).toBeNull();
    expect(listingUrlForReport(SNAPSHOT.url)).toBe('https://www.amazon.com/dp/B0EXAMPLE1');
    expect(ellipsize('abcdefghij', 5)).toBe('abcd…');
    expect(ellipsize('abc', 5)).toBe('abc');
  });
});

describe('reason sentences', () => {
  it('use the reason’s own arguments when they fit the table', () => {
    expect(reasonSentence(REASONS.notAuthorized)).toBe(
      "Cheap Skates is not on ACME's list of authorized sellers for amazon.com.",
    );
    expect(reasonSentence(REASONS.priceLow)).toBe(
      'The price, 39.99 USD, is below the lowest price ACME expects for a new one (120.00 USD).',
    );
  });

  it('fall back to the evidence when the arguments do not fit, never leaving a hole', () => {
    const odd = { ...REASONS.priceLow, messageArgs: ['only one'] };
    expect(reasonSentence(odd, { brand: BRAND })).toBe(
      'The price, $39.99, is below the lowest price ACME expects for a new one ($120.00).',
    );
    const noSeller = reason('seller-not-authorized', [], {});
    expect(reasonSentence(noSeller, { brand: BRAND })).toBe(
      "This seller is not on ACME's list of authorized sellers for amazon.com.",
    );
  });

  it('never look up a key outside the reason family', () => {
    const sneaky = { ...REASONS.unreadable, messageKey: 'extDescription' };
    expect(reasonSentence(sneaky)).toBe('This page does not show who sells the item.');
  });

  it('put the most serious first', () => {
    const order = orderedReasons([REASONS.noFeed, REASONS.priceLow, REASONS.notAuthorized]).map(
      (r) => r.code,
    );
    expect(order).toEqual(['seller-not-authorized', 'price-below-floor', 'no-feed']);
  });
});

describe('verdict words', () => {
  it('pick the words and the report reason from the codes', () => {
    expect(verdictWord(VERDICTS.danger)).toBe('Not authorized');
    expect(verdictLabel(VERDICTS.ok)).toBe('Genuine: Authorized seller');
    expect(verdictVariant(verdict('unknown', [REASONS.unreadable]))).toBe('unchecked');
    expect(verdictVariant(verdict('unknown', [REASONS.unreadable, REASONS.noFeed]))).toBe('list');
    expect(suggestedReportReason(VERDICTS.danger)).toBe('seller-not-authorized');
    expect(suggestedReportReason(verdict('caution', [REASONS.priceLow]))).toBe('price-too-low');
    expect(suggestedReportReason(verdict('danger', [REASONS.blocked]))).toBe('seller-not-authorized');
    expect(suggestedReportReason(VERDICTS.ok)).toBe('other');
    expect(suggestedReportReason(verdict('unknown', [REASONS.unreadable]))).toBe('looks-fake');
  });
});

describe('popup status', () => {
  it('tells the graceful states apart', () => {
    expect(popupStatus(null).kind).toBe('no-state');
    expect(popupStatus(tabState({ supported: false, snapshot: null, verdict: null })).kind).toBe(
      'unsupported',
    );
    expect(popupStatus(tabState({ snapshot: null, verdict: null })).kind).toBe('not-product');
    expect(popupStatus(tabState({ verdict: null })).kind).toBe('checking');
    expect(popupStatus(tabState(), (m) => m !== 'amazon').kind).toBe('disabled');
    expect(popupStatus(tabState()).kind).toBe('verdict');
  });

  it('waits only for what will come by itself, and has a root level for each state', () => {
    expect(isWaiting(popupStatus(null))).toBe(true);
    expect(isWaiting(popupStatus(tabState({ verdict: null })))).toBe(true);
    expect(isWaiting(popupStatus(tabState()))).toBe(false);
    expect(rootLevel(popupStatus(tabState()))).toBe('danger');
    expect(rootLevel(popupStatus(tabState({ supported: false })))).toBe('unknown');
  });

  it('raises notices for no list and an unreadable seller (from the reasons or the diagnostics)', () => {
    const noList = popupStatus(tabState({ verdict: VERDICTS.unknown }));
    expect(noList.kind === 'verdict' && noList.notices).toEqual(['no-list']);
    const diag = popupStatus(
      tabState({
        verdict: verdict('caution', [REASONS.priceLow]),
        diagnostics: { adapter: 'amazon', missing: ['seller'] },
      }),
    );
    expect(diag.kind === 'verdict' && diag.notices).toEqual(['seller-unreadable']);
  });

  it('compares the price with the brand’s MSRP and floor', () => {
    expect(priceComparison(SNAPSHOT, VERDICTS.danger.reasons)).toEqual({
      price: '$39.99',
      msrp: '$199.00',
      floor: '$120.00',
      percentBelow: 80,
    });
    const eur = reason('price-below-floor', [], { price: { amount: 10, currency: 'EUR' }, floor: 50 });
    expect(priceComparison(SNAPSHOT, [eur])).toEqual({
      price: '$39.99',
      msrp: null,
      floor: null,
      percentBelow: null,
    });
  });

  it('describes the seller and the source list', () => {
    expect(sellerLine(SNAPSHOT)).toBe('Sold by Cheap Skates');
    expect(sellerLine({ ...SNAPSHOT, seller: { id: null, name: 'Amazon.com', isPlatform: true } })).toBe(
      'Sold by Amazon.com (the marketplace itself)',
    );
    expect(sellerLine({ ...SNAPSHOT, seller: null })).toBeNull();
    expect(sourceLines(BRAND, NOW)).toEqual({
      list: "ACME's list, version 42, from acme.example",
      synced: 'synced 3 hours ago',
      expires: 'expires in 4 weeks',
    });
    expect(sourceLines({ ...BRAND, expiresAt: '2026-11-20T12:00:00Z' }, NOW).expires).toBe(
      'expired yesterday',
    );
  });

  it('previews exactly what a report carries', () => {
    expect(reportPreview(SNAPSHOT, VERDICTS.danger)).toEqual({
      endpointHost: 'reports.acme.example',
      listingUrl: 'https://www.amazon.com/dp/B0EXAMPLE1',
      seller: 'Cheap Skates',
      price: '$39.99',
      level: 'danger',
    });
  });
});

describe('feed errors and shop origins', () => {
  it('explain known codes, keep the message of unknown ones, and flag a key change loudly', () => {
    expect(feedErrorText('bad-signature', 'x')).toBe('The signature does not match a trusted key.');
    expect(feedErrorText('http-503', 'x')).toBe('The server answered with an error.');
    expect(feedErrorText('strange', 'what the server said')).toBe('what the server said');
    expect(isLoudFeedError('key-changed')).toBe(true);
    expect(isLoudFeedError('expired')).toBe(false);
  });

  it('turn what a person types into one https origin, or refuse it', () => {
    expect(shopOrigin('shop.example.com')).toBe('https://shop.example.com/*');
    expect(shopOrigin(' https://Shop.Example.com/p/1?x=2 ')).toBe('https://shop.example.com/*');
    expect(shopOrigin('http://shop.example.com')).toBeNull();
    expect(shopOrigin('localhost')).toBeNull();
    expect(shopOrigin('*.example.com')).toBeNull();
    expect(shopOrigin('')).toBeNull();
  });
});
