import { describe, expect, it } from 'vitest';
import { maskPan, maskSecrets, passesLuhn } from '../../lib/gateway/mask';

describe('passesLuhn', () => {
  it('accepts known test cards and rejects a changed digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('2201382000000047')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('maskPan', () => {
  it('keeps first 6 and last 4 digits of a Luhn-valid 16-digit number', () => {
    expect(maskPan('4111111111111111')).toBe('411111******1111');
    expect(maskPan('2201382000000047')).toBe('220138******0047');
  });

  it('masks numbers grouped by spaces or dashes, inside text', () => {
    expect(maskPan('4111 1111 1111 1111')).toBe('411111******1111');
    expect(maskPan('4111-1111-1111-1111')).toBe('411111******1111');
    expect(maskPan('card 4111 1111 1111 1111 declined')).toBe('card 411111******1111 declined');
    expect(maskPan('pan=4111111111111111&x=1')).toBe('pan=411111******1111&x=1');
  });

  it('masks several numbers in one string', () => {
    expect(maskPan('4111111111111111 / 2201382000000047')).toBe('411111******1111 / 220138******0047');
  });

  it('leaves 13-digit millisecond timestamps alone when they are not Luhn-valid', () => {
    for (const ts of ['1709726426044', '1587020974315', '1558694938873', '1587021008713']) {
      expect(passesLuhn(ts)).toBe(false);
      expect(maskPan(ts)).toBe(ts);
      expect(maskPan(`date=${ts}`)).toBe(`date=${ts}`);
    }
  });

  it('a Luhn-valid 13-digit timestamp string is masked (by design); as a JSON number it is kept', () => {
    // 1567576474073 is the `date` of the §3.5 (d) example and happens to pass Luhn.
    expect(passesLuhn('1567576474073')).toBe(true);
    expect(maskPan('1567576474073')).toBe('156757***4073');
    expect(maskSecrets({ date: 1567576474073 })).toEqual({ date: 1567576474073 });
  });

  it('leaves Luhn-invalid card-length numbers, short numbers and already masked PANs alone', () => {
    expect(maskPan('4111111111111112')).toBe('4111111111111112');
    expect(maskPan('088417256908')).toBe('088417256908');
    expect(maskPan('411111**1111')).toBe('411111**1111');
    expect(maskPan('66c0640d-c88c-76e6-9dfa-c4ff5e34c9d9')).toBe('66c0640d-c88c-76e6-9dfa-c4ff5e34c9d9');
  });

  it('masks a PAN followed by another short digit group (e.g. CVC)', () => {
    expect(maskPan('4111 1111 1111 1111 123')).not.toContain('4111 1111 1111 1111');
  });
});

describe('maskSecrets', () => {
  it('replaces password, token, checksum and userName keys in any case, deeply', () => {
    const input = {
      userName: 'shop-api',
      PASSWORD: 'p@ss',
      Token: 'tok',
      nested: {
        checksum: 'ABCDEF',
        USERNAME: 'x',
        list: [{ password: 'p2', amount: 100 }, { Checksum: { deep: 'object value' } }],
      },
      orderNumber: '42-1',
    };
    expect(maskSecrets(input)).toEqual({
      userName: '***',
      PASSWORD: '***',
      Token: '***',
      nested: {
        checksum: '***',
        USERNAME: '***',
        list: [{ password: '***', amount: 100 }, { Checksum: '***' }],
      },
      orderNumber: '42-1',
    });
  });

  it('also masks card numbers in string values and keeps other types', () => {
    const masked = maskSecrets({
      cardAuthInfo: { pan: '4111111111111111', expiration: '202412' },
      note: ['paid by 4111 1111 1111 1111'],
      date: 1709726426044,
      chargeback: false,
      missing: null,
    });
    expect(masked).toEqual({
      cardAuthInfo: { pan: '411111******1111', expiration: '202412' },
      note: ['paid by 411111******1111'],
      date: 1709726426044,
      chargeback: false,
      missing: null,
    });
  });

  it('returns a copy and does not mutate its input', () => {
    const input = { password: 'secret', nested: { token: 't' } };
    const masked = maskSecrets(input);
    expect(input).toEqual({ password: 'secret', nested: { token: 't' } });
    expect(masked).not.toBe(input);
  });

  it('passes primitives through (strings PAN-masked)', () => {
    expect(maskSecrets(5)).toBe(5);
    expect(maskSecrets(undefined)).toBeUndefined();
    expect(maskSecrets('4111111111111111')).toBe('411111******1111');
  });
});
