import { fromCsv } from './from-csv';
import {
  CheckError,
  type Command,
  defaultIo,
  EXIT_CHECK,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  parse,
  UsageError,
} from './io';
import { keygen } from './keygen';
import { lint } from './lint';
import { schema } from './schema';
import { sign } from './sign';
import { verify } from './verify';

/**
 * genuine-feed: the brands' tool for publishing signed feeds (and the project's for signing the
 * directory). `npm run feed -- <command>` and the `genuine-feed` bin both land here.
 */

export const COMMANDS: readonly Command[] = [keygen, fromCsv, lint, sign, verify, schema];

const HELP = `Usage: genuine-feed <command> [options]      (or: npm run feed -- <command> [options])

Publish a signed Genuine feed: who may sell your products, at what prices.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Typical use:
  genuine-feed keygen --out keys --keyid acme-2026a
  genuine-feed from-csv sellers.csv --complete --into feed.json
  genuine-feed lint feed.json
  genuine-feed sign feed.json --key keys/acme-2026a.key --bump --out genuine-feed.json
  genuine-feed verify genuine-feed.json --key keys/acme-2026a.pub

Run "genuine-feed <command> --help" for a command's options.
Exit status: 0 ok, 1 a check failed, 2 usage error.`;

/** Runs one command line; returns the exit status instead of exiting (tests call it directly). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? topic.help : HELP);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`genuine-feed: unknown command "${name}"\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    const args = parse(rest, command.options);
    if (args.values.help === true) {
      io.out(command.help);
      return EXIT_OK;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`genuine-feed ${command.name}: ${error.message}`);
      io.err(`Run "genuine-feed ${command.name} --help" for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof CheckError) {
      io.err(`genuine-feed ${command.name}: ${error.message}`);
      return EXIT_CHECK;
    }
    io.err(
      `genuine-feed ${command.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT_CHECK;
  }
}
