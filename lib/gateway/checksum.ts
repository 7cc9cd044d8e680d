// The callback checksum, symmetric variant (docs/gateway-api.md §8): drop `checksum` and `sign_alias`,
// sort the rest by name, join as `name;value;` and HMAC-SHA256 with the shared key; hex, upper
// case on the wire. Verification accepts either hex case and compares in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

const UNSIGNED = new Set(['checksum', 'sign_alias']);

/** The string the bank signs: `name1;value1;…;nameN;valueN;` over the sorted parameters. */
export function checkString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => !UNSIGNED.has(name))
    .sort()
    .map((name) => `${name};${params[name]};`)
    .join('');
}

/** Upper-case hex HMAC-SHA256, as the bank sends it. */
export function signCallback(params: Readonly<Record<string, string>>, key: string): string {
  return createHmac('sha256', key).update(checkString(params), 'utf8').digest('hex').toUpperCase();
}

/** True only for a present, well-formed checksum that matches; never throws. */
export function verifyCallback(params: Readonly<Record<string, string>>, key: string): boolean {
  const given = params.checksum;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(signCallback(params, key), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}
