import { main } from './main';

// `npm run feed -- <command>` (tsx cli/feed.ts). The logic is in main.ts so tests can call it.
process.exitCode = await main(process.argv.slice(2));
