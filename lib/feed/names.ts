/**
 * The one way names are compared everywhere (feed-format.md section 3): Unicode NFKC, case
 * folded, whitespace collapsed. "ＡＣＭＥ  Corp" and "acme corp" are the same seller.
 */
export function normalizeName(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u00df/g, 'ss') // full case folding of the German sharp s
    .normalize('NFKC')
    .replace(/(?:\s|\u200b|\u200c|\u200d|\ufeff)+/g, ' ')
    .trim();
}
