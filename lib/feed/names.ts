/** Printable ASCII words separated by single spaces, nothing at either end. */
const PLAIN_WORDS = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** Printable ASCII, no space at all. */
export const PLAIN_TOKEN = /^[\x21-\x7e]*$/;

/**
 * The one way names are compared everywhere (feed-format.md section 3): Unicode NFKC, case
 * folded, whitespace collapsed. "ＡＣＭＥ  Corp" and "acme corp" are the same seller.
 */
export function normalizeName(input: string): string {
  // Most names are printable ASCII with single spaces between words: NFKC leaves those as they
  // are and there is no whitespace to collapse, so lower-casing is the whole rule (and saves two
  // Unicode normalizations per seller on import; test/unit/feed/names.test.ts checks they agree).
  if (PLAIN_WORDS.test(input)) return input.toLowerCase();
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u00df/g, 'ss') // full case folding of the German sharp s
    .normalize('NFKC')
    .replace(/(?:\s|\u200b|\u200c|\u200d|\ufeff)+/g, ' ')
    .trim();
}
