import { type Directory, type Feed, generateKeyPair, type KeyPair, signDocument } from '../../../lib/feed';
import { DIRECTORY_HOST, REPORTS_HOST, SERVICE_DOMAIN, type World } from './world';

/**
 * Signed documents for the local world: a directory and brand feeds made and signed at run time
 * with lib/feed's own signDocument, exactly as a brand's tooling would.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Validity window for a document issued "now" (an hour ago, to absorb clock skew). */
export function validity(
  kind: 'feed' | 'directory',
  now = Date.now(),
): { issuedAt: string; expiresAt: string } {
  return { issuedAt: iso(now - HOUR), expiresAt: iso(now + (kind === 'feed' ? 30 : 7) * DAY - HOUR) };
}

export function directoryUrl(world: { url(host: string, target?: string): string }): string {
  return world.url(DIRECTORY_HOST, '/v1/directory.json');
}

export function feedUrl(world: { url(host: string, target?: string): string }, brandId: string): string {
  return world.url(`${brandId}.${SERVICE_DOMAIN}`, '/.well-known/genuine-feed.json');
}

export function reportEndpoint(world: { url(host: string, target?: string): string }): string {
  return world.url(REPORTS_HOST, '/api/genuine-reports');
}

export interface BrandPublisher {
  brandId: string;
  name: string;
  key: KeyPair;
  keyid: string;
  feedUrl: string;
}

export async function newBrandKey(): Promise<KeyPair> {
  return generateKeyPair();
}

/** Signs and serves a brand feed at its URL; returns the ETag served. */
export async function publishFeed(
  world: World,
  brand: BrandPublisher,
  feed: Feed,
  maxAge = 3600,
): Promise<string> {
  const body = await signDocument(feed, 'feed', [{ keyid: brand.keyid, privateKey: brand.key.privateKey }]);
  return world.publish(brand.feedUrl, body, { maxAge });
}

/** Signs and serves the directory listing these brands (each pinned to its key). */
export async function publishDirectory(
  world: World,
  key: KeyPair,
  version: number,
  brands: readonly (BrandPublisher & { status?: 'active' | 'revoked' })[],
  keyid = 'genuine-e2e-directory',
): Promise<string> {
  const doc: Directory = {
    version,
    ...validity('directory'),
    brands: brands.map((b) => ({
      brandId: b.brandId,
      name: b.name,
      keys: [{ keyid: b.keyid, publicKey: b.key.publicKey }],
      feeds: [b.feedUrl],
      status: b.status ?? 'active',
    })),
  };
  const body = await signDocument(doc, 'directory', [{ keyid, privateKey: key.privateKey }]);
  return world.publish(directoryUrl(world), body, { maxAge: 3600 });
}
