import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Certificate {
  key: Buffer;
  cert: Buffer;
}

/**
 * A throwaway self-signed certificate for the given host names, made with openssl in a temp
 * directory that is removed right away. Never committed, never trusted outside the test
 * browsers (which run with acceptInsecureCerts / --ignore-certificate-errors).
 */
export function makeCertificate(hosts: readonly string[]): Certificate {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'genuine-e2e-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const names = [...new Set(hosts)].map((h) => `DNS:${h}`);
    names.push('DNS:localhost', 'IP:127.0.0.1');
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=genuine-e2e',
          '-addext',
          `subjectAltName=${names.join(',')}`,
          '-keyout',
          keyFile,
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
