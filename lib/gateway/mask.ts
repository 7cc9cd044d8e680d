// Masking for everything that leaves the process (logs, the database's call records):
// credentials, checksums and card numbers never appear in clear (docs/reliability.md §4, ASVS 16.2.5).

const SECRET_KEYS = new Set(['password', 'token', 'checksum', 'username', 'cvc', 'cvv', 'cvv2', 'sign_alias']);

/** 13 or more digits, optionally grouped by spaces or dashes: anything that could hold a card number. */
const PAN_LIKE = /\b\d(?:[ -]?\d){12,}\b/g;

/** Keeps the first 6 and last 4 digits of Luhn-valid numbers, as the bank's own maskedPan does. */
export function maskPan(text: string): string {
  return text.replace(PAN_LIKE, (match) => {
    const digits = match.replace(/\D/g, '');
    // A card number may be followed by more digits (a CVC, an expiry): any Luhn-valid prefix of
    // card-number length is enough to mask the whole run.
    const lengths = [13, 14, 15, 16, 17, 18, 19].filter((n) => n <= digits.length);
    if (!lengths.some((n) => passesLuhn(digits.slice(0, n)))) return match;
    return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
  });
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A deep copy with secrets replaced by "***" and card-number-like strings masked. */
export function maskSecrets(value: unknown): unknown {
  if (typeof value === 'string') return maskPan(value);
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.has(key.toLowerCase()) ? '***' : maskSecrets(inner)]),
    );
  }
  return value;
}
