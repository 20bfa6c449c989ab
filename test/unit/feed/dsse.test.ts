import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  generateKeyPair,
  keyFingerprint,
  pae,
  parseEnvelope,
  signDocument,
  toBase64,
  verifyDocument,
} from '../../../lib/feed';
import { importPrivateKey, publicKeyOf, signBytes } from '../../../lib/feed/keys';
import { FEED_TYPE, keys, NOW, validFeed } from './helpers';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('pae', () => {
  it('matches the DSSE specification example', () => {
    const out = pae('http://example.com/HelloWorld', new TextEncoder().encode('hello world'));
    expect(new TextDecoder().decode(out)).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, and keeps the payload raw', () => {
    const payload = new TextEncoder().encode('アクメ');
    const out = pae('t/ü', payload);
    const prefix = new TextEncoder().encode('DSSEv1 4 t/ü 9 ');
    expect(hex(out)).toBe(hex(prefix) + hex(payload));
    const binary = new Uint8Array([0, 255, 10, 32]);
    expect(Array.from(pae('x', binary).slice(-4))).toEqual([0, 255, 10, 32]);
  });
});

describe('base64', () => {
  it('round-trips any bytes and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(fromBase64(text) ?? [])).toEqual(Array.from(bytes));
      }),
    );
  });

  it('accepts the URL-safe alphabet and missing padding, rejects everything else', () => {
    expect(Array.from(fromBase64('-_8') ?? [])).toEqual([0xfb, 0xff]);
    expect(Array.from(fromBase64('+/8=') ?? [])).toEqual([0xfb, 0xff]);
    expect(Array.from(fromBase64('') ?? [1])).toEqual([]);
    for (const bad of ['A', 'AB=', 'A===', 'AB CD', 'AB\nCD', 'AB=C', '!!!!', 'ÄBCD', 'AAA\u0141', '====']) {
      expect(fromBase64(bad), bad).toBeNull();
    }
  });
});

describe('keys', () => {
  // RFC 8032 section 7.1, test 1 (empty message).
  const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const SIGNATURE =
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

  it('imports a raw 32-byte seed and signs the RFC 8032 test vector', async () => {
    const key = await importPrivateKey(toBase64(unhex(SEED)));
    expect(await publicKeyOf(key)).toBe(toBase64(unhex(PUBLIC)));
    expect(hex(await signBytes(key, new Uint8Array(0)))).toBe(SIGNATURE);
  });

  it('imports PKCS#8 base64 and PEM as written by OpenSSL / Node', async () => {
    const pair = generateKeyPairSync('ed25519');
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = toBase64(new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })));
    const x = pair.publicKey.export({ format: 'jwk' }).x ?? '';
    const expected = toBase64(fromBase64(x) ?? new Uint8Array());
    expect(await publicKeyOf(await importPrivateKey(pem))).toBe(expected);
    expect(await publicKeyOf(await importPrivateKey(der))).toBe(expected);
    await expect(importPrivateKey('not a key')).rejects.toThrow(/private key/);
    await expect(importPrivateKey('!!')).rejects.toThrow(/not a private key/);
    await expect(importPrivateKey(toBase64(new Uint8Array(20)))).rejects.toThrow(/Ed25519 private key/);
  });

  it('generates base64 raw public and PKCS#8 private keys', async () => {
    const pair = await generateKeyPair();
    expect(fromBase64(pair.publicKey)?.byteLength).toBe(32);
    expect(pair.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await publicKeyOf(await importPrivateKey(pair.privateKey))).toBe(pair.publicKey);
  });

  it('fingerprints a key as the first 16 bytes of SHA-256 of its raw bytes, in groups of four', async () => {
    const pair = await generateKeyPair();
    const fingerprint = await keyFingerprint(pair.publicKey);
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    const digest = createHash('sha256')
      .update(fromBase64(pair.publicKey) ?? new Uint8Array())
      .digest('hex');
    expect(fingerprint.replace(/ /g, '')).toBe(digest.slice(0, 32));
    await expect(keyFingerprint('AAAA')).rejects.toThrow(/not an Ed25519 public key/);
  });
});

describe('signDocument', () => {
  it('signs a string byte for byte and records keyid and publicKey in each signature', async () => {
    const [a] = await keys();
    if (!a) throw new Error('no key');
    const text = `${JSON.stringify(validFeed(), null, 2)}\n`;
    const body = await signDocument(text, 'feed', [{ keyid: 'acme-2026a', privateKey: a.privateKey }]);
    const parsed = parseEnvelope(body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope.payloadType).toBe(FEED_TYPE);
    expect(new TextDecoder().decode(parsed.envelope.payload)).toBe(text);
    expect(parsed.envelope.signatures).toHaveLength(1);
    expect(parsed.envelope.signatures[0]?.keyid).toBe('acme-2026a');
    expect(parsed.envelope.signatures[0]?.publicKey).toBe(a.publicKey);
    expect(parsed.envelope.signatures[0]?.sig.byteLength).toBe(64);
    expect((await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW })).ok).toBe(true);
  });

  it('accepts a CryptoKey and refuses a public key that does not match the private key', async () => {
    const [a, b] = await keys();
    if (!a || !b) throw new Error('no key');
    const key = await importPrivateKey(a.privateKey);
    const body = await signDocument(validFeed(), 'feed', [
      { keyid: 'k', privateKey: key, publicKey: a.publicKey },
    ]);
    expect((await verifyDocument(body, { kind: 'feed', keys: [a.publicKey], now: NOW })).ok).toBe(true);
    await expect(
      signDocument(validFeed(), 'feed', [{ keyid: 'k', privateKey: a.privateKey, publicKey: b.publicKey }]),
    ).rejects.toThrow(/does not match/);
    await expect(signDocument(validFeed(), 'feed', [])).rejects.toThrow(/at least one signer/);
  });
});

describe('parseEnvelope', () => {
  it('keeps keyid and publicKey only as hints and ignores unknown fields', () => {
    const body = JSON.stringify({
      payloadType: FEED_TYPE,
      payload: toBase64(new TextEncoder().encode('{}')),
      signatures: [{ sig: toBase64(new Uint8Array(64)), publicKey: 7, extra: true }],
      more: 'ignored',
    });
    const parsed = parseEnvelope(body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope.signatures[0]?.keyid).toBeNull();
    expect(parsed.envelope.signatures[0]?.publicKey).toBeNull();
  });
});
