/**
 * Imported first by the harness: zod 4 decides at schema construction whether it may compile
 * parsers with `new Function`, probing once. Evaluated over CDP the probe succeeds, but later
 * parses run outside that evaluation, where the extension's CSP (and, in the content script, the
 * isolated world's) forbids eval. The extension's own code never gets eval either, so turn the
 * JIT off before any schema exists; zod keeps this config on globalThis, shared by every copy.
 */
const g = globalThis as unknown as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig ??= {};
g.__zod_globalConfig.jitless = true;
