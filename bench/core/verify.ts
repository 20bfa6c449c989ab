import { fromUtf8 } from '../../lib/feed/bytes';
import { pae, parseEnvelope } from '../../lib/feed/dsse';
import { decodePublicKey } from '../../lib/feed/keys';
import { Feed } from '../../lib/feed/schema';
import { verifyDocument } from '../../lib/feed/verify';
import { type Row, summaryRow } from '../results';
import { roundSummary, summarize } from './stats';

/**
 * Verification of one signed feed (lib/feed verifyDocument: size, envelope, Ed25519 signature,
 * schema, freshness), against its physical floor: one bare `crypto.subtle.verify` of the same
 * signed bytes plus one `JSON.parse` of the same payload. Runs in Node and in Chromium (WebCrypto
 * only). Also times the parts alone, and zod's schema pass on the parsed document, to show where
 * the time above the floor goes.
 */

export interface VerifyMeasure {
  bytes: number;
  sellers: number;
  products: number;
  ok: boolean;
  verify: number[];
  floor: number[];
  subtleVerify: number[];
  jsonParse: number[];
  schema: number[];
}

export async function measureVerify(
  body: Uint8Array,
  publicKey: string,
  options: { iterations: number; now: () => number; at: Date },
): Promise<VerifyMeasure> {
  const { now, iterations } = options;
  const subtle = globalThis.crypto.subtle;
  const parsed = parseEnvelope(body);
  if (!parsed.ok) throw new Error(`bench feed is not an envelope: ${parsed.message}`);
  const { envelope } = parsed;
  const signed = pae(envelope.payloadType, envelope.payload);
  const sig = envelope.signatures[0]?.sig;
  if (!sig) throw new Error('bench feed has no signature');
  const payloadText = fromUtf8(envelope.payload);
  if (payloadText === null) throw new Error('bench feed payload is not UTF-8');
  const raw = decodePublicKey(publicKey);
  if (raw === null) throw new Error('bench public key is not an Ed25519 key');
  const key = await subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  const document: unknown = JSON.parse(payloadText);
  const counts = Feed.safeParse(document);
  const sellers = counts.success ? counts.data.channels.reduce((n, c) => n + c.sellers.length, 0) : 0;
  const products = counts.success ? (counts.data.products?.length ?? 0) : 0;

  const verify: number[] = [];
  const floor: number[] = [];
  const subtleVerify: number[] = [];
  const jsonParse: number[] = [];
  const schema: number[] = [];
  let ok = true;
  // One untimed round of each first (JIT, key caches).
  const run = async (timed: boolean) => {
    let t = now();
    const result = await verifyDocument(body, { kind: 'feed', keys: [publicKey], now: options.at });
    if (timed) verify.push(now() - t);
    ok &&= result.ok;

    t = now();
    const good = await subtle.verify({ name: 'Ed25519' }, key, sig, signed);
    JSON.parse(payloadText);
    if (timed) floor.push(now() - t);
    ok &&= good;

    t = now();
    await subtle.verify({ name: 'Ed25519' }, key, sig, signed);
    if (timed) subtleVerify.push(now() - t);

    t = now();
    const again: unknown = JSON.parse(payloadText);
    if (timed) jsonParse.push(now() - t);

    t = now();
    Feed.safeParse(again);
    if (timed) schema.push(now() - t);
  };
  await run(false);
  for (let i = 0; i < iterations; i++) await run(true);
  return { bytes: body.byteLength, sellers, products, ok, verify, floor, subtleVerify, jsonParse, schema };
}

/** The table row and the JSON details of one verification measurement. */
export function summarizeVerify(
  m: VerifyMeasure,
  engine: string,
  id: string,
): { rows: Row[]; details: Record<string, unknown> } {
  const s = {
    verify: summarize(m.verify),
    floor: summarize(m.floor),
    subtleVerify: summarize(m.subtleVerify),
    jsonParse: summarize(m.jsonParse),
    schema: summarize(m.schema),
  };
  const MB = 1024 * 1024;
  const row = summaryRow(
    {
      id,
      section: 'verify',
      what: `verifyDocument, ${(m.bytes / MB).toFixed(2)} MB feed (${m.sellers.toLocaleString('en')} sellers, ${m.products.toLocaleString('en')} products)`,
      engine,
      unit: 'ms',
      note: `parts alone: Ed25519 ${s.subtleVerify.median.toFixed(1)} ms, JSON.parse ${s.jsonParse.median.toFixed(1)} ms, zod schema ${s.schema.median.toFixed(1)} ms${m.ok ? '' : '; VERIFICATION FAILED'}`,
    },
    s.verify,
    { what: 'subtle.verify + JSON.parse', summary: s.floor },
  );
  return {
    rows: [row],
    details: {
      bytes: m.bytes,
      sellers: m.sellers,
      products: m.products,
      ok: m.ok,
      ...Object.fromEntries(Object.entries(s).map(([k, v]) => [k, roundSummary(v)])),
    },
  };
}
