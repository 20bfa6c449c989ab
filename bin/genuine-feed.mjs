#!/usr/bin/env node
// The `genuine-feed` command (package.json "bin"): the same CLI as `npm run feed --`, run through
// tsx's loader so the TypeScript sources are the only copy.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
