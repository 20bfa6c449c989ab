import { jsonSchema, SCHEMA_KINDS, type SchemaKind } from '../lib/feed/json-schema';
import { type Command, EXIT_OK, str, UsageError, writeAtomic } from './io';

export const schema: Command = {
  name: 'schema',
  summary: 'print the JSON Schema of a feed, the directory or a report',
  help: `Usage: genuine-feed schema [--kind feed|directory|report] [--out <file>]

Prints the JSON Schema (draft 2020-12) generated from the same definitions the
extension uses, for editors and validators. What JSON Schema cannot express
(GS1 check digits, lifetimes) is checked by lint.

Options:
  --kind <kind>   feed (default), directory or report
  --out <file>    write there instead of standard output`,
  options: { kind: { type: 'string' }, out: { type: 'string' } },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument: ${args.positionals[0]}`);
    const kind = str(args, 'kind') ?? 'feed';
    if (!(SCHEMA_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`--kind is one of ${SCHEMA_KINDS.join(', ')}, not "${kind}"`);
    }
    const text = JSON.stringify(jsonSchema(kind as SchemaKind), null, 2);
    const out = str(args, 'out');
    if (out === undefined) io.out(text);
    else {
      await writeAtomic(io, out, `${text}\n`);
      io.err(`JSON Schema of a ${kind} written to ${out}`);
    }
    return EXIT_OK;
  },
};
