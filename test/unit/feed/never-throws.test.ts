import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelope, toBase64, type VerifyResult, verifyDocument } from '../../../lib/feed';
import { CODES, DIRECTORY_TYPE, FEED_TYPE, keys, NOW, signed, validFeed } from './helpers';

/** A result is either ok or one of the eight codes with a message; anything else is a bug. */
function wellFormed(result: VerifyResult): void {
  expect(typeof result).toBe('object');
  if (result.ok) {
    expect(Number.isInteger(result.version)).toBe(true);
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  } else {
    expect(CODES).toContain(result.code);
    expect(typeof result.message).toBe('string');
    expect(result.message.length).toBeGreaterThan(0);
  }
}

const options = fc.record({
  kind: fc.constantFrom('feed' as const, 'directory' as const),
  keys: fc.array(fc.oneof(fc.string(), fc.base64String({ minLength: 44, maxLength: 44 })), { maxLength: 3 }),
  now: fc.date(),
  stored: fc.option(fc.record({ version: fc.oneof(fc.integer(), fc.double()), sha256: fc.string() }), {
    nil: undefined,
  }),
});

describe('verifyDocument never throws', () => {
  it('on arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), options, async (body, opts) => {
        wellFormed(await verifyDocument(body, opts));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), options, async (body, opts) => {
        wellFormed(await verifyDocument(body, opts));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json(), options, async (body, opts) => {
        wellFormed(await verifyDocument(body, opts));
      }),
      { numRuns: 300 },
    );
  });

  it('on envelope-shaped JSON with arbitrary contents', async () => {
    const payload = fc.oneof(
      fc.base64String(),
      fc.string(),
      fc.jsonValue().map((v) => toBase64(new TextEncoder().encode(JSON.stringify(v)))),
    );
    const signature = fc.record(
      {
        keyid: fc.oneof(fc.string(), fc.integer()),
        sig: fc.oneof(fc.base64String(), fc.anything()),
        publicKey: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const envelopeArb = fc.record(
      {
        payloadType: fc.oneof(fc.constantFrom(FEED_TYPE, DIRECTORY_TYPE), fc.anything()),
        payload,
        signatures: fc.oneof(fc.array(signature, { maxLength: 20 }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(envelopeArb, options, async (env, opts) => {
        wellFormed(await verifyDocument(JSON.stringify(env), opts));
      }),
      { numRuns: 300 },
    );
  });

  it('on anything at all passed as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), options, async (body, opts) => {
        wellFormed(await verifyDocument(body as string, opts));
      }),
      { numRuns: 200 },
    );
  });

  it('on mutated valid envelopes, accepting only ones that still carry the signed payload', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const good = await signed(validFeed(), 'feed', a);
    const original = parseEnvelope(good);
    if (!original.ok) throw new Error('fixture does not parse');
    const payload = Array.from(original.envelope.payload);

    const mutation = fc.oneof(
      fc.record({ at: fc.nat(good.length - 1), text: fc.string({ maxLength: 4 }) }).map(
        ({ at, text }) =>
          (s: string) =>
            s.slice(0, at) + text + s.slice(at + 1),
      ),
      fc.nat(good.length).map((at) => (s: string) => s.slice(0, at)),
      fc.record({ at: fc.nat(good.length - 1), len: fc.nat(40) }).map(
        ({ at, len }) =>
          (s: string) =>
            s.slice(0, at) + s.slice(at + len),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const body = mutations.reduce((s, m) => m(s), good);
        const result = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW });
        wellFormed(result);
        if (result.ok) {
          const parsed = parseEnvelope(body);
          expect(parsed.ok && Array.from(parsed.envelope.payload)).toEqual(payload);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('on valid envelopes whose payload bytes are mutated', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const good = JSON.parse(await signed(validFeed(), 'feed', a)) as { payload: string; signatures: unknown };
    const bytes = Buffer.from(good.payload, 'base64');
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const changed = Uint8Array.from(bytes);
        changed[at] = (changed[at] ?? 0) ^ xor;
        const body = JSON.stringify({ ...good, payload: toBase64(changed) });
        const result = await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW });
        wellFormed(result);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
