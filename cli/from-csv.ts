import { channelsFromCsv, mergeChannels, parseCsv } from './csv';
import {
  CheckError,
  type Command,
  EXIT_CHECK,
  EXIT_OK,
  flag,
  onePositional,
  readJson,
  readText,
  str,
  writeAtomic,
} from './io';

export const fromCsv: Command = {
  name: 'from-csv',
  summary: 'build channels from a spreadsheet of authorized sellers',
  help: `Usage: genuine-feed from-csv <sellers.csv> [--complete] [--out <file>] [--into <feed.json>]

Reads a spreadsheet export (CSV with a header row; comma, semicolon or tab;
quoted fields; UTF-8 with or without BOM) with one authorized seller per row:

  marketplace   amazon, ebay, walmart, ... or web (also "Amazon.com", "Mercado Libre")
  site          marketplace sites: amazon.com, "amazon.com amazon.ca", * or empty for all
  seller id     the marketplace's seller id (Amazon merchant id, eBay user name, ...)
  seller name   the seller's display name (used when the page shows no id)
  domain        for web shops: the shop's domain
  relation      optional: brand, distributor, retailer
  until         optional: date the authorization ends, e.g. 2026-12-31

Header names are flexible ("Seller ID", "seller_id", "Merchant ID", "Store name").
Rows with the same marketplace and the same sites become one channel.

Options:
  --complete       the lists are complete: any seller not listed is NOT authorized
                   (default: a sample; unlisted sellers are only "not verified")
  --out <file>     write there; default: standard output (or back into --into)
  --into <feed>    merge into this feed document: channels with the same marketplace
                   and sites are replaced, others kept; written to --out or back to <feed>
Exit status: 0 written, 1 problems in the CSV (nothing written), 2 usage.`,
  options: { complete: { type: 'boolean' }, out: { type: 'string' }, into: { type: 'string' } },
  async run(args, io) {
    const file = onePositional(args, 'CSV file');
    const text = await readText(io, file);
    let parsed: ReturnType<typeof parseCsv>;
    try {
      parsed = parseCsv(text);
    } catch (error) {
      throw new CheckError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const result = channelsFromCsv(parsed.records, { complete: flag(args, 'complete'), file });
    for (const w of result.warnings) io.err(`warning: ${w}`);
    for (const e of result.errors) io.err(e);
    if (result.errors.length > 0) {
      io.err(`${file}: ${result.errors.length} problem(s); nothing written`);
      return EXIT_CHECK;
    }

    const into = str(args, 'into');
    const out = str(args, 'out');
    let output: string;
    let summary = `${result.channels.length} channel(s), ${result.sellers} seller(s) from ${result.rows} row(s)`;
    if (into !== undefined) {
      const { json } = await readJson(io, into);
      if (json === null || typeof json !== 'object' || Array.isArray(json))
        throw new CheckError(`${into}: expected a feed document (a JSON object)`);
      const feed = json as Record<string, unknown>;
      const merged = mergeChannels(feed.channels, result.channels);
      output = JSON.stringify({ ...feed, channels: merged.channels }, null, 2);
      summary += `; ${merged.replaced} replaced, ${merged.added} added in ${into}`;
    } else {
      output = JSON.stringify(result.channels, null, 2);
    }
    const target = out ?? into;
    if (target !== undefined) {
      await writeAtomic(io, target, `${output}\n`);
      io.err(`${summary}; written to ${target}`);
    } else {
      io.out(output);
      io.err(summary);
    }
    return EXIT_OK;
  },
};
