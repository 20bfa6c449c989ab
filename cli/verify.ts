import { readFile } from 'node:fs/promises';
import {
  type DocumentKind,
  decodePublicKey,
  keyFingerprint,
  PAYLOAD_TYPES,
  parseEnvelope,
  verifyDocumentDetailed,
} from '../lib/feed';
import {
  type Command,
  EXIT_CHECK,
  EXIT_OK,
  type Io,
  integer,
  kindOption,
  onePositional,
  readBytes,
  resolvePath,
  str,
  strs,
  UsageError,
} from './io';
import { parseNow } from './lint';

/** A --key value: a file holding a base64 public key, or the base64 key itself. */
async function loadKey(io: Io, value: string): Promise<string> {
  let text = value;
  try {
    text = (await readFile(resolvePath(io, value), 'utf8')).replace(/^\ufeff/, '').trim();
  } catch {
    // not a readable file: take the value as the key itself
  }
  if (decodePublicKey(text) === null) {
    throw new UsageError(
      `--key ${value}: neither a file holding a public key nor a base64 Ed25519 public key (32 bytes)`,
    );
  }
  return text;
}

/** Fetches a published document and reports the headers the extension depends on. */
async function fetchPublished(io: Io, url: string): Promise<{ body: Uint8Array; headerProblems: number }> {
  let response: Response;
  try {
    response = await io.fetch(url, { cache: 'no-store', redirect: 'follow' });
  } catch (error) {
    throw new UsageError(`cannot fetch ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new UsageError(`cannot fetch ${url}: HTTP ${response.status}`);
  let problems = 0;
  const header = (name: string) => response.headers.get(name);
  const acao = header('access-control-allow-origin');
  if (acao === '*') io.out(`PASS  header         Access-Control-Allow-Origin: *`);
  else {
    problems++;
    io.out(
      `FAIL  header         Access-Control-Allow-Origin is ${acao === null ? 'missing' : `"${acao}"`}; the extension needs "*"`,
    );
  }
  const type = header('content-type');
  if (type !== null && /^application\/json\b/i.test(type))
    io.out(`PASS  header         Content-Type: ${type}`);
  else
    io.out(
      `warn  header         Content-Type is ${type === null ? 'missing' : `"${type}"`}; expected application/json`,
    );
  const etag = header('etag');
  const cache = header('cache-control');
  io.out(`info  header         ETag: ${etag ?? '(none: every sync downloads the whole file)'}`);
  io.out(`info  header         Cache-Control: ${cache ?? '(none: synced once a day)'}`);
  return { body: new Uint8Array(await response.arrayBuffer()), headerProblems: problems };
}

export const verify: Command = {
  name: 'verify',
  summary: 'run every verification check on an envelope, as the extension does',
  help: `Usage: genuine-feed verify <envelope.json | https://...> --key <file.pub | base64> [--key ...]
                           [--kind feed|directory] [--brand-id <id>]
                           [--stored-version <N> --stored-sha256 <hex>] [--now <date>]

Runs the checks of feed-format.md section 4 in order and prints each one with
PASS or FAIL and its code: too-large, malformed, wrong-type, bad-signature,
schema, not-yet-valid, expired, rollback. Given a URL it fetches the published
file and also checks its headers (Access-Control-Allow-Origin: *, Content-Type).

Options:
  --key <key>             trusted public key: a .pub file or the base64 key (repeatable)
  --kind <kind>           feed or directory; default: from the envelope's payloadType
  --brand-id <id>         the brandId the feed must have
  --stored-version <N>    version of the copy a client already has
  --stored-sha256 <hex>   its payload SHA-256 (both or neither)
  --now <date>            check as of this time, e.g. to see if it still verifies next week
Exit status: 0 accepted, 1 rejected, 2 usage.`,
  options: {
    key: { type: 'string', multiple: true },
    kind: { type: 'string' },
    'brand-id': { type: 'string' },
    'stored-version': { type: 'string' },
    'stored-sha256': { type: 'string' },
    now: { type: 'string' },
  },
  async run(args, io) {
    const source = onePositional(args, 'envelope to verify');
    const storedVersion = integer(str(args, 'stored-version'), 'stored-version');
    const storedSha = str(args, 'stored-sha256');
    if ((storedVersion === undefined) !== (storedSha === undefined)) {
      throw new UsageError('give both --stored-version and --stored-sha256, or neither');
    }
    if (storedSha !== undefined && !/^[0-9a-fA-F]{64}$/.test(storedSha)) {
      throw new UsageError('--stored-sha256 expects 64 hex digits');
    }
    const now = parseNow(str(args, 'now')) ?? io.now();

    let body: Uint8Array;
    let headerProblems = 0;
    if (/^https?:\/\//i.test(source)) {
      ({ body, headerProblems } = await fetchPublished(io, source));
    } else {
      body = await readBytes(io, source);
    }
    const envelope = parseEnvelope(body);

    const keyArgs = strs(args, 'key');
    if (keyArgs.length === 0) {
      const named = envelope.ok ? envelope.envelope.signatures.filter((s) => s.publicKey !== null) : [];
      const lines = await Promise.all(
        named.map(async (s) => {
          const key = s.publicKey as string;
          const fingerprint = decodePublicKey(key) ? await keyFingerprint(key) : 'not a key';
          return `  keyid ${s.keyid ?? '(none)'}: ${key} (fingerprint ${fingerprint})`;
        }),
      );
      throw new UsageError(
        `--key is required: which public key do you trust for this document?${lines.length > 0 ? `\nThe envelope says it was signed by:\n${lines.join('\n')}\nCompare the fingerprint with one you trust before passing --key.` : ''}`,
      );
    }
    const keys = await Promise.all(keyArgs.map((k) => loadKey(io, k)));

    let kind: DocumentKind = kindOption(args) ?? 'feed';
    if (str(args, 'kind') === undefined && envelope.ok) {
      const fromType = (Object.keys(PAYLOAD_TYPES) as DocumentKind[]).find(
        (k) => PAYLOAD_TYPES[k] === envelope.envelope.payloadType,
      );
      if (fromType) kind = fromType;
    }
    io.out(`verifying ${source} as a ${kind} with ${keys.length} trusted key(s), now ${now.toISOString()}`);

    const brandId = str(args, 'brand-id');
    const { result, checks } = await verifyDocumentDetailed(body, {
      kind,
      keys,
      now,
      ...(storedVersion !== undefined && storedSha !== undefined
        ? { stored: { version: storedVersion, sha256: storedSha } }
        : {}),
      ...(brandId !== undefined ? { expectBrandId: brandId } : {}),
    });
    for (const check of checks) {
      const status = check.status === 'pass' ? 'PASS' : check.status === 'fail' ? 'FAIL' : '-   ';
      const detail = check.status === 'not-run' ? 'not run' : check.detail;
      io.out(`${status}  ${check.code.padEnd(13)}  ${check.label}: ${detail}`);
    }
    if (result.ok) {
      io.out(`ACCEPTED version ${result.version}, sha256 ${result.sha256}`);
    } else {
      io.out(`REJECTED ${result.code}: ${result.message}`);
    }
    if (result.ok && headerProblems > 0)
      io.out(`the file verifies but is not served the way the extension needs (see FAIL header)`);
    return result.ok && headerProblems === 0 ? EXIT_OK : EXIT_CHECK;
  },
};
