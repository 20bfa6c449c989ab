import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyPair, keyFingerprint } from '../lib/feed';
import { CheckError, type Command, EXIT_OK, type Io, requireStr, resolvePath, str, UsageError } from './io';

const KEYID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Creates a file that must not exist yet, with the given mode, and checks the mode stuck. */
async function createExclusive(file: string, content: string, mode: number): Promise<void> {
  const handle = await open(file, 'wx', mode);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  await chmod(file, mode);
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o777) !== mode) {
    await rm(file, { force: true });
    throw new CheckError(`could not make ${file} mode ${mode.toString(8)}; removed it`);
  }
}

export const keygen: Command = {
  name: 'keygen',
  summary: 'create an Ed25519 key pair for signing',
  help: `Usage: genuine-feed keygen --out <dir> [--keyid <id>]

Creates <dir>/<keyid>.key (the private key, base64 PKCS#8, file mode 0600) and
<dir>/<keyid>.pub (the public key, base64 of the raw 32 bytes), and prints the
keyid, the public key and its fingerprint. Never overwrites an existing file.

Options:
  --out <dir>     directory to write to (created if missing)
  --keyid <id>    name of the key, e.g. acme-2026a (letters, digits, . _ -);
                  default: key-<date>-<random>
Keep the .key file secret and backed up offline; publish the .pub.`,
  options: { out: { type: 'string' }, keyid: { type: 'string' } },
  async run(args, io: Io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument: ${args.positionals[0]}`);
    const dir = resolvePath(io, requireStr(args, 'out'));
    const date = io.now().toISOString().slice(0, 10).replace(/-/g, '');
    const keyid = str(args, 'keyid') ?? `key-${date}-${randomBytes(2).toString('hex')}`;
    if (!KEYID.test(keyid)) {
      throw new UsageError(
        `--keyid "${keyid}": use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    }
    const keyFile = path.join(dir, `${keyid}.key`);
    const pubFile = path.join(dir, `${keyid}.pub`);
    for (const file of [keyFile, pubFile]) {
      if (await exists(file))
        throw new CheckError(
          `${file} already exists; refusing to overwrite a key (choose another --keyid or --out)`,
        );
    }
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`cannot create ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const pair = await generateKeyPair();
    await createExclusive(keyFile, `${pair.privateKey}\n`, 0o600);
    await createExclusive(pubFile, `${pair.publicKey}\n`, 0o644);
    io.out(`keyid:       ${keyid}`);
    io.out(`public key:  ${pair.publicKey}`);
    io.out(`fingerprint: ${await keyFingerprint(pair.publicKey)}`);
    io.out(`private key: ${keyFile} (mode 600: keep it secret, back it up offline)`);
    io.out(`public file: ${pubFile}`);
    return EXIT_OK;
  },
};
