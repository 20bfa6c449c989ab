import { browser } from 'wxt/browser';

/** The optional permission that lets the generic adapter read product data on any https shop. */
export const ALL_SHOPS = 'https://*/*';

/**
 * Host permissions beyond the marketplaces, as the options page needs them. `request` must be
 * called straight from a click handler (browsers require the user gesture), so implementations
 * call the browser before awaiting anything.
 */
export interface HostPermissions {
  /** Origins granted on top of what the manifest always has. */
  granted(): Promise<string[]>;
  request(origins: string[]): Promise<boolean>;
  remove(origins: string[]): Promise<boolean>;
}

/** "shop.example.com", "https://shop.example.com/p/1" -> "https://shop.example.com/*"; null if not a host. */
export function shopOrigin(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  let host: string;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:') return null;
    host = url.hostname.toLowerCase();
  } catch {
    return null;
  }
  // A registrable-looking host name: labels of letters, digits and hyphens, at least one dot.
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host)) return null;
  return `https://${host}/*`;
}

function manifestOrigins(): Set<string> {
  const out = new Set<string>();
  try {
    const manifest = browser.runtime.getManifest() as {
      host_permissions?: string[];
      permissions?: string[];
      content_scripts?: { matches?: string[] }[];
    };
    for (const p of manifest.host_permissions ?? []) out.add(p);
    for (const p of manifest.permissions ?? []) if (p.includes('://')) out.add(p);
    for (const cs of manifest.content_scripts ?? []) for (const m of cs.matches ?? []) out.add(m);
  } catch {
    // No manifest (tests): nothing to leave out.
  }
  return out;
}

export const browserHostPermissions: HostPermissions = {
  async granted() {
    const all = await browser.permissions.getAll();
    const fixed = manifestOrigins();
    return (all.origins ?? []).filter((o) => !fixed.has(o));
  },
  request(origins) {
    return browser.permissions.request({ origins });
  },
  remove(origins) {
    return browser.permissions.remove({ origins });
  },
};
