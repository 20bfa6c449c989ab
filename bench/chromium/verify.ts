import type { Browser } from 'puppeteer-core';
import type { World } from '../../test/e2e/support/world';
import type { Harness } from '../browser/harness';
import { summarizeVerify } from '../core/verify';
import { signBigFeed } from '../data';
import type { Row } from '../results';

/**
 * Section 4 in Chromium: verifyDocument on the large signed feed inside an ordinary https page
 * (a secure context, so WebCrypto's Ed25519 is there), against subtle.verify + JSON.parse of the
 * same bytes in the same page.
 */
export async function benchVerifyChromium(options: {
  browser: Browser;
  world: World;
  bundle: string;
  envelopeBytes: number;
  iterations: number;
  seed: number;
}): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const big = await signBigFeed(options.envelopeBytes, options.seed);
  const host = 'bench.genuine.test';
  options.world.page(options.world.url(host, '/'), '<!doctype html><title>bench</title>');
  const feedUrl = options.world.url(host, '/big-feed.json');
  options.world.publish(feedUrl, Buffer.from(big.body), { maxAge: 0 });
  const page = await options.browser.newPage();
  try {
    await page.goto(options.world.url(host, '/'), { waitUntil: 'load' });
    await page.evaluate(options.bundle);
    const m = await page.evaluate(
      (a: { url: string; publicKey: string; iterations: number; at: string }) =>
        (globalThis as unknown as { __genuineBench: Harness }).__genuineBench.verify(a),
      { url: feedUrl, publicKey: big.publicKey, iterations: options.iterations, at: big.at.toISOString() },
    );
    return summarizeVerify(m, 'Chromium', 'verify.chromium');
  } finally {
    await page.close().catch(() => undefined);
  }
}
