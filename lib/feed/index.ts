import { verifyDocument as verifyImpl } from './verify';

/**
 * Signed documents: the public face of lib/feed (contracts.md "Verifying signed documents").
 * Runs in the extension and in Node alike: WebCrypto only, no Buffer, no browser.* API.
 */
export { fromBase64, sha256Hex, toBase64 } from './bytes';
export {
  type Envelope,
  type EnvelopeSignature,
  MAX_SIGNATURES,
  type ParseEnvelopeResult,
  pae,
  parseEnvelope,
  type Signer,
  signDocument,
} from './dsse';
export { formatPath, type SchemaProblem } from './issues';
export { decodePublicKey, generateKeyPair, type KeyPair, keyFingerprint } from './keys';
export * from './schema';
export {
  type CheckReport,
  type CheckStatus,
  MAX_CLOCK_SKEW_MS,
  MAX_TRUSTED_KEYS,
  VERIFY_CHECKS,
  type VerifyCode,
  type VerifyFailure,
  type VerifyOk,
  type VerifyOptions,
  type VerifyResult,
  verifyDocumentDetailed,
} from './verify';

/** The contract of shared/design/contracts.md, "Verifying signed documents" (overloads kept). */
export const verifyDocument: typeof verifyImpl = verifyImpl;
