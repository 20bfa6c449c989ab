/**
 * GS1 identifiers. Every GTIN-8/12/13/14 (and ISBN-13) is stored as 14 digits, left-padded with
 * zeros, after the check digit is verified: "614141000012" and "00614141000012" are one product.
 */
export function gtinCheckDigitOk(digits14: string): boolean {
  if (!/^\d{14}$/.test(digits14)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) {
    const d = digits14.charCodeAt(i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  const check = (10 - (sum % 10)) % 10;
  return check === digits14.charCodeAt(13) - 48;
}

/** Returns the 14-digit form, or null when the input is not a valid GTIN. */
export function normalizeGtin(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{8}$|^\d{12,14}$/.test(digits)) return null;
  const padded = digits.padStart(14, '0');
  return gtinCheckDigitOk(padded) ? padded : null;
}
