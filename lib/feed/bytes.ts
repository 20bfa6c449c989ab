/**
 * Byte helpers that run the same in the extension (no Buffer) and in Node: base64, UTF-8, hex,
 * SHA-256. Signed documents cross the network as bytes, so everything here is exact and strict.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decoding table: standard and URL-safe alphabets both map (DSSE accepts either). 255 = invalid. */
const DECODE = (() => {
  const table = new Uint8Array(256).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    chunk +=
      ALPHABET.charAt(v >>> 18) +
      ALPHABET.charAt((v >>> 12) & 63) +
      ALPHABET.charAt((v >>> 6) & 63) +
      ALPHABET.charAt(v & 63);
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = n - i;
  if (rest === 1) {
    const v = (bytes[i] as number) << 16;
    chunk += `${ALPHABET.charAt(v >>> 18)}${ALPHABET.charAt((v >>> 12) & 63)}==`;
  } else if (rest === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    chunk += `${ALPHABET.charAt(v >>> 18)}${ALPHABET.charAt((v >>> 12) & 63)}${ALPHABET.charAt((v >>> 6) & 63)}=`;
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Strict base64 decoding: standard or URL-safe alphabet, padding optional but correct when
 * present, no whitespace, no stray characters. Returns null on anything else.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (typeof text !== 'string') return null;
  let end = text.length;
  if (end % 4 === 0 && end > 0) {
    if (text.charCodeAt(end - 1) === 61) end--;
    if (text.charCodeAt(end - 1) === 61) end--;
  }
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < end; i += 4) {
    const a = DECODE[text.charCodeAt(i) & 0xff] as number;
    const b = DECODE[text.charCodeAt(i + 1) & 0xff] as number;
    const c = DECODE[text.charCodeAt(i + 2) & 0xff] as number;
    const d = DECODE[text.charCodeAt(i + 3) & 0xff] as number;
    if ((a | b | c | d) === 255 || !ascii(text, i, 4)) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  const rest = end - i;
  if (rest === 2 || rest === 3) {
    const a = DECODE[text.charCodeAt(i) & 0xff] as number;
    const b = DECODE[text.charCodeAt(i + 1) & 0xff] as number;
    const c = rest === 3 ? (DECODE[text.charCodeAt(i + 2) & 0xff] as number) : 0;
    if ((a | b | c) === 255 || !ascii(text, i, rest)) return null;
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >>> 16;
    if (rest === 3) out[o++] = (v >>> 8) & 0xff;
  }
  return out;
}

function ascii(text: string, from: number, count: number): boolean {
  for (let k = from; k < from + count; k++) if (text.charCodeAt(k) > 127) return false;
  return true;
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding (a byte-order mark is dropped); null when the bytes are not UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** A copy backed by a plain ArrayBuffer, which is what WebCrypto's typings (and Firefox) want. */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

export function subtle(): SubtleCrypto {
  const c = globalThis.crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return c.subtle;
}

/** Lowercase hex SHA-256. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await subtle().digest('SHA-256', ownBytes(bytes));
  return toHex(new Uint8Array(digest));
}

export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
