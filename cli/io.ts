import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

/** Where a command writes and what time it is; tests pass their own. */
export type Io = {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
  cwd: string;
  fetch: typeof fetch;
};

export const EXIT_OK = 0;
/** A check failed or the command refused (invalid document, bad signature, existing key file). */
export const EXIT_CHECK = 1;
/** The command line is wrong (unknown option, missing argument, unreadable file). */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}
export class CheckError extends Error {}

export function defaultIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    now: () => new Date(),
    cwd: process.cwd(),
    fetch: (input, init) => globalThis.fetch(input, init),
  };
}

export type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type Parsed = {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
};

export function parse(argv: string[], options: Record<string, OptionSpec>): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as Parsed['values'] };
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error),
    );
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function requireStr(p: Parsed, name: string): string {
  const v = str(p, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function onePositional(p: Parsed, what: string): string {
  if (p.positionals.length === 0) throw new UsageError(`missing ${what}`);
  if (p.positionals.length > 1)
    throw new UsageError(`expected one ${what}, got ${p.positionals.length}: ${p.positionals.join(' ')}`);
  return p.positionals[0] as string;
}

export function integer(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new UsageError(
      `--${name} expects a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`,
    );
  }
  return Number(value);
}

export function resolvePath(io: Io, file: string): string {
  return path.resolve(io.cwd, file);
}

export async function readBytes(io: Io, file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolvePath(io, file)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error)}`,
    );
  }
}

export async function readText(io: Io, file: string): Promise<string> {
  const bytes = await readBytes(io, file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.replace(/^\ufeff/, '');
}

/** `file:line:column: message` for a JSON syntax error, from V8's "at position N". */
function jsonErrorWhere(file: string, text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const m = /position (\d+)/.exec(message);
  if (m) {
    const before = text.slice(0, Number(m[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `${file}:${line}:${column}: not valid JSON (${message})`;
  }
  return `${file}: not valid JSON (${message})`;
}

export async function readJson(
  io: Io,
  file: string,
): Promise<{ json: unknown; text: string; bytes: number }> {
  const bytes = await readBytes(io, file);
  const text = new TextDecoder().decode(bytes).replace(/^\ufeff/, '');
  try {
    return { json: JSON.parse(text), text, bytes: bytes.byteLength };
  } catch (error) {
    throw new CheckError(jsonErrorWhere(file, text, error));
  }
}

/** Writes through a temporary file and a rename, so a reader (a web server) never sees half a file. */
export async function writeAtomic(io: Io, file: string, content: string): Promise<void> {
  const target = resolvePath(io, file);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function isEnvelopeShape(json: unknown): boolean {
  return (
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    'payloadType' in json &&
    'payload' in json &&
    'signatures' in json
  );
}

/** ISO 8601 without milliseconds: "2026-11-20T00:00:00Z". */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One subcommand: its help text, its options, and what it does. Returns the exit code. */
export type Command = {
  name: string;
  summary: string;
  help: string;
  options: Record<string, OptionSpec>;
  run: (args: Parsed, io: Io) => Promise<number>;
};

export function kindOption(p: Parsed): 'feed' | 'directory' | undefined {
  const kind = str(p, 'kind');
  if (kind === undefined) return undefined;
  if (kind !== 'feed' && kind !== 'directory')
    throw new UsageError(`--kind is "feed" or "directory", not "${kind}"`);
  return kind;
}
