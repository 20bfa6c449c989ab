import { z } from 'zod';
import { PublicKey } from './feed/schema';

/**
 * Which signed directory the extension syncs, and the keys trusted for it
 * (shared/design/contracts.md, "Building against another directory").
 *
 * `wxt build` inlines WXT_DIRECTORY_URL and WXT_DIRECTORY_KEYS (comma-separated base64 Ed25519
 * public keys) from the environment; without them the project's own directory and keys are used.
 * parseDirectoryConfig is also meant for wxt.config.ts, so that a bad value fails the build with
 * a clear message instead of shipping an extension that cannot verify anything.
 */

export const DEFAULT_DIRECTORY_URL = 'https://genuine-extension.github.io/directory/v1/directory.json';
/** The project's directory signing key "genuine-directory-2026a"; its private half is kept offline. */
export const DEFAULT_DIRECTORY_KEYS: readonly string[] = ['NcCr/mzqAddwpcq/miI4tZSpWnyxYK/EH9f6NnpnqWQ='];

const DirectoryUrl = z
  .string()
  .url()
  .max(2048)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/)/.test(u), {
    message: 'must be an https:// URL (http:// only on localhost or 127.0.0.1)',
  });

/** Unset and empty mean "use the default". */
const Optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Env = z.object({ WXT_DIRECTORY_URL: Optional, WXT_DIRECTORY_KEYS: Optional });

export interface DirectoryConfig {
  directoryUrl: string;
  directoryKeys: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the two variables from an environment record; throws ConfigError naming the bad one. */
export function parseDirectoryConfig(env: Record<string, unknown>): DirectoryConfig {
  const raw = Env.safeParse({
    WXT_DIRECTORY_URL: env.WXT_DIRECTORY_URL,
    WXT_DIRECTORY_KEYS: env.WXT_DIRECTORY_KEYS,
  });
  if (!raw.success) throw new ConfigError('WXT_DIRECTORY_URL and WXT_DIRECTORY_KEYS must be strings');
  const { WXT_DIRECTORY_URL: url, WXT_DIRECTORY_KEYS: keys } = raw.data;

  let directoryUrl = DEFAULT_DIRECTORY_URL;
  if (url !== undefined) {
    const parsed = DirectoryUrl.safeParse(url);
    if (!parsed.success) {
      throw new ConfigError(`WXT_DIRECTORY_URL ${JSON.stringify(url)}: ${parsed.error.issues[0]?.message}`);
    }
    directoryUrl = parsed.data;
  }

  let directoryKeys = [...DEFAULT_DIRECTORY_KEYS];
  if (keys !== undefined) {
    const list = keys
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    const bad = list.filter((k) => !PublicKey.safeParse(k).success);
    if (bad.length > 0) {
      throw new ConfigError(
        `WXT_DIRECTORY_KEYS: not a base64 Ed25519 public key (44 characters ending in "="): ${bad.map((k) => JSON.stringify(k)).join(', ')}`,
      );
    }
    directoryKeys = [...new Set(list)];
  }
  return { directoryUrl, directoryKeys };
}

/** The two variables as Vite inlined them; empty outside a Vite build (wxt.config.ts runs in Node). */
function buildEnv(): Record<string, unknown> {
  try {
    return {
      WXT_DIRECTORY_URL: import.meta.env.WXT_DIRECTORY_URL,
      WXT_DIRECTORY_KEYS: import.meta.env.WXT_DIRECTORY_KEYS,
    };
  } catch {
    return {};
  }
}

function fromBuild(): DirectoryConfig {
  try {
    return parseDirectoryConfig(buildEnv());
  } catch (error) {
    // A build should have failed on this already (see above). At run time nothing may break:
    // the project's own directory is used, and the reason is logged.
    console.error(
      `[genuine] ${error instanceof Error ? error.message : String(error)}; using the default directory`,
    );
    return { directoryUrl: DEFAULT_DIRECTORY_URL, directoryKeys: [...DEFAULT_DIRECTORY_KEYS] };
  }
}

const config = fromBuild();

/** The directory this build syncs. */
export const DIRECTORY_URL: string = config.directoryUrl;
/** Public keys (base64 of the raw 32 bytes) trusted for the directory. */
export const DIRECTORY_KEYS: readonly string[] = config.directoryKeys;
