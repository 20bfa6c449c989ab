import { type Directory, signDocument } from '../lib/feed';
import { sha256Hex, toBase64, utf8 } from '../lib/feed/bytes';
import { importPrivateKey, publicKeyOf } from '../lib/feed/keys';
import { bigFeed, brandFeed, type DatasetSpec, rng, seedOf, type Validity, validityAround } from './generate';

/**
 * Signed documents for a benchmark run, built from bench/generate.ts: one feed per brand, a
 * directory that lists no brand (the sync benchmark subscribes to the feeds directly, see
 * bench/core/sync.ts) and the large single feed for the verification benchmark. Keys are derived
 * from the seed, so two runs sign the same bytes with the same keys.
 */

export interface SeededKey {
  /** base64 of the raw 32-byte Ed25519 seed (lib/feed accepts it as a private key). */
  privateKey: string;
  publicKey: string;
  key: CryptoKey;
}

export async function seededKey(seed: number, label: string): Promise<SeededKey> {
  const r = rng(seedOf(seed, 'key', label));
  const raw = new Uint8Array(32);
  for (let i = 0; i < raw.length; i++) raw[i] = r.int(256);
  const privateKey = toBase64(raw);
  const key = await importPrivateKey(privateKey);
  return { privateKey, publicKey: await publicKeyOf(key), key };
}

export interface SignedFeed {
  index: number;
  url: string;
  brandId: string;
  body: string;
  etag: string;
}

export interface SignedDataset {
  spec: DatasetSpec;
  validity: Validity;
  brandKey: SeededKey;
  directoryKey: SeededKey;
  feeds: SignedFeed[];
  /** Total bytes of all feed envelopes. */
  bytes: number;
}

export async function etagOf(body: string): Promise<string> {
  return `"${(await sha256Hex(utf8(body))).slice(0, 32)}"`;
}

/** Signs every brand's feed (one key shared by all brands; verification cost is per feed). */
export async function signDataset(
  spec: DatasetSpec,
  feedUrl: (index: number, brandId: string) => string,
  options: { now?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SignedDataset> {
  const validity = validityAround(options.now ?? Date.now());
  const brandKey = await seededKey(spec.seed, 'brand');
  const directoryKey = await seededKey(spec.seed, 'directory');
  const signer = { keyid: 'bench-brand', privateKey: brandKey.key, publicKey: brandKey.publicKey };
  const feeds: SignedFeed[] = [];
  let bytes = 0;
  for (let i = 0; i < spec.brands; i++) {
    const feed = brandFeed(spec, i, validity);
    const body = await signDocument(feed, 'feed', [signer]);
    feeds.push({
      index: i,
      url: feedUrl(i, feed.brandId),
      brandId: feed.brandId,
      body,
      etag: await etagOf(body),
    });
    bytes += body.length;
    if (i % 500 === 499) options.onProgress?.(i + 1, spec.brands);
  }
  return { spec, validity, brandKey, directoryKey, feeds, bytes };
}

/** The bench directory: valid, signed, and listing no brand. */
export async function signEmptyDirectory(key: SeededKey, now = Date.now()): Promise<string> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const directory: Directory = {
    version: 1,
    issuedAt: iso(now - 3_600_000),
    expiresAt: iso(now + 7 * 86_400_000),
    brands: [],
  };
  return signDocument(directory, 'directory', [
    { keyid: 'bench-directory', privateKey: key.key, publicKey: key.publicKey },
  ]);
}

/** The large feed for the verification benchmark, signed; its envelope is close to `envelopeBytes`. */
export async function signBigFeed(
  envelopeBytes: number,
  seed: number,
  now = Date.now(),
): Promise<{ body: Uint8Array; publicKey: string; at: Date }> {
  const key = await seededKey(seed, 'big');
  const feed = bigFeed(envelopeBytes, validityAround(now), seed);
  const text = await signDocument(feed, 'feed', [
    { keyid: 'bench-big', privateKey: key.key, publicKey: key.publicKey },
  ]);
  return { body: utf8(text), publicKey: key.publicKey, at: new Date(now) };
}
