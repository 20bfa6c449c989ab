import { concatBytes, fromBase64, ownBytes, sha256Hex, subtle, toBase64 } from './bytes';

/**
 * Ed25519 keys through WebCrypto (Chrome 137+, Firefox 129+, Node 20+), so the same code signs in
 * the brands' CLI and verifies in the extension.
 *
 * Formats:
 * - public key: base64 of the raw 32 bytes (feed-format.md section 1);
 * - private key: base64 of PKCS#8 DER (what `generateKeyPair` and `genuine-feed keygen` write),
 *   or base64 of the raw 32-byte seed (RFC 8032's "secret key"), or a PEM "PRIVATE KEY" block
 *   (what `openssl genpkey -algorithm ed25519` writes).
 */

const ED25519 = { name: 'Ed25519' } as const;
/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

export type KeyPair = { publicKey: string; privateKey: string };

/** The raw 32 bytes of a base64 public key, or null when it is not one. */
export function decodePublicKey(publicKey: string): Uint8Array<ArrayBuffer> | null {
  if (typeof publicKey !== 'string') return null;
  const raw = fromBase64(publicKey.trim());
  return raw !== null && raw.byteLength === 32 ? raw : null;
}

export async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  const raw = decodePublicKey(publicKey);
  if (raw === null) throw new Error('not an Ed25519 public key (expected base64 of 32 bytes)');
  return subtle().importKey('raw', raw, ED25519, true, ['verify']);
}

/**
 * Imports a private key given as base64 PKCS#8, base64 raw 32-byte seed, or PEM. The key is
 * extractable so that its public half can be derived (`publicKeyOf`).
 */
export async function importPrivateKey(privateKey: string): Promise<CryptoKey> {
  const text = privateKey.trim();
  let der: Uint8Array<ArrayBuffer> | null;
  const pem = /^-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----$/.exec(text);
  if (pem) {
    der = fromBase64((pem[1] ?? '').replace(/\s+/g, ''));
  } else {
    der = fromBase64(text.replace(/\s+/g, ''));
  }
  if (der === null) throw new Error('not a private key: expected base64 (PKCS#8 or a 32-byte seed) or PEM');
  if (der.byteLength === 32) der = concatBytes([PKCS8_PREFIX, der]);
  try {
    return await subtle().importKey('pkcs8', der, ED25519, true, ['sign']);
  } catch (error) {
    throw new Error(`not an Ed25519 private key (${errorText(error)})`);
  }
}

/** The base64 raw public key of an extractable private key (from its JWK "x"). */
export async function publicKeyOf(privateKey: CryptoKey): Promise<string> {
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (typeof jwk.x !== 'string') throw new Error('this private key does not reveal its public key');
  const raw = fromBase64(jwk.x);
  if (raw === null || raw.byteLength !== 32) throw new Error('this private key has no Ed25519 public key');
  return toBase64(raw);
}

/** A new key pair: base64 raw public key, base64 PKCS#8 private key. */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = (await subtle().generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  const priv = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  return { publicKey: toBase64(pub), privateKey: toBase64(priv) };
}

/**
 * What a person compares to trust a key: SHA-256 of the raw 32 key bytes, the first 16 bytes in
 * lowercase hex, in groups of four digits: "ab12 cd34 ef56 7890 ab12 cd34 ef56 7890".
 * Rejects when the input is not a base64 Ed25519 public key.
 */
export async function keyFingerprint(publicKeyBase64: string): Promise<string> {
  const raw = decodePublicKey(publicKeyBase64);
  if (raw === null) throw new Error('not an Ed25519 public key (expected base64 of 32 bytes)');
  const hex = (await sha256Hex(raw)).slice(0, 32);
  return hex.replace(/(.{4})(?!$)/g, '$1 ');
}

export async function signBytes(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().sign(ED25519, privateKey, ownBytes(data)));
}

export async function verifyBytes(
  publicKey: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  return subtle().verify(ED25519, publicKey, ownBytes(signature), ownBytes(data));
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
