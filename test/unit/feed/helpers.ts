import { createHash } from 'node:crypto';
import { generateKeyPair, type KeyPair, pae, signDocument, toBase64 } from '../../../lib/feed';
import { importPrivateKey, signBytes } from '../../../lib/feed/keys';

/** Test fixtures built at test time: no private key is committed. */

export const NOW = new Date('2026-11-20T12:00:00Z');
export const DAY = 86_400_000;

export const FEED_TYPE = 'application/vnd.genuine.feed+json; version=1';
export const DIRECTORY_TYPE = 'application/vnd.genuine.directory+json; version=1';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function validFeed(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    brandId: 'acme',
    version: 42,
    issuedAt: iso(NOW.getTime() - DAY),
    expiresAt: iso(NOW.getTime() + 29 * DAY),
    brand: { name: 'ACME', aliases: ['ACME Corp', 'アクメ'], website: 'https://acme.com' },
    channels: [
      {
        marketplace: 'amazon',
        sites: ['amazon.com', 'amazon.ca'],
        complete: true,
        sellers: [
          { id: 'A1B2C3D4E5F6G7', name: 'ACME Official', relation: 'brand' },
          { id: 'A3XYZABCDEFGH1', name: 'Big Retail', relation: 'retailer', until: '2026-12-31T00:00:00Z' },
        ],
      },
      { marketplace: 'web', complete: false, sellers: [{ domain: 'acme.com', relation: 'brand' }] },
    ],
    blocked: [{ marketplace: 'amazon', id: 'A9BADBADBAD123', reason: 'test purchase 2026-10' }],
    products: [
      {
        gtin: '00614141000012',
        ids: { asin: 'B0EXAMPLE1', sku: 'AC-1001' },
        name: 'ACME Rocket Skates',
        prices: [{ currency: 'USD', msrp: '199.00', floor: '120.00', condition: 'new' }],
      },
    ],
    report: { endpoint: 'https://acme.com/api/genuine-reports' },
    ...overrides,
  };
}

export function validDirectory(
  publicKey: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 12,
    issuedAt: iso(NOW.getTime() - DAY),
    expiresAt: iso(NOW.getTime() + 6 * DAY),
    brands: [
      {
        brandId: 'acme',
        name: 'ACME',
        keys: [{ keyid: 'acme-2026a', publicKey }],
        feeds: ['https://acme.com/.well-known/genuine-feed.json'],
        status: 'active',
      },
    ],
    ...overrides,
  };
}

let cached: Promise<KeyPair[]> | null = null;
/** Three key pairs generated once per test file. */
export function keys(): Promise<KeyPair[]> {
  cached ??= Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
  return cached;
}

export async function signed(
  document: object | string,
  kind: 'feed' | 'directory',
  key: KeyPair,
  keyid = 'k1',
): Promise<string> {
  return signDocument(document, kind, [{ keyid, privateKey: key.privateKey, publicKey: key.publicKey }]);
}

/** An envelope assembled by hand, for the cases signDocument would never produce. */
export function envelope(payloadType: string, payload: Uint8Array | string, signatures: object[]): string {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return JSON.stringify({ payloadType, payload: toBase64(bytes), signatures });
}

/** Signs arbitrary bytes (not necessarily a PAE) with a key pair: base64 signature. */
export async function rawSign(key: KeyPair, bytes: Uint8Array): Promise<string> {
  return toBase64(await signBytes(await importPrivateKey(key.privateKey), bytes));
}

export async function paeSign(key: KeyPair, payloadType: string, payload: string): Promise<string> {
  return rawSign(key, pae(payloadType, new TextEncoder().encode(payload)));
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export const CODES = [
  'too-large',
  'malformed',
  'wrong-type',
  'bad-signature',
  'schema',
  'not-yet-valid',
  'expired',
  'rollback',
] as const;
