// Known-answer vectors of docs/gateway-api.md §8 and the verification rules of docs/reliability.md #4–#6.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { callbackPublicKey, checkString, signCallback, signCallbackRsa, verifyCallback } from '../../lib/gateway/checksum';

const KEY = 'B07BAA3F9C809098ACBB462618A93275';
const base = { mdOrder: '72318777-5zfg-782c-bk02-xxxxxxxx8dx5', operation: 'deposited', orderNumber: 'ZX-987654321', status: '1' };
const SIGNED = '9953C1525622C75275E3D5DF2B2CD38B24541B9E9DE3A687A3856047570E2DAD';
const SIGNED_WITH_AMOUNT = 'CFEE6A9A93B5E7DE21F866EE0912AB12A62EF0346A4E073314B6FA8B1AF24B3A';

describe('callback checksum (HMAC-SHA256, symmetric)', () => {
  it('builds the sorted name;value; string without checksum and sign_alias', () => {
    expect(checkString({ ...base, checksum: 'X', sign_alias: 'alias' })).toBe(
      'mdOrder;72318777-5zfg-782c-bk02-xxxxxxxx8dx5;operation;deposited;orderNumber;ZX-987654321;status;1;',
    );
  });

  it('known-answer vectors', () => {
    expect(signCallback(base, KEY)).toBe(SIGNED);
    expect(signCallback({ ...base, amount: '5' }, KEY)).toBe(SIGNED_WITH_AMOUNT);
  });

  it('verifies upper- and lower-case hex', () => {
    expect(verifyCallback({ ...base, checksum: SIGNED }, KEY)).toBe(true);
    expect(verifyCallback({ ...base, checksum: SIGNED.toLowerCase() }, KEY)).toBe(true);
    expect(verifyCallback({ ...base, amount: '5', checksum: SIGNED_WITH_AMOUNT, sign_alias: 'x' }, KEY)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['truncated', SIGNED.slice(0, 63)],
    ['not hex', `${SIGNED.slice(0, 63)}Z`],
    ['too long', `${SIGNED}00`],
    ['another message', SIGNED_WITH_AMOUNT],
  ])('refuses a %s checksum', (_label, checksum) => {
    const params: Record<string, string> = { ...base };
    if (checksum !== undefined) params.checksum = checksum;
    expect(verifyCallback(params, KEY)).toBe(false);
  });

  it('a one-character change in any parameter or the key fails', () => {
    for (const name of Object.keys(base) as (keyof typeof base)[]) {
      expect(verifyCallback({ ...base, [name]: `${base[name]}x`, checksum: SIGNED }, KEY)).toBe(false);
    }
    expect(verifyCallback({ ...base, checksum: SIGNED }, `${KEY.slice(0, -1)}6`)).toBe(false);
  });

  it('compares with crypto.timingSafeEqual, never === on the secret', () => {
    const source = readFileSync(new URL('../../lib/gateway/checksum.ts', import.meta.url), 'utf8');
    expect(source).toContain('timingSafeEqual(');
    expect(source).not.toMatch(/(given|expected|checksum)\s*===?\s*|===?\s*(given|expected)\b/);
  });
});

describe('callback checksum (SHA512withRSA, asymmetric)', () => {
  const read = (name: string) => readFileSync(new URL(`../fixtures/callback-rsa/${name}`, import.meta.url), 'utf8');
  // Made with OpenSSL from the fixture key (tests/fixtures/callback-rsa/README.md), not with this code.
  const KNOWN = read('signature-deposited.hex').trim();
  const certificate = callbackPublicKey(read('bank-cert.pem'));
  const publicKey = callbackPublicKey(read('bank-public.pem'));

  it('signs the known answer (RSASSA-PKCS1-v1_5 is deterministic)', () => {
    expect(signCallbackRsa(base, read('bank-private.pem'))).toBe(KNOWN);
  });

  it('verifies the known answer with the certificate and with the bare public key, either hex case', () => {
    for (const key of [certificate, publicKey]) {
      expect(verifyCallback({ ...base, checksum: KNOWN }, key)).toBe(true);
      expect(verifyCallback({ ...base, checksum: KNOWN.toLowerCase(), sign_alias: 'bank' }, key)).toBe(true);
    }
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['truncated', KNOWN.slice(0, -2)],
    ['not hex', `${KNOWN.slice(0, -1)}Z`],
    ['flipped', `${KNOWN.slice(0, -1)}${KNOWN.endsWith('0') ? '1' : '0'}`],
    ['an HMAC checksum', SIGNED],
  ])('refuses a %s signature', (_label, checksum) => {
    const params: Record<string, string> = { ...base };
    if (checksum !== undefined) params.checksum = checksum;
    expect(verifyCallback(params, certificate)).toBe(false);
  });

  it('refuses the known signature over other parameters', () => {
    expect(verifyCallback({ ...base, amount: '5', checksum: KNOWN }, certificate)).toBe(false);
  });

  it('reads only RSA keys', () => {
    expect(() => callbackPublicKey('not a key')).toThrow();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => callbackPublicKey(ec)).toThrow(/RSA/);
  });
});
