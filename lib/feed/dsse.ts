import { z } from 'zod';
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from './bytes';
import { errorText, importPrivateKey, importPublicKey, publicKeyOf, signBytes, verifyBytes } from './keys';
import { type DocumentKind, PAYLOAD_TYPES } from './schema';

/**
 * DSSE envelopes (https://github.com/secure-systems-lab/dsse), as feed-format.md section 1 uses
 * them. Signatures are over the pre-authentication encoding (PAE) of the payload type and the raw
 * payload bytes, so no JSON canonicalisation is ever needed.
 *
 * Genuine's one addition: each signature entry may carry `"publicKey": "<base64 raw 32>"`, the
 * key that made it. Verifiers never trust it (DSSE verifiers ignore unknown fields, and
 * `verifyDocument` only accepts keys its caller trusts); it lets a user who adds a brand's feed by
 * URL see the key's fingerprint and trust it on first use.
 */

/** At most this many signatures are looked at; an envelope with more is malformed. */
export const MAX_SIGNATURES = 16;

export type EnvelopeSignature = {
  /** The signer's hint of which key made the signature; never trusted. */
  keyid: string | null;
  /** The signature bytes (64 for Ed25519; other lengths simply never verify). */
  sig: Uint8Array<ArrayBuffer>;
  /** base64 raw public key that the signer says made the signature (Genuine's addition). */
  publicKey: string | null;
};

export type Envelope = {
  payloadType: string;
  /** The exact document bytes that were signed. */
  payload: Uint8Array<ArrayBuffer>;
  signatures: EnvelopeSignature[];
};

export type ParseEnvelopeResult = { ok: true; envelope: Envelope } | { ok: false; message: string };

const EnvelopeJson = z.object({
  payloadType: z.string().max(1024),
  payload: z.string(),
  signatures: z
    .array(
      z.object({
        keyid: z.string().max(1024).optional(),
        sig: z.string().max(1024),
        publicKey: z.unknown().optional(),
      }),
    )
    .min(1, 'expected at least one signature')
    .max(MAX_SIGNATURES, `expected at most ${MAX_SIGNATURES} signatures`),
});

/**
 * DSSE's pre-authentication encoding:
 * `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`, lengths in ASCII decimal bytes.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const type = utf8(payloadType);
  return concatBytes([utf8(`DSSEv1 ${type.byteLength} `), type, utf8(` ${payload.byteLength} `), payload]);
}

/**
 * Reads a DSSE JSON envelope, decoding the base64 fields. Never throws; says what is wrong. The
 * signatures are not checked here (see `verifyDocument`).
 */
export function parseEnvelope(body: string | Uint8Array): ParseEnvelopeResult {
  try {
    let text: string | null;
    if (typeof body === 'string') text = body;
    else if (body instanceof Uint8Array) text = fromUtf8(body);
    else return { ok: false, message: 'the body is neither text nor bytes' };
    if (text === null) return { ok: false, message: 'the body is not UTF-8 text' };
    text = text.replace(/^\ufeff/, '');
    if (text.trim() === '') return { ok: false, message: 'the body is empty' };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { ok: false, message: `the body is not JSON (${errorText(error)})` };
    }
    const parsed = EnvelopeJson.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
      return { ok: false, message: `not a DSSE envelope: ${where}${issue?.message ?? 'unexpected shape'}` };
    }
    const payload = fromBase64(parsed.data.payload);
    if (payload === null) return { ok: false, message: 'payload: not valid base64' };
    const signatures: EnvelopeSignature[] = [];
    for (const [i, s] of parsed.data.signatures.entries()) {
      const sig = fromBase64(s.sig);
      if (sig === null) return { ok: false, message: `signatures[${i}].sig: not valid base64` };
      signatures.push({
        keyid: s.keyid ?? null,
        sig,
        publicKey: typeof s.publicKey === 'string' ? s.publicKey : null,
      });
    }
    return { ok: true, envelope: { payloadType: parsed.data.payloadType, payload, signatures } };
  } catch (error) {
    return { ok: false, message: `unreadable envelope (${errorText(error)})` };
  }
}

export type Signer = {
  keyid: string;
  /** A CryptoKey, or a string: base64 PKCS#8, base64 32-byte seed, or PEM (see keys.ts). */
  privateKey: CryptoKey | string;
  /**
   * base64 raw public key, written into the signature entry. Derived from the private key when
   * left out (the key must then be extractable). Either way the new signature is checked against
   * it, so a mismatched key pair fails here rather than in every shopper's browser.
   */
  publicKey?: string;
};

/**
 * Signs a document and returns the envelope JSON (2-space indented). A string document is signed
 * byte for byte as given (UTF-8); an object is serialised with JSON.stringify. Rejects on a bad key
 * or when no signer is given.
 */
export async function signDocument(
  document: object | string,
  kind: DocumentKind,
  signers: Signer[],
): Promise<string> {
  if (signers.length === 0) throw new Error('at least one signer is needed');
  if (signers.length > MAX_SIGNATURES) throw new Error(`at most ${MAX_SIGNATURES} signers`);
  const payloadType = PAYLOAD_TYPES[kind];
  if (payloadType === undefined) throw new Error(`unknown document kind "${String(kind)}"`);
  const payload = utf8(typeof document === 'string' ? document : JSON.stringify(document));
  const message = pae(payloadType, payload);
  const signatures: { keyid: string; sig: string; publicKey: string }[] = [];
  for (const signer of signers) {
    const key =
      typeof signer.privateKey === 'string' ? await importPrivateKey(signer.privateKey) : signer.privateKey;
    const publicKey = signer.publicKey?.trim() ?? (await publicKeyOf(key));
    const sig = await signBytes(key, message);
    const verifier = await importPublicKey(publicKey);
    if (!(await verifyBytes(verifier, sig, message))) {
      throw new Error(`the private key of "${signer.keyid}" does not match its public key ${publicKey}`);
    }
    signatures.push({ keyid: signer.keyid, sig: toBase64(sig), publicKey });
  }
  return JSON.stringify({ payloadType, payload: toBase64(payload), signatures }, null, 2);
}
