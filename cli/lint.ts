import { type DocumentKind, PAYLOAD_TYPES, parseEnvelope } from '../lib/feed';
import { guessKind, type LintResult, lintDocument } from '../lib/feed/lint';
import {
  CheckError,
  type Command,
  EXIT_CHECK,
  EXIT_OK,
  flag,
  type Io,
  isEnvelopeShape,
  kindOption,
  onePositional,
  readJson,
  str,
  UsageError,
} from './io';

/** Errors as `path: message`, then warnings and notes, one per line. */
export function printLint(io: Io, result: LintResult, write: (line: string) => void = io.out): void {
  for (const e of result.errors) write(`${e.path}: ${e.message}`);
  for (const w of result.warnings) write(`warning: ${w.path}: ${w.message}`);
  for (const n of result.notes) write(`note: ${n.path}: ${n.message}`);
}

function kindOfType(payloadType: string): DocumentKind | null {
  for (const kind of Object.keys(PAYLOAD_TYPES) as DocumentKind[])
    if (PAYLOAD_TYPES[kind] === payloadType) return kind;
  return null;
}

export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new UsageError(`--now expects an ISO 8601 date such as 2026-12-01T00:00:00Z, not "${value}"`);
  return new Date(ms);
}

export const lint: Command = {
  name: 'lint',
  summary: 'list every problem in a document or envelope, with its JSON path',
  help: `Usage: genuine-feed lint <document.json | envelope.json> [--kind feed|directory] [--strict] [--now <date>]

Prints every schema problem on its own line with its JSON path, for example
  channels[2].sellers[14].id: missing (expected string)
then warnings (duplicate sellers, complete lists with nobody authorized, floor
above msrp, sites of another marketplace, unknown fields) and notes.

A document not signed yet may leave out version, issuedAt and expiresAt (sign
sets them). For an envelope the payload is decoded and linted, dates included;
its signature is not checked (use verify).

Options:
  --kind <kind>   feed or directory; default: from the payloadType or the document
  --strict        warnings fail too (exit 1)
  --now <date>    the time to check dates against; default: now
Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.`,
  options: { kind: { type: 'string' }, strict: { type: 'boolean' }, now: { type: 'string' } },
  async run(args, io) {
    const file = onePositional(args, 'document or envelope to lint');
    const now = parseNow(str(args, 'now')) ?? io.now();
    const asked = kindOption(args);
    const { json, text, bytes } = await readJson(io, file);
    let result: LintResult;
    if (isEnvelopeShape(json)) {
      const parsed = parseEnvelope(text);
      if (!parsed.ok) throw new CheckError(`${file}: ${parsed.message}`);
      const typeKind = kindOfType(parsed.envelope.payloadType);
      const kind = asked ?? typeKind;
      if (kind === null)
        throw new CheckError(`${file}: unknown payloadType "${parsed.envelope.payloadType}"`);
      if (typeKind !== kind) {
        throw new CheckError(
          `${file}: payloadType is "${parsed.envelope.payloadType}", not the one of a ${kind}`,
        );
      }
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(parsed.envelope.payload));
      } catch (error) {
        throw new CheckError(
          `${file}: the payload is not JSON (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      io.err(`${file}: envelope of a ${kind}; linting its payload (signature not checked: use verify)`);
      result = lintDocument(payload, kind, { now, envelopeBytes: bytes });
    } else {
      const kind = asked ?? guessKind(json);
      if (kind === null)
        throw new UsageError(`cannot tell whether ${file} is a feed or a directory; pass --kind`);
      // Base64 makes the payload 4/3 bigger in the envelope; the rest is a few hundred bytes.
      const payloadBytes = new TextEncoder().encode(JSON.stringify(json)).byteLength;
      const estimate = Math.ceil(payloadBytes / 3) * 4 + 400;
      result = lintDocument(json, kind, { now, unsigned: true, envelopeBytes: estimate });
    }
    printLint(io, result);
    const failed = result.errors.length > 0 || (flag(args, 'strict') && result.warnings.length > 0);
    io.err(
      `${file}: ${result.kind}, ${result.errors.length} error(s), ${result.warnings.length} warning(s)${failed ? '' : ', ok'}`,
    );
    return failed ? EXIT_CHECK : EXIT_OK;
  },
};
