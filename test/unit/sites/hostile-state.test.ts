import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../lib/sites';
import { ProductSnapshot } from '../../../lib/sites/snapshot';

// Broken or poisoned embedded state, in every shape the adapters read (window.runParams,
// __NEXT_DATA__, __PRELOADED_STATE__, JSON-LD, pageConfig/g_config, __TGT_DATA__, microdata),
// fed to every marketplace adapter on each of its own example URLs.
const HOSTILE = [
  '<script>window.runParams = { data: {"a": [1, 2</script>',
  '<script id="__NEXT_DATA__" type="application/json">{"props": nope</script>',
  '<script id="__PRELOADED_STATE__" type="application/json">{"__proto__": {"polluted": true}}</script>',
  `<script type="application/ld+json">${'['.repeat(3000)}{"@type":"Product","name":"deep"}${']'.repeat(3000)}</script>`,
  '<script type="application/ld+json">{"@type":"Product","name":{"x":1},"brand":[],"offers":{"price":"-5","priceCurrency":"usd$"}}</script>',
  "<script>var pageConfig = { product: { shopId: '', name: '\\u00' } }; window.g_config = { sellerId : '' };</script>",
  `<script>Object.defineProperties(window,{'__TGT_DATA__':{value:JSON.parse("${'\\'.repeat(9)}")}})</script>`,
  '<h1>   </h1><div data-testid="price">$</div><span itemprop="price">NaN</span><p class="wt-text-title-03">∞ €</p>',
].join('\n');

describe('hostile embedded state', () => {
  const doc = new DOMParser().parseFromString(
    `<html><head></head><body>${HOSTILE}</body></html>`,
    'text/html',
  );
  for (const adapter of ADAPTERS) {
    it(`${adapter.name}: never throws, returns a valid snapshot or null, pollutes nothing`, () => {
      for (const u of adapter.examples.match) {
        const snapshot = adapter.extract(doc, new URL(u));
        if (snapshot) expect(ProductSnapshot.safeParse(snapshot).success, u).toBe(true);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
