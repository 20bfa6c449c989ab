import { describe, expect, it } from 'vitest';
import {
  type Feed,
  MAX_BYTES,
  parseEnvelope,
  signDocument,
  toBase64,
  verifyDocument,
} from '../../../lib/feed';
import {
  DAY,
  DIRECTORY_TYPE,
  envelope,
  FEED_TYPE,
  iso,
  keys,
  NOW,
  paeSign,
  rawSign,
  sha256,
  signed,
  validDirectory,
  validFeed,
} from './helpers';

const T = NOW.getTime();

async function feedOptions(extra: Record<string, unknown> = {}) {
  const [a] = await keys();
  return { kind: 'feed' as const, keys: [a?.publicKey ?? ''], now: NOW, ...extra };
}

async function expectCode(body: string | Uint8Array, code: string, extra: Record<string, unknown> = {}) {
  const result = await verifyDocument(body, await feedOptions(extra));
  expect(result.ok ? 'ok' : result.code, result.ok ? '' : result.message).toBe(code);
  return result.ok ? '' : result.message;
}

describe('verifyDocument: happy paths', () => {
  it('accepts a signed feed and returns the document, version and payload sha256', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const document = validFeed();
    const body = await signed(document, 'feed', a);
    const result = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.version).toBe(42);
    expect(result.sha256).toBe(sha256(JSON.stringify(document)));
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.document.brandId).toBe('acme');
    expect(result.document.channels[0]?.sellers[1]?.until).toBe('2026-12-31T00:00:00Z');
    expect(result.publicKey).toBe(a.publicKey);
  });

  it('accepts the directory, given as bytes', async () => {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const body = await signed(validDirectory(b.publicKey), 'directory', a);
    const result = await verifyDocument(new TextEncoder().encode(body), {
      kind: 'directory',
      keys: [a.publicKey],
      now: NOW,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.version).toBe(12);
    expect('brands' in result.document && result.document.brands[0]?.keys[0]?.publicKey).toBe(b.publicKey);
  });

  it('normalises GTINs and drops unknown fields (forward compatibility)', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const body = await signed(
      validFeed({ products: [{ gtin: '614141000012', futureField: 1 }], extra: { x: 1 } }),
      'feed',
      a,
    );
    const result = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const feed = result.document as Feed;
    expect(feed.products?.[0]).toEqual({ gtin: '00614141000012' });
    expect('extra' in feed).toBe(false);
  });

  it('defaults now to the clock', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const now = Date.now();
    const body = await signed(validFeed({ issuedAt: iso(now), expiresAt: iso(now + 10 * DAY) }), 'feed', a);
    expect((await verifyDocument(body, { kind: 'feed', keys: [a.publicKey] })).ok).toBe(true);
  });
});

describe('verifyDocument: too-large', () => {
  it('rejects a 6 MB body as text and as bytes', async () => {
    const big = `{"payload":"${'A'.repeat(6 * 1024 * 1024)}"}`;
    expect(await expectCode(big, 'too-large')).toMatch(/limit for a feed is 5242880 bytes/);
    await expectCode(new TextEncoder().encode(big), 'too-large');
  });

  it('measures UTF-8 bytes, not characters', async () => {
    // 400 000 euro signs: 400 000 characters but 1 200 000 bytes, over the 1 MB directory limit.
    const body = '€'.repeat(400_000);
    expect(body.length).toBeLessThan(MAX_BYTES.directory);
    const result = await verifyDocument(body, { kind: 'directory', keys: [], now: NOW });
    expect(result.ok ? 'ok' : result.code).toBe('too-large');
    // The same body is within the 5 MB feed limit: it fails later, as not JSON.
    const asFeed = await verifyDocument(body, { kind: 'feed', keys: [], now: NOW });
    expect(asFeed.ok ? 'ok' : asFeed.code).toBe('malformed');
  });

  it('applies the 1 MB limit to the directory only', async () => {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const filler = 'x'.repeat(1024 * 1024);
    const bigDirectory = await signed({ ...validDirectory(b.publicKey), filler }, 'directory', a);
    const result = await verifyDocument(bigDirectory, { kind: 'directory', keys: [a.publicKey], now: NOW });
    expect(result.ok ? 'ok' : result.code).toBe('too-large');
    const bigFeed = await signed(validFeed({ filler }), 'feed', a);
    expect((await verifyDocument(bigFeed, { kind: 'feed', keys: [a.publicKey], now: NOW })).ok).toBe(true);
  });
});

describe('verifyDocument: malformed', () => {
  it('rejects empty, blank, non-JSON and truncated bodies', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const good = await signed(validFeed(), 'feed', a);
    expect(await expectCode('', 'malformed')).toMatch(/empty/);
    await expectCode('   \n', 'malformed');
    await expectCode(new Uint8Array(0), 'malformed');
    expect(await expectCode('<html>404</html>', 'malformed')).toMatch(/not JSON/);
    await expectCode(good.slice(0, Math.floor(good.length / 2)), 'malformed');
    await expectCode(good.slice(0, -1), 'malformed');
    await expectCode(new Uint8Array([0xff, 0xfe, 0x00, 0x7b]), 'malformed');
  });

  it('rejects JSON that is not a DSSE envelope', async () => {
    for (const body of [
      'null',
      '42',
      '"text"',
      '[]',
      '{}',
      '{"payloadType":"x","payload":"","signatures":[]}',
    ]) {
      await expectCode(body, 'malformed');
    }
    await expectCode(
      JSON.stringify({ payloadType: FEED_TYPE, payload: 'e30=', signatures: 'abc' }),
      'malformed',
    );
    await expectCode(
      JSON.stringify({ payloadType: 7, payload: 'e30=', signatures: [{ sig: 'AA==' }] }),
      'malformed',
    );
  });

  it('rejects bad base64 in the payload and in a signature', async () => {
    expect(
      await expectCode(
        JSON.stringify({
          payloadType: FEED_TYPE,
          payload: '!!!not base64!!!',
          signatures: [{ keyid: 'k', sig: 'AAAA' }],
        }),
        'malformed',
      ),
    ).toMatch(/payload: not valid base64/);
    expect(
      await expectCode(
        JSON.stringify({
          payloadType: FEED_TYPE,
          payload: 'e30=',
          signatures: [{ keyid: 'k', sig: 'AA A=' }],
        }),
        'malformed',
      ),
    ).toMatch(/signatures\[0\]\.sig/);
    await expectCode(
      JSON.stringify({ payloadType: FEED_TYPE, payload: 'e30', signatures: [{ sig: 'AAAA=' }] }),
      'malformed',
    );
  });

  it('rejects a payload that is not JSON or not UTF-8', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const text = 'not json at all';
    const sig = await paeSign(a, FEED_TYPE, text);
    expect(await expectCode(envelope(FEED_TYPE, text, [{ keyid: 'k1', sig }]), 'malformed')).toMatch(
      /payload: not JSON/,
    );
    expect(
      await expectCode(envelope(FEED_TYPE, new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), [{ sig }]), 'malformed'),
    ).toMatch(/UTF-8/);
  });

  it('rejects more than 16 signatures and bodies of the wrong type, never throwing', async () => {
    const sigs = Array.from({ length: 17 }, () => ({ keyid: 'k', sig: toBase64(new Uint8Array(64)) }));
    expect(await expectCode(envelope(FEED_TYPE, '{}', sigs), 'malformed')).toMatch(/at most 16/);
    for (const body of [undefined, null, 42, {}, [1, 2], new ArrayBuffer(3)]) {
      const result = await verifyDocument(body as unknown as string, await feedOptions());
      expect(result.ok ? 'ok' : result.code).toBe('malformed');
    }
  });
});

describe('verifyDocument: wrong-type', () => {
  it('rejects a directory where a feed is expected, and any other type', async () => {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const directory = await signed(validDirectory(b.publicKey), 'directory', a);
    expect(await expectCode(directory, 'wrong-type')).toMatch(
      /a directory.*expected "application\/vnd\.genuine\.feed\+json; version=1"/,
    );
    const payload = JSON.stringify(validFeed());
    for (const type of [
      'application/json',
      'application/vnd.genuine.feed+json; version=2',
      `${FEED_TYPE} `,
    ]) {
      const sig = await paeSign(a, type, payload);
      await expectCode(envelope(type, payload, [{ keyid: 'k1', sig }]), 'wrong-type');
    }
  });
});

describe('verifyDocument: bad-signature', () => {
  it('rejects a valid signature by a key that is not trusted, even if the envelope names it', async () => {
    const [a, , c] = await keys();
    if (!a || !c) throw new Error('no key');
    const body = await signed(validFeed(), 'feed', c, 'acme-2026a');
    const message = await expectCode(body, 'bad-signature');
    expect(message).toMatch(/no signature verifies under a trusted key/);
    expect(message).toMatch(/acme-2026a/);
    expect(message).toMatch(/none trusted/);
    // The key travels in the envelope for trust on first use, but only the caller decides.
    const parsed = parseEnvelope(body);
    expect(parsed.ok && parsed.envelope.signatures[0]?.publicKey).toBe(c.publicKey);
  });

  it('rejects a tampered payload', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const good = JSON.parse(await signed(validFeed(), 'feed', a)) as {
      payload: string;
      signatures: object[];
    };
    const text = new TextDecoder().decode(Uint8Array.from(atob(good.payload), (c) => c.charCodeAt(0)));
    const tampered = text.replace('"A9BADBADBAD123"', '"A9BADBADBAD124"');
    expect(tampered).not.toBe(text);
    await expectCode(envelope(FEED_TYPE, tampered, good.signatures), 'bad-signature');
    const spaced = `${text} `; // one added byte of whitespace is still a different payload
    await expectCode(envelope(FEED_TYPE, spaced, good.signatures), 'bad-signature');
  });

  it('rejects signatures over other bytes: another document, the bare payload, another type', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const payload = JSON.stringify(validFeed());
    const other = JSON.stringify(validFeed({ version: 43 }));
    await expectCode(
      envelope(FEED_TYPE, payload, [{ keyid: 'k1', sig: await paeSign(a, FEED_TYPE, other) }]),
      'bad-signature',
    );
    await expectCode(
      envelope(FEED_TYPE, payload, [
        { keyid: 'k1', sig: await rawSign(a, new TextEncoder().encode(payload)) },
      ]),
      'bad-signature',
    );
    await expectCode(
      envelope(FEED_TYPE, payload, [{ keyid: 'k1', sig: await paeSign(a, DIRECTORY_TYPE, payload) }]),
      'bad-signature',
    );
    // lengths are in bytes: a PAE that counts characters of a non-ASCII payload is a different message
    const utf = JSON.stringify(validFeed({ brand: { name: 'アクメ' } }));
    const wrongLength = new TextEncoder().encode(
      `DSSEv1 ${FEED_TYPE.length} ${FEED_TYPE} ${utf.length} ${utf}`,
    );
    await expectCode(envelope(FEED_TYPE, utf, [{ sig: await rawSign(a, wrongLength) }]), 'bad-signature');
    await expectCode(
      envelope(FEED_TYPE, payload, [{ keyid: 'k1', sig: toBase64(new Uint8Array(64)) }]),
      'bad-signature',
    );
    await expectCode(envelope(FEED_TYPE, payload, [{ keyid: 'k1', sig: 'AAAA' }]), 'bad-signature');
  });

  it('rejects when no usable trusted key is given', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const body = await signed(validFeed(), 'feed', a);
    expect(await expectCode(body, 'bad-signature', { keys: [] })).toMatch(/no trusted key/);
    await expectCode(body, 'bad-signature', { keys: ['not a key', 'AAAA', a.publicKey.slice(1)] });
    await expectCode(body, 'bad-signature', { keys: 'oops' });
  });

  it('accepts when one of several signatures is by a trusted key, whatever the keyids say', async () => {
    const [a, b, c] = await keys();
    if (!a || !b || !c) throw new Error('no key');
    const body = await signDocument(validFeed(), 'feed', [
      { keyid: 'acme-2026a', privateKey: c.privateKey, publicKey: c.publicKey },
      { keyid: 'acme-2026a', privateKey: b.privateKey, publicKey: b.publicKey },
    ]);
    const result = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey, b.publicKey], now: NOW });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.publicKey).toBe(b.publicKey);
    const none = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW });
    expect(none.ok ? 'ok' : none.code).toBe('bad-signature');
  });

  it('checks the signature before the schema and the dates', async () => {
    const [, , c] = await keys();
    if (!c) throw new Error('no key');
    const body = await signed(validFeed({ version: 'x', expiresAt: iso(T - DAY) }), 'feed', c);
    await expectCode(body, 'bad-signature');
  });
});

describe('verifyDocument: schema', () => {
  it('names the JSON path of a problem deep inside', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const sellers = Array.from({ length: 20 }, (_, i) => ({ id: `A${String(i).padStart(13, '0')}` }));
    sellers[14] = { id: 12345 } as unknown as { id: string };
    const channels = [
      { marketplace: 'amazon', complete: false, sellers: [] },
      { marketplace: 'ebay', complete: false, sellers: [] },
      { marketplace: 'walmart', complete: true, sellers },
    ];
    const message = await expectCode(await signed(validFeed({ channels }), 'feed', a), 'schema');
    expect(message).toMatch(/^channels\[2\]\.sellers\[14\]\.id: expected string, received number/);
  });

  it('rejects a bad GTIN check digit, a bad currency and a missing field', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    expect(
      await expectCode(
        await signed(validFeed({ products: [{ gtin: '00614141000013' }] }), 'feed', a),
        'schema',
      ),
    ).toMatch(/products\[0\]\.gtin: expected a GTIN with a valid GS1 check digit/);
    expect(
      await expectCode(
        await signed(validFeed({ products: [{ prices: [{ currency: 'XYZ', msrp: '1.00' }] }] }), 'feed', a),
        'schema',
      ),
    ).toMatch(/products\[0\]\.prices\[0\]\.currency: expected an ISO 4217 currency code/);
    const { brand: _brand, ...noBrand } = validFeed();
    expect(await expectCode(await signed(noBrand, 'feed', a), 'schema')).toMatch(
      /^brand: missing \(expected object\)/,
    );
    expect(
      await expectCode(
        await signed(
          validFeed({ channels: [{ marketplace: 'amazn', complete: true, sellers: [] }] }),
          'feed',
          a,
        ),
        'schema',
      ),
    ).toMatch(/channels\[0\]\.marketplace: expected one of .*\(got "amazn"\)/);
  });

  it('lists at most five problems and counts the rest', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const products = Array.from({ length: 8 }, () => ({ gtin: '1' }));
    const message = await expectCode(await signed(validFeed({ products }), 'feed', a), 'schema');
    expect(message).toMatch(/and 3 more problems$/);
  });

  it('rejects a feed of another brand when the caller expects one', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const body = await signed(validFeed({ brandId: 'evil' }), 'feed', a);
    expect(await expectCode(body, 'schema', { expectBrandId: 'acme' })).toMatch(
      /brandId: expected "acme".*got "evil"/,
    );
    await expectCode(body, 'ok', { expectBrandId: 'evil' });
  });

  it('rejects a payload that is JSON but not an object', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    await expectCode(await signed('[1,2,3]', 'feed', a), 'schema');
  });
});

describe('verifyDocument: dates', () => {
  async function withDates(issuedAt: number, expiresAt: number, kind: 'feed' | 'directory' = 'feed') {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const dates = { issuedAt: iso(issuedAt), expiresAt: iso(expiresAt) };
    const document = kind === 'feed' ? validFeed(dates) : validDirectory(b.publicKey, dates);
    const result = await verifyDocument(await signed(document, kind, a), {
      kind,
      keys: [a.publicKey],
      now: NOW,
    });
    return result.ok ? { code: 'ok', message: '' } : result;
  }

  it('rejects issuedAt more than 24 h ahead, tolerates less', async () => {
    const far = await withDates(T + 2 * DAY, T + 20 * DAY);
    expect(far.code).toBe('not-yet-valid');
    expect(far.message).toMatch(/more than 24 h after now/);
    expect((await withDates(T + 23 * 3_600_000, T + 20 * DAY)).code).toBe('ok');
    expect((await withDates(T + DAY, T + 20 * DAY)).code).toBe('ok');
    expect((await withDates(T + DAY + 1000, T + 20 * DAY)).code).toBe('not-yet-valid');
  });

  it('rejects an expired document', async () => {
    const result = await withDates(T - 30 * DAY, T - 1000);
    expect(result.code).toBe('expired');
    expect(result.message).toMatch(/expired at/);
  });

  it('rejects a lifetime over 90 days for a feed and 14 days for the directory', async () => {
    expect((await withDates(T - DAY, T - DAY + 90 * DAY)).code).toBe('ok');
    const feed = await withDates(T - DAY, T - DAY + 91 * DAY);
    expect(feed.code).toBe('expired');
    expect(feed.message).toMatch(/lifetime of 91 days .* longer than the 90 days/);
    expect((await withDates(T - DAY, T - DAY + 14 * DAY, 'directory')).code).toBe('ok');
    expect((await withDates(T - DAY, T - DAY + 15 * DAY, 'directory')).code).toBe('expired');
  });

  it('rejects expiresAt that is not after issuedAt', async () => {
    const result = await withDates(T - DAY, T - DAY);
    expect(result.code).toBe('expired');
  });

  it('reads timestamps with offsets', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const body = await signed(
      validFeed({ issuedAt: '2026-11-20T20:00:00+09:00', expiresAt: '2026-12-01T00:00:00-05:00' }),
      'feed',
      a,
    );
    expect((await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW })).ok).toBe(true);
  });
});

describe('verifyDocument: rollback', () => {
  it('rejects an older version and the same version with other bytes; accepts the same bytes', async () => {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const document = validFeed({ version: 42 });
    const payloadSha = sha256(JSON.stringify(document));
    const body = await signed(document, 'feed', a);

    const older = await expectCode(body, 'rollback', { stored: { version: 43, sha256: payloadSha } });
    expect(older).toMatch(/version 42 is older than the stored version 43/);

    const changed = await signed(validFeed({ version: 42, channels: [] }), 'feed', a);
    expect(await expectCode(changed, 'rollback', { stored: { version: 42, sha256: payloadSha } })).toMatch(
      /needs a higher version/,
    );

    // The same document signed again (another key, another signature) is unchanged, not a rollback.
    const resigned = await signed(document, 'feed', b, 'acme-2026b');
    expect(resigned).not.toBe(body);
    const same = await verifyDocument(resigned, {
      kind: 'feed',
      keys: [a.publicKey, b.publicKey],
      now: NOW,
      stored: { version: 42, sha256: payloadSha.toUpperCase() },
    });
    expect(same.ok).toBe(true);
    if (same.ok) expect(same.sha256).toBe(payloadSha);

    await expectCode(body, 'ok', { stored: { version: 41, sha256: 'f'.repeat(64) } });
  });

  it('hashes the payload bytes exactly as signed', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const pretty = JSON.stringify(validFeed(), null, 2);
    const result = await verifyDocument(await signed(pretty, 'feed', a), await feedOptions());
    expect(result.ok && result.sha256).toBe(sha256(pretty));
  });
});

describe('verifyDocument: bad options', () => {
  it('never throws on nonsense options', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const body = await signed(validFeed(), 'feed', a);
    for (const options of [
      undefined,
      null,
      {},
      { kind: 'other', keys: [] },
      { kind: 'feed' },
      { kind: 'feed', keys: [a.publicKey], now: new Date(Number.NaN), stored: { version: 'x' } },
    ]) {
      const result = await verifyDocument(body, options as unknown as { kind: 'feed'; keys: string[] });
      expect(typeof result.ok).toBe('boolean');
    }
  });
});
