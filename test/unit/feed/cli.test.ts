// @vitest-environment node
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../../cli/main';
import { parseEnvelope, verifyDocument } from '../../../lib/feed';
import { DAY, NOW, validFeed } from './helpers';

const repoRoot = path.resolve(__dirname, '../../..');
let dir = '';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'genuine-feed-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (line) => out.push(...line.split('\n')),
    err: (line) => err.push(...line.split('\n')),
    now: () => NOW,
    cwd: dir,
    fetch: (input, init) => globalThis.fetch(input, init),
  });
  return { code, out, err, all: [...out, ...err].join('\n') };
}

function bareFeed(): Record<string, unknown> {
  const { version: _v, issuedAt: _i, expiresAt: _e, ...rest } = validFeed();
  return rest;
}

async function write(name: string, value: unknown) {
  await writeFile(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

const read = (name: string) => readFile(path.join(dir, name), 'utf8');

describe('genuine-feed keygen', () => {
  it('writes a 0600 private key and a public key, and never overwrites them', async () => {
    const made = await run('keygen', '--out', 'keys', '--keyid', 'acme-2026a');
    expect(made.code).toBe(0);
    const keyFile = path.join(dir, 'keys/acme-2026a.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const pub = (await read('keys/acme-2026a.pub')).trim();
    expect(pub).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(made.out).toContain('keyid:       acme-2026a');
    expect(made.out).toContain(`public key:  ${pub}`);
    expect(made.out.some((l) => /^fingerprint: ([0-9a-f]{4} ){7}[0-9a-f]{4}$/.test(l))).toBe(true);

    const before = await readFile(keyFile, 'utf8');
    const again = await run('keygen', '--out', 'keys', '--keyid', 'acme-2026a');
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toMatch(/already exists; refusing to overwrite/);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
  });

  it('needs --out and a sane keyid', async () => {
    expect((await run('keygen')).code).toBe(2);
    const bad = await run('keygen', '--out', 'keys', '--keyid', '../escape');
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/--keyid "..\/escape"/);
  });
});

describe('genuine-feed keygen -> sign -> verify', () => {
  it('round-trips on real files', async () => {
    expect((await run('keygen', '--out', 'keys', '--keyid', 'acme-2026a')).code).toBe(0);
    await write('feed.json', bareFeed());

    const signed = await run(
      'sign',
      'feed.json',
      '--key',
      'keys/acme-2026a.key',
      '--bump',
      '--out',
      'genuine-feed.json',
    );
    expect(signed.code, signed.all).toBe(0);
    expect(signed.out).toContain('signed feed acme version 1');
    expect(signed.out).toContain('  issuedAt  2026-11-20T12:00:00Z');
    expect(signed.out).toContain('  expiresAt 2026-12-20T12:00:00Z (30 days)');

    const body = await read('genuine-feed.json');
    const parsed = parseEnvelope(body);
    expect(parsed.ok && parsed.envelope.signatures[0]?.keyid).toBe('acme-2026a');
    const pub = (await read('keys/acme-2026a.pub')).trim();
    const result = await verifyDocument(body, { kind: 'feed', keys: [pub], now: NOW });
    expect(result.ok && result.version).toBe(1);

    const verified = await run('verify', 'genuine-feed.json', '--key', 'keys/acme-2026a.pub');
    expect(verified.code, verified.all).toBe(0);
    const checks = verified.out.filter((l) => /^(PASS|FAIL|- {3}) /.test(l));
    expect(checks.map((l) => l.split(/\s+/)[1])).toEqual([
      'too-large',
      'malformed',
      'wrong-type',
      'bad-signature',
      'schema',
      'not-yet-valid',
      'expired',
      'rollback',
    ]);
    expect(checks.every((l) => l.startsWith('PASS'))).toBe(true);
    expect(verified.out.at(-1)).toMatch(/^ACCEPTED version 1, sha256 [0-9a-f]{64}$/);

    // The next publication: --previous is the envelope on the server, bumped in place.
    const next = await run(
      'sign',
      'feed.json',
      '--key',
      'keys/acme-2026a.key',
      '--bump',
      '--previous',
      'genuine-feed.json',
      '--out',
      'genuine-feed.json',
    );
    expect(next.code, next.all).toBe(0);
    expect(next.out).toContain('signed feed acme version 2');
    const sha1 = result.ok ? result.sha256 : '';
    const newer = await run(
      'verify',
      'genuine-feed.json',
      '--key',
      pub,
      '--stored-version',
      '1',
      '--stored-sha256',
      sha1,
    );
    expect(newer.code).toBe(0);
    expect(newer.out.find((l) => l.startsWith('PASS  rollback'))).toMatch(
      /version 2 is newer than the stored 1/,
    );

    const stale = await run(
      'verify',
      'genuine-feed.json',
      '--key',
      pub,
      '--stored-version',
      '3',
      '--stored-sha256',
      sha1,
    );
    expect(stale.code).toBe(1);
    expect(stale.out.find((l) => l.startsWith('FAIL'))).toMatch(/^FAIL {2}rollback/);
    expect(stale.out.at(-1)).toMatch(/^REJECTED rollback: version 2 is older than the stored version 3/);

    const backwards = await run(
      'sign',
      'feed.json',
      '--key',
      'keys/acme-2026a.key',
      '--version',
      '2',
      '--previous',
      'genuine-feed.json',
    );
    expect(backwards.code).toBe(1);
    expect(backwards.err.join('\n')).toMatch(/version 2 is not above the published version 2/);
  });

  it('reports each check and stops at the first failure: untrusted key, expired', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'a');
    await run('keygen', '--out', 'keys', '--keyid', 'b');
    await write('feed.json', bareFeed());
    expect(
      (await run('sign', 'feed.json', '--key', 'keys/a.key', '--version', '7', '--out', 'env.json')).code,
    ).toBe(0);

    const wrongKey = await run('verify', 'env.json', '--key', 'keys/b.pub');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out.filter((l) => l.startsWith('PASS'))).toHaveLength(3);
    expect(wrongKey.out.find((l) => l.startsWith('FAIL'))).toMatch(/^FAIL {2}bad-signature/);
    expect(wrongKey.out.filter((l) => l.startsWith('-   '))).toHaveLength(4);

    const later = await run(
      'verify',
      'env.json',
      '--key',
      'keys/a.pub',
      '--now',
      new Date(NOW.getTime() + 31 * DAY).toISOString(),
    );
    expect(later.code).toBe(1);
    expect(later.out.at(-1)).toMatch(/^REJECTED expired: expired at 2026-12-20T12:00:00Z/);

    const asDirectory = await run('verify', 'env.json', '--key', 'keys/a.pub', '--kind', 'directory');
    expect(asDirectory.out.at(-1)).toMatch(/^REJECTED wrong-type/);

    const noKey = await run('verify', 'env.json');
    expect(noKey.code).toBe(2);
    expect(noKey.err.join('\n')).toMatch(/The envelope says it was signed by:\n {2}keyid a: /);

    const badKey = await run('verify', 'env.json', '--key', 'nonsense');
    expect(badKey.code).toBe(2);
  });

  it('refuses to sign an invalid document, printing each problem with its path', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'a');
    const feed = bareFeed();
    feed.channels = [{ marketplace: 'amazon', complete: true, sellers: [{ id: 5 }] }];
    await write('feed.json', feed);
    const result = await run('sign', 'feed.json', '--key', 'keys/a.key', '--bump', '--out', 'env.json');
    expect(result.code).toBe(1);
    expect(result.err).toContain('channels[0].sellers[0].id: expected string, received number');
    expect(result.err.at(-1)).toBe('feed.json: 1 error(s); not signed');
    await expect(stat(path.join(dir, 'env.json'))).rejects.toThrow();
  });

  it('caps --days at the maximum lifetime and signs the directory', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'root');
    const pub = (await read('keys/root.pub')).trim();
    await write('directory.json', {
      brands: [
        {
          brandId: 'acme',
          name: 'ACME',
          keys: [{ keyid: 'a', publicKey: pub }],
          feeds: ['https://acme.com/.well-known/genuine-feed.json'],
          status: 'active',
        },
      ],
    });
    const result = await run(
      'sign',
      'directory.json',
      '--key',
      'keys/root.key',
      '--version',
      '1',
      '--days',
      '60',
      '--out',
      'dir.json',
    );
    expect(result.code, result.all).toBe(0);
    expect(result.err).toContain('warning: --days 60 is more than a directory may live; using 14');
    expect(result.out).toContain('signed directory version 1');
    const verified = await verifyDocument(await read('dir.json'), {
      kind: 'directory',
      keys: [pub],
      now: NOW,
    });
    expect(verified.ok).toBe(true);
  });

  it('writes the envelope to standard output without --out', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'a');
    await write('feed.json', validFeed());
    const result = await run('sign', 'feed.json', '--key', 'keys/a.key');
    expect(result.code, result.all).toBe(0);
    const envelope = JSON.parse(result.out.join('\n')) as { payloadType: string };
    expect(envelope.payloadType).toBe('application/vnd.genuine.feed+json; version=1');
    expect(result.err[0]).toBe('signed feed acme version 42');
  });
});

describe('genuine-feed lint', () => {
  it('prints each schema problem on its own line with its path and fails', async () => {
    const sellers: unknown[] = Array.from({ length: 15 }, (_, i) => ({
      id: `A${String(i).padStart(13, '0')}`,
    }));
    sellers[14] = { id: null };
    const feed = bareFeed();
    feed.channels = [
      { marketplace: 'amazon', complete: true, sellers: [] },
      { marketplace: 'ebay', complete: false, sellers: [] },
      { marketplace: 'walmart', complete: true, sellers },
      { marketplace: 'amazom', complete: true, sellers: [] },
    ];
    await write('feed.json', feed);
    const result = await run('lint', 'feed.json');
    expect(result.code).toBe(1);
    expect(result.out).toContain('channels[2].sellers[14].id: expected string, received null');
    expect(result.out.some((l) => l.startsWith('channels[3].marketplace: expected one of'))).toBe(true);
    expect(result.out.some((l) => l.startsWith('warning:'))).toBe(false); // warnings need a valid document
  });

  it('prints warnings for a valid document and passes unless --strict', async () => {
    const feed = bareFeed();
    feed.channels = [
      { marketplace: 'amazon', complete: true, sellers: [] },
      { marketplace: 'ebay', complete: false, sellers: [{ id: 'acme' }, { id: 'acme' }] },
    ];
    await write('feed.json', feed);
    const result = await run('lint', 'feed.json');
    expect(result.code).toBe(0);
    expect(result.out.some((l) => /^warning: channels\[0\]: .*nobody is authorized/.test(l))).toBe(true);
    expect(result.out).toContain(
      'warning: channels[1].sellers[1]: duplicate of channels[1].sellers[0] (id acme)',
    );
    expect((await run('lint', 'feed.json', '--strict')).code).toBe(1);
  });

  it('lints the payload of an envelope and points at JSON syntax errors', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'a');
    await write('feed.json', bareFeed());
    await run('sign', 'feed.json', '--key', 'keys/a.key', '--bump', '--out', 'env.json');
    const ok = await run('lint', 'env.json');
    expect(ok.code, ok.all).toBe(0);
    expect(ok.err[0]).toMatch(/envelope of a feed/);

    await write('broken.json', '{\n  "brandId": "acme",\n  "version": 1,,\n}');
    const broken = await run('lint', 'broken.json');
    expect(broken.code).toBe(1);
    expect(broken.err[0]).toMatch(/^genuine-feed lint: broken\.json:3:\d+: not valid JSON/);

    expect((await run('lint', 'missing.json')).code).toBe(2);
    await write('what.json', { hello: 1 });
    expect((await run('lint', 'what.json')).code).toBe(2);
    expect((await run('lint', 'what.json', '--kind', 'feed')).code).toBe(1);
  });
});

describe('genuine-feed from-csv', () => {
  const csv =
    'marketplace,site,seller id,seller name\namazon,amazon.com,a1b2c3d4e5f6g7,ACME\nebay,ebay.com,ACME_store,\n';

  it('prints channels built from a spreadsheet', async () => {
    await write('sellers.csv', csv);
    const result = await run('from-csv', 'sellers.csv', '--complete');
    expect(result.code, result.all).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual([
      {
        marketplace: 'amazon',
        sites: ['amazon.com'],
        complete: true,
        sellers: [{ id: 'A1B2C3D4E5F6G7', name: 'ACME' }],
      },
      { marketplace: 'ebay', sites: ['ebay.com'], complete: true, sellers: [{ id: 'acme_store' }] },
    ]);
  });

  it('merges into a feed, which then lints and signs', async () => {
    await write('sellers.csv', csv);
    const feed = bareFeed();
    feed.channels = [{ marketplace: 'etsy', complete: false, sellers: [{ id: 'acmeshop' }] }];
    await write('feed.json', feed);
    const result = await run('from-csv', 'sellers.csv', '--into', 'feed.json');
    expect(result.code, result.all).toBe(0);
    const merged = JSON.parse(await read('feed.json')) as {
      channels: { marketplace: string }[];
      brandId: string;
    };
    expect(merged.brandId).toBe('acme');
    expect(merged.channels.map((c) => c.marketplace)).toEqual(['etsy', 'amazon', 'ebay']);
    expect((await run('lint', 'feed.json')).code).toBe(0);
  });

  it('fails on bad rows, naming their lines, and writes nothing', async () => {
    await write('sellers.csv', 'marketplace,seller id\namazon,A1B2C3D4E5F6G7\nebey,someone\n');
    const result = await run('from-csv', 'sellers.csv', '--out', 'channels.json');
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/^sellers\.csv:3: unknown marketplace "ebey" \(did you mean "ebay"\?\)/);
    await expect(stat(path.join(dir, 'channels.json'))).rejects.toThrow();
  });
});

describe('genuine-feed schema, help and usage', () => {
  it('prints the JSON Schemas', async () => {
    const feed = await run('schema');
    expect(feed.code).toBe(0);
    expect((JSON.parse(feed.out.join('\n')) as { title: string }).title).toBe(
      'Genuine brand feed, version 1',
    );
    const report = await run('schema', '--kind', 'report', '--out', 'report.schema.json');
    expect(report.code).toBe(0);
    expect(JSON.parse(await read('report.schema.json'))).toHaveProperty('additionalProperties', false);
    expect((await run('schema', '--kind', 'nope')).code).toBe(2);
  });

  it('has --help for every command and exit status 2 for usage errors', async () => {
    for (const command of COMMANDS) {
      const help = await run(command.name, '--help');
      expect(help.code).toBe(0);
      expect(help.out[0]).toMatch(new RegExp(`^Usage: genuine-feed ${command.name}`));
    }
    expect((await run('--help')).code).toBe(0);
    expect((await run('help', 'sign')).out[0]).toMatch(/^Usage: genuine-feed sign/);
    expect((await run()).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    const unknown = await run('sign', 'feed.json', '--frob');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/Unknown option '--frob'/);
    expect((await run('sign', 'a.json', '--key', 'k', '--bump', '--version', '3')).code).toBe(2);
  });
});

describe('genuine-feed verify <url>', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
    server = null;
  });

  async function serve(body: string, headers: Record<string, string>): Promise<string> {
    server = createServer((_req, res) => {
      res.writeHead(200, headers);
      res.end(body);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/genuine-feed.json`;
  }

  it('fetches the published file and checks the headers the extension needs', async () => {
    await run('keygen', '--out', 'keys', '--keyid', 'a');
    await write('feed.json', bareFeed());
    await run('sign', 'feed.json', '--key', 'keys/a.key', '--bump', '--out', 'env.json');
    const body = await read('env.json');

    const good = await serve(body, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      etag: '"v1"',
    });
    const ok = await run('verify', good, '--key', 'keys/a.pub');
    expect(ok.code, ok.all).toBe(0);
    expect(ok.out).toContain('PASS  header         Access-Control-Allow-Origin: *');
    expect(ok.out).toContain('info  header         ETag: "v1"');

    await new Promise((resolve) => server?.close(resolve));
    const noCors = await serve(body, { 'content-type': 'text/plain' });
    const bad = await run('verify', noCors, '--key', 'keys/a.pub');
    expect(bad.code).toBe(1);
    expect(
      bad.out.some((l) => l.startsWith('FAIL  header         Access-Control-Allow-Origin is missing')),
    ).toBe(true);
    expect(bad.out.some((l) => l.startsWith('warn  header         Content-Type is "text/plain"'))).toBe(true);
  });
});

describe('the genuine-feed bin and npm run feed', () => {
  const exec = promisify(execFile);

  it('runs the same CLI through node bin/genuine-feed.mjs', async () => {
    const { stdout } = await exec(process.execPath, [path.join(repoRoot, 'bin/genuine-feed.mjs'), '--help'], {
      cwd: repoRoot,
    });
    expect(stdout).toMatch(/^Usage: genuine-feed <command>/);
    const failed = await exec(process.execPath, [path.join(repoRoot, 'bin/genuine-feed.mjs'), 'lint'], {
      cwd: repoRoot,
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failed && failed.code).toBe(2);
  });

  it('runs cli/feed.ts under tsx', async () => {
    const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
    const { stdout } = await exec(
      process.execPath,
      [tsx, path.join(repoRoot, 'cli/feed.ts'), 'schema', '--kind', 'directory'],
      {
        cwd: repoRoot,
      },
    );
    expect((JSON.parse(stdout) as { title: string }).title).toBe('Genuine directory, version 1');
  });
});
