import { fromUtf8, sha256Hex, utf8 } from './bytes';
import { type EnvelopeSignature, pae, parseEnvelope } from './dsse';
import { formatProblem, schemaProblems } from './issues';
import { decodePublicKey, errorText, importPublicKey, keyFingerprint, verifyBytes } from './keys';
import { Directory, type DocumentKind, Feed, MAX_BYTES, MAX_LIFETIME_MS, PAYLOAD_TYPES } from './schema';

/**
 * verifyDocument: the checks of feed-format.md section 4, in that order, each failure with its
 * stable code. It never throws and never rejects, whatever the body and options.
 */

export type VerifyCode =
  | 'too-large'
  | 'malformed'
  | 'wrong-type'
  | 'bad-signature'
  | 'schema'
  | 'not-yet-valid'
  | 'expired'
  | 'rollback';

/** The checks of section 4, in the order they run. */
export const VERIFY_CHECKS: readonly { code: VerifyCode; label: string }[] = [
  { code: 'too-large', label: 'size within the limit' },
  { code: 'malformed', label: 'JSON DSSE envelope with a JSON payload' },
  { code: 'wrong-type', label: 'payloadType is the expected one' },
  { code: 'bad-signature', label: 'a signature verifies under a trusted key' },
  { code: 'schema', label: 'document matches the schema' },
  { code: 'not-yet-valid', label: 'issuedAt at most 24 h in the future' },
  { code: 'expired', label: 'not expired, lifetime within the limit' },
  { code: 'rollback', label: 'version not older than the stored copy' },
];

/** How far in the future `issuedAt` may be (clock skew). */
export const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;
/** Trusted keys looked at per document; with MAX_SIGNATURES this bounds the Ed25519 work. */
export const MAX_TRUSTED_KEYS = 64;

export type VerifyOptions = {
  kind: DocumentKind;
  /** Trusted Ed25519 public keys, base64 of the raw 32 bytes. Entries that are not keys are ignored. */
  keys: string[];
  /**
   * Defaults to the current time. Section 4 asks callers to pass the later of the local clock and
   * the newest issuedAt ever accepted, so that a wound-back clock cannot revive an expired copy.
   */
  now?: Date;
  /** The last accepted copy, if any: its version and the lowercase hex SHA-256 of its payload. */
  stored?: { version: number; sha256: string };
  /** Feeds only: the brandId the caller expects (from the directory); a different one is `schema`. */
  expectBrandId?: string;
};

export type VerifyOk<D = Feed | Directory> = {
  ok: true;
  document: D;
  version: number;
  /** Lowercase hex SHA-256 of the payload bytes (the document as signed). */
  sha256: string;
  /** The trusted key (base64) that a signature verified under. */
  publicKey: string;
};
export type VerifyFailure = { ok: false; code: VerifyCode; message: string };
export type VerifyResult<D = Feed | Directory> = VerifyOk<D> | VerifyFailure;

export type CheckStatus = 'pass' | 'fail' | 'not-run';
export type CheckReport = { code: VerifyCode; label: string; status: CheckStatus; detail: string };

const DAY_MS = 86_400_000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function days(ms: number): string {
  const d = ms / DAY_MS;
  return `${Number.isInteger(d) ? d : d.toFixed(1)} days`;
}

function byteLength(body: string | Uint8Array): { bytes: number; atLeast: boolean } {
  if (body instanceof Uint8Array) return { bytes: body.byteLength, atLeast: false };
  // UTF-8 takes at least one byte per UTF-16 unit and at most three.
  return { bytes: body.length, atLeast: true };
}

/**
 * Runs every check in order and reports each one (what the CLI prints). The result is exactly
 * what `verifyDocument` returns.
 */
export async function verifyDocumentDetailed(
  body: string | Uint8Array,
  options: VerifyOptions,
): Promise<{ result: VerifyResult; checks: CheckReport[] }> {
  const checks: CheckReport[] = VERIFY_CHECKS.map((c) => ({ ...c, status: 'not-run', detail: '' }));
  let stage = 0;
  const pass = (detail: string) => {
    const check = checks[stage];
    if (check) {
      check.status = 'pass';
      check.detail = detail;
    }
    stage++;
  };
  const fail = (message: string): { result: VerifyFailure; checks: CheckReport[] } => {
    const check = checks[stage] ?? checks[checks.length - 1];
    const code = check?.code ?? 'malformed';
    if (check) {
      check.status = 'fail';
      check.detail = message;
    }
    return { result: { ok: false, code, message }, checks };
  };

  try {
    const kind = options?.kind;
    if (kind !== 'feed' && kind !== 'directory') {
      stage = 1;
      return fail(`options.kind must be "feed" or "directory", not ${JSON.stringify(String(kind))}`);
    }
    const what = kind === 'feed' ? 'a feed' : 'the directory';

    // 1. too-large
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      pass('not measured');
      return fail('the body must be a string or a Uint8Array');
    }
    const limit = MAX_BYTES[kind];
    let size = byteLength(body);
    if (typeof body === 'string' && size.bytes <= limit && size.bytes * 3 > limit) {
      size = { bytes: utf8(body).byteLength, atLeast: false };
    }
    if (size.bytes > limit) {
      return fail(
        `the body is ${size.atLeast ? 'at least ' : ''}${size.bytes} bytes; the limit for ${what} is ${limit} bytes (${limit / 1048576} MB)`,
      );
    }
    pass(
      `${size.atLeast ? 'at most ' : ''}${size.atLeast ? size.bytes * 3 : size.bytes} bytes, limit ${limit}`,
    );

    // 2. malformed
    const parsed = parseEnvelope(body);
    if (!parsed.ok) return fail(parsed.message);
    const envelope = parsed.envelope;
    const payloadText = fromUtf8(envelope.payload);
    if (payloadText === null) return fail('payload: not UTF-8 text');
    let json: unknown;
    try {
      json = JSON.parse(payloadText);
    } catch (error) {
      return fail(`payload: not JSON (${errorText(error)})`);
    }
    pass(
      `DSSE envelope, ${plural(envelope.signatures.length, 'signature')}, payload ${envelope.payload.byteLength} bytes`,
    );

    // 3. wrong-type
    const expectedType = PAYLOAD_TYPES[kind];
    if (envelope.payloadType !== expectedType) {
      const other = (Object.keys(PAYLOAD_TYPES) as DocumentKind[]).find(
        (k) => PAYLOAD_TYPES[k] === envelope.payloadType,
      );
      return fail(
        `payloadType is ${JSON.stringify(envelope.payloadType.slice(0, 200))}${other ? ` (a ${other})` : ''}; expected ${JSON.stringify(expectedType)} for ${what}`,
      );
    }
    pass(expectedType);

    // 4. bad-signature
    const signed = await checkSignatures(
      envelope.payloadType,
      envelope.payload,
      envelope.signatures,
      options.keys,
    );
    if (!signed.ok) return fail(signed.message);
    pass(signed.detail);

    // 5. schema
    const schema = kind === 'feed' ? Feed : Directory;
    const result = schema.safeParse(json);
    if (!result.success) {
      const problems = schemaProblems(result.error, json);
      const shown = problems.slice(0, 5).map(formatProblem).join('; ');
      const more = problems.length > 5 ? `; and ${plural(problems.length - 5, 'more problem')}` : '';
      return fail(`${shown}${more}`);
    }
    const document = result.data;
    if (kind === 'feed' && typeof options.expectBrandId === 'string' && 'brandId' in document) {
      if (document.brandId !== options.expectBrandId) {
        return fail(
          `brandId: expected ${JSON.stringify(options.expectBrandId)} (the brand this feed is listed for), got ${JSON.stringify(document.brandId)}`,
        );
      }
    }
    pass(
      'brandId' in document
        ? `feed of ${document.brandId}, version ${document.version}`
        : `directory version ${document.version}, ${plural(document.brands.length, 'brand')}`,
    );

    // 6. not-yet-valid
    const nowMs =
      options.now instanceof Date && Number.isFinite(options.now.getTime())
        ? options.now.getTime()
        : Date.now();
    const nowText = new Date(nowMs).toISOString();
    const issued = Date.parse(document.issuedAt);
    const expires = Date.parse(document.expiresAt);
    if (!Number.isFinite(issued) || !Number.isFinite(expires))
      return fail('issuedAt or expiresAt is not a date');
    if (issued - nowMs > MAX_CLOCK_SKEW_MS) {
      return fail(`issuedAt ${document.issuedAt} is more than 24 h after now (${nowText})`);
    }
    pass(`issued ${document.issuedAt}`);

    // 7. expired
    const maxLifetime = MAX_LIFETIME_MS[kind];
    if (nowMs > expires) return fail(`expired at ${document.expiresAt} (now is ${nowText})`);
    if (expires <= issued)
      return fail(`expiresAt ${document.expiresAt} is not after issuedAt ${document.issuedAt}`);
    if (expires - issued > maxLifetime) {
      return fail(
        `lifetime of ${days(expires - issued)} (issuedAt to expiresAt) is longer than the ${days(maxLifetime)} ${what} may live`,
      );
    }
    pass(
      `expires ${document.expiresAt}, in ${days(expires - nowMs)}; lifetime ${days(expires - issued)} of ${days(maxLifetime)}`,
    );

    // 8. rollback
    const sha256 = await sha256Hex(envelope.payload);
    const stored = options.stored;
    if (stored && typeof stored.version === 'number' && Number.isFinite(stored.version)) {
      const storedSha = typeof stored.sha256 === 'string' ? stored.sha256.toLowerCase() : '';
      if (document.version < stored.version) {
        return fail(`version ${document.version} is older than the stored version ${stored.version}`);
      }
      if (document.version === stored.version && sha256 !== storedSha) {
        return fail(
          `version ${document.version} is the stored version but the document differs (sha256 ${sha256.slice(0, 12)}... vs stored ${storedSha.slice(0, 12)}...); a changed document needs a higher version`,
        );
      }
      pass(
        document.version === stored.version
          ? `version ${document.version}, unchanged since the stored copy`
          : `version ${document.version} is newer than the stored ${stored.version}`,
      );
    } else {
      pass(`version ${document.version}; no stored copy to compare`);
    }

    return {
      result: { ok: true, document, version: document.version, sha256, publicKey: signed.publicKey },
      checks,
    };
  } catch (error) {
    return fail(`unexpected error while verifying: ${errorText(error)}`);
  }
}

type SignatureCheck = { ok: true; publicKey: string; detail: string } | { ok: false; message: string };

async function checkSignatures(
  payloadType: string,
  payload: Uint8Array,
  signatures: EnvelopeSignature[],
  keys: unknown,
): Promise<SignatureCheck> {
  const given = Array.isArray(keys) ? keys : [];
  const trusted: { base64: string; id: string }[] = [];
  const seen = new Set<string>();
  for (const key of given) {
    if (trusted.length >= MAX_TRUSTED_KEYS) break;
    if (typeof key !== 'string') continue;
    const raw = decodePublicKey(key);
    if (raw === null) continue;
    const id = raw.join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    trusted.push({ base64: key.trim(), id });
  }
  const keyids = signatures.map((s) => s.keyid ?? '(none)').join(', ');
  if (trusted.length === 0) {
    return {
      ok: false,
      message: `no trusted key to check against (${plural(given.length, 'key')} given, none is base64 of 32 bytes); signature keyids: ${keyids}`,
    };
  }
  let imported: { base64: string; id: string; key: CryptoKey }[];
  try {
    imported = await Promise.all(trusted.map(async (t) => ({ ...t, key: await importPublicKey(t.base64) })));
  } catch (error) {
    return { ok: false, message: `cannot check Ed25519 signatures here (${errorText(error)})` };
  }
  const message = pae(payloadType, payload);
  for (const [i, signature] of signatures.entries()) {
    if (signature.sig.byteLength !== 64) continue;
    // keyid and publicKey are hints only: every trusted key is tried, the hinted one first.
    const hinted = signature.publicKey === null ? null : decodePublicKey(signature.publicKey);
    const hintedId = hinted?.join(',');
    const ordered = [...imported].sort((a, b) => Number(b.id === hintedId) - Number(a.id === hintedId));
    for (const candidate of ordered) {
      if (await verifyBytes(candidate.key, signature.sig, message)) {
        const fingerprint = await keyFingerprint(candidate.base64);
        return {
          ok: true,
          publicKey: candidate.base64,
          detail: `signature ${i + 1} (keyid ${signature.keyid ?? '(none)'}) verifies under trusted key ${fingerprint}`,
        };
      }
    }
  }
  const offered = signatures
    .map((s) => s.publicKey)
    .filter((k): k is string => k !== null && decodePublicKey(k) !== null);
  const untrusted =
    offered.length > 0 ? `; the envelope names ${plural(offered.length, 'public key')}, none trusted` : '';
  return {
    ok: false,
    message: `no signature verifies under a trusted key (${plural(signatures.length, 'signature')}, keyids: ${keyids}; ${plural(trusted.length, 'trusted key')}${untrusted})`,
  };
}

export function verifyDocument(
  body: string | Uint8Array,
  options: VerifyOptions & { kind: 'feed' },
): Promise<VerifyResult<Feed>>;
export function verifyDocument(
  body: string | Uint8Array,
  options: VerifyOptions & { kind: 'directory' },
): Promise<VerifyResult<Directory>>;
export function verifyDocument(body: string | Uint8Array, options: VerifyOptions): Promise<VerifyResult>;
/** See feed-format.md section 4 and contracts.md "Verifying signed documents". Never rejects. */
export async function verifyDocument(
  body: string | Uint8Array,
  options: VerifyOptions,
): Promise<VerifyResult> {
  try {
    return (await verifyDocumentDetailed(body, options)).result;
  } catch (error) {
    return { ok: false, code: 'malformed', message: `unexpected error while verifying: ${errorText(error)}` };
  }
}
