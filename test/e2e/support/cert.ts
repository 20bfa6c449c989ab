import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Certificate {
  key: Buffer;
  cert: Buffer;
}

/** One throwaway key for every certificate this process makes, so a browser can trust it by its SPKI. */
let processKey: string | null = null;
function keyPem(): string {
  processKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return processKey;
}

/**
 * base64 SHA-256 of the certificates' public key (SPKI), for Chromium's
 * --ignore-certificate-errors-spki-list: Chromium then treats them as valid, where
 * --ignore-certificate-errors alone leaves the error on the connection and Chromium never stores
 * such responses in its HTTP cache (so cache revalidation could not be tested).
 */
export function certificateSpki(): string {
  const spki = createPublicKey(keyPem()).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * A throwaway self-signed certificate for the given host names, made with openssl in a temp
 * directory that is removed right away. Never committed, never trusted outside the test
 * browsers (which run with acceptInsecureCerts / --ignore-certificate-errors, and Chromium with
 * certificateSpki()).
 */
export function makeCertificate(hosts: readonly string[]): Certificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'genuine-e2e-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    writeFileSync(keyFile, keyPem(), { mode: 0o600 });
    const names = [...new Set(hosts)].map((h) => `DNS:${h}`);
    names.push('DNS:localhost', 'IP:127.0.0.1');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-key',
          keyFile,
          '-days',
          '2',
          '-subj',
          '/CN=genuine-e2e',
          '-addext',
          `subjectAltName=${names.join(',')}`,
          '-out',
          certFile,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'openssl is needed to make the test certificate. Install with:\n\n    apt-get install -y openssl\n'
          : `openssl could not make the test certificate: ${String(error)}`,
      );
    }
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
