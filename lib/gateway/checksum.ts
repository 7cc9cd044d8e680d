// The callback checksum (docs/gateway-api.md §8), both variants the bank offers. Symmetric: drop
// `checksum` and `sign_alias`, sort the rest by name, join as `name;value;` and HMAC-SHA256 with
// the shared key; hex, upper case on the wire. Asymmetric: the same string signed with the bank's
// RSA key, SHA512withRSA (RSASSA-PKCS1-v1_5), hex. Verification accepts either hex case, and the
// symmetric one compares in constant time.
import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, X509Certificate, type KeyObject } from 'node:crypto';

const UNSIGNED = new Set(['checksum', 'sign_alias']);

/** What the shop checks callbacks with: the shared key (symmetric) or the bank's public RSA key. */
export type CallbackSecret = string | KeyObject;

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

/** Upper-case hex SHA512withRSA signature with a private key (PEM): the sandbox signing as the bank. */
export function signCallbackRsa(params: Readonly<Record<string, string>>, privateKeyPem: string): string {
  return sign('sha512', Buffer.from(checkString(params), 'utf8'), createPrivateKey(privateKeyPem))
    .toString('hex')
    .toUpperCase();
}

/** True only for a present, well-formed checksum that matches; never throws. */
export function verifyCallback(params: Readonly<Record<string, string>>, secret: CallbackSecret): boolean {
  const given = params.checksum;
  if (typeof secret !== 'string') return verifyRsa(given, params, secret);
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(signCallback(params, secret), 'hex');
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

function verifyRsa(given: string | undefined, params: Readonly<Record<string, string>>, publicKey: KeyObject): boolean {
  const bytes = (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  // A signature is exactly as long as the key's modulus.
  if (typeof given !== 'string' || given.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(given)) return false;
  try {
    return verify('sha512', Buffer.from(checkString(params), 'utf8'), publicKey, Buffer.from(given, 'hex'));
  } catch {
    return false;
  }
}

/**
 * The bank's RSA public key from PEM: an X.509 certificate or a public key (SPKI or PKCS#1).
 * Throws an Error naming what is wrong.
 */
export function callbackPublicKey(pem: string): KeyObject {
  const key = pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024) throw new Error('expected an RSA key of at least 1024 bits');
  return key;
}
