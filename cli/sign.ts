import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type DocumentKind,
  keyFingerprint,
  MAX_LIFETIME_MS,
  PAYLOAD_TYPES,
  parseEnvelope,
  signDocument,
  verifyDocumentDetailed,
} from '../lib/feed';
import { importPrivateKey, publicKeyOf } from '../lib/feed/keys';
import { guessKind, lintDocument } from '../lib/feed/lint';
import {
  CheckError,
  type Command,
  EXIT_CHECK,
  EXIT_OK,
  flag,
  type Io,
  integer,
  isEnvelopeShape,
  isoSeconds,
  kindOption,
  onePositional,
  readBytes,
  readJson,
  readText,
  requireStr,
  resolvePath,
  str,
  UsageError,
  writeAtomic,
} from './io';
import { printLint } from './lint';

export const DEFAULT_DAYS: Record<DocumentKind, number> = { feed: 30, directory: 7 };

/** The version inside a previously published envelope (its signature is not checked here). */
async function previousVersion(io: Io, file: string, kind: DocumentKind): Promise<number> {
  const parsed = parseEnvelope(await readBytes(io, file));
  if (!parsed.ok) throw new CheckError(`--previous ${file}: ${parsed.message}`);
  if (parsed.envelope.payloadType !== PAYLOAD_TYPES[kind]) {
    throw new CheckError(
      `--previous ${file}: its payloadType is "${parsed.envelope.payloadType}", not a ${kind}`,
    );
  }
  let version: unknown;
  try {
    version = (JSON.parse(new TextDecoder().decode(parsed.envelope.payload)) as { version?: unknown })
      .version;
  } catch {
    throw new CheckError(`--previous ${file}: the payload is not JSON`);
  }
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new CheckError(`--previous ${file}: the document has no valid version`);
  }
  return version;
}

export const sign: Command = {
  name: 'sign',
  summary: 'sign a feed or directory into a DSSE envelope',
  help: `Usage: genuine-feed sign <document.json> --key <file.key> [--keyid <id>]
                         [--kind feed|directory] [--out <envelope.json>]
                         [--version <N> | --bump] [--previous <envelope.json>] [--days <N>]

Sets issuedAt to now and expiresAt to now + days, sets or checks the version,
lints the document (and refuses to sign one with errors), signs it with the
Ed25519 key and checks the result verifies. The document file is not changed.

Options:
  --key <file>        private key (from keygen; PKCS#8 base64, 32-byte seed base64, or PEM)
  --keyid <id>        key name written in the signature; default: the key file's name
  --kind <kind>       feed or directory; default: guessed from the document
  --out <file>        where to write the envelope (atomically); default: standard output
  --version <N>       use version N
  --bump              version = previous envelope's version + 1 (with --previous),
                      else the document's version + 1
  --previous <file>   the envelope currently published: the new version must be higher
  --days <N>          lifetime in days; default 30 for a feed, 7 for the directory;
                      at most 90 (feed) and 14 (directory)

Example:
  genuine-feed sign feed.json --key keys/acme-2026a.key --bump \\
    --previous public/.well-known/genuine-feed.json --out public/.well-known/genuine-feed.json`,
  options: {
    key: { type: 'string' },
    keyid: { type: 'string' },
    kind: { type: 'string' },
    out: { type: 'string' },
    version: { type: 'string' },
    bump: { type: 'boolean' },
    previous: { type: 'string' },
    days: { type: 'string' },
  },
  async run(args, io) {
    const file = onePositional(args, 'document to sign');
    const keyFile = requireStr(args, 'key');
    const explicitVersion = integer(str(args, 'version'), 'version');
    const bump = flag(args, 'bump');
    if (explicitVersion !== undefined && bump)
      throw new UsageError('use either --version or --bump, not both');
    const daysArg = integer(str(args, 'days'), 'days', 1);

    const { json } = await readJson(io, file);
    if (isEnvelopeShape(json)) {
      throw new CheckError(
        `${file} is already a signed envelope; sign the document itself (lint shows what it contains)`,
      );
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new CheckError(`${file}: expected a JSON object`);
    }
    const document = json as Record<string, unknown>;
    const kind = kindOption(args) ?? guessKind(document);
    if (kind === null)
      throw new UsageError(`cannot tell whether ${file} is a feed or a directory; pass --kind`);

    const maxDays = MAX_LIFETIME_MS[kind] / 86_400_000;
    let days = daysArg ?? DEFAULT_DAYS[kind];
    if (days > maxDays) {
      io.err(`warning: --days ${days} is more than a ${kind} may live; using ${maxDays}`);
      days = maxDays;
    }

    const previousFile = str(args, 'previous');
    const previous = previousFile === undefined ? undefined : await previousVersion(io, previousFile, kind);
    const current = document.version;
    let version: number;
    if (explicitVersion !== undefined) {
      version = explicitVersion;
    } else if (bump) {
      if (previous !== undefined) version = previous + 1;
      else if (current === undefined) version = 1;
      else if (typeof current === 'number' && Number.isSafeInteger(current) && current >= 0)
        version = current + 1;
      else throw new CheckError(`${file}: version is not a whole number; pass --version N`);
    } else {
      if (typeof current !== 'number' || !Number.isSafeInteger(current) || current < 0) {
        throw new CheckError(`${file}: no valid version; pass --version N or --bump`);
      }
      version = current;
    }
    if (previous !== undefined && version <= previous) {
      throw new CheckError(
        `version ${version} is not above the published version ${previous}: verifiers would reject it as a rollback (use --bump)`,
      );
    }

    const keyText = await readText(io, keyFile);
    try {
      const mode = (await stat(resolvePath(io, keyFile))).mode;
      if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
        io.err(
          `warning: ${keyFile} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
        );
      }
    } catch {
      // readText already succeeded; the mode is advice only
    }
    let privateKey: CryptoKey;
    try {
      privateKey = await importPrivateKey(keyText);
    } catch (error) {
      throw new CheckError(`${keyFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const publicKey = await publicKeyOf(privateKey);
    const keyid = str(args, 'keyid') ?? path.basename(keyFile).replace(/\.(key|pem)$/, '');

    const now = io.now();
    const issuedAt = isoSeconds(now);
    const expiresAt = isoSeconds(new Date(now.getTime() - (now.getTime() % 1000) + days * 86_400_000));
    const { brandId, version: _v, issuedAt: _i, expiresAt: _e, ...rest } = document;
    const toSign =
      kind === 'feed'
        ? { brandId, version, issuedAt, expiresAt, ...rest }
        : { version, issuedAt, expiresAt, ...rest };

    const payloadText = JSON.stringify(toSign);
    const envelope = await signDocument(payloadText, kind, [{ keyid, privateKey, publicKey }]);
    const envelopeBytes = new TextEncoder().encode(envelope).byteLength;
    const lint = lintDocument(toSign, kind, { now, envelopeBytes });
    printLint(io, lint, io.err);
    if (lint.errors.length > 0) {
      io.err(`${file}: ${lint.errors.length} error(s); not signed`);
      return EXIT_CHECK;
    }

    const check = await verifyDocumentDetailed(envelope, { kind, keys: [publicKey], now });
    if (!check.result.ok)
      throw new CheckError(`the new envelope does not verify: ${check.result.code}: ${check.result.message}`);

    const out = str(args, 'out');
    if (out !== undefined) await writeAtomic(io, out, `${envelope}\n`);
    else io.out(envelope);
    const say = out === undefined ? io.err : io.out;
    say(
      `signed ${kind}${brandId !== undefined && kind === 'feed' ? ` ${String(brandId)}` : ''} version ${version}`,
    );
    say(`  issuedAt  ${issuedAt}`);
    say(`  expiresAt ${expiresAt} (${days} days)`);
    say(`  sha256    ${check.result.sha256}`);
    say(`  keyid     ${keyid}, fingerprint ${await keyFingerprint(publicKey)}`);
    say(`  size      ${envelopeBytes} bytes`);
    if (out !== undefined) say(`  written   ${out}`);
    return EXIT_OK;
  },
};
