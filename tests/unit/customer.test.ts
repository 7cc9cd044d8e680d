// The checkout form's contact fields and the decline reasons the order page words.
import { describe, expect, it } from 'vitest';
import { normalizePhone, parseCustomer } from '../../lib/shop/customer';
import { declineReasonOf } from '../../lib/payments/decline-reasons';

describe('normalizePhone', () => {
  it.each([
    ['+7 912 345-67-89', '+79123456789'],
    ['8 (912) 345 67 89', '+79123456789'],
    ['79123456789', '+79123456789'],
    ['912.345.67.89', '+79123456789'],
    ['+375 29 123-45-67', '+375291234567'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each(['12345', '+7 912 345', '8912345678901', 'phone', '+0123456789', ''])('%s is refused', (raw) => {
    expect(normalizePhone(raw)).toBeUndefined();
  });
});

describe('parseCustomer', () => {
  it('trims and normalises valid input', () => {
    expect(parseCustomer({ name: '  Анна ', phone: '8 912 345 67 89', email: ' anna@example.ru ' })).toEqual({
      ok: true,
      customer: { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' },
    });
  });

  it('reports one code per field', () => {
    expect(parseCustomer({ name: '   ', phone: '123', email: 'anna@' })).toEqual({
      ok: false,
      errors: { name: 'required', phone: 'invalid', email: 'invalid' },
    });
    expect(parseCustomer({ name: 'x'.repeat(101), phone: '', email: `${'a'.repeat(250)}@example.ru` })).toEqual({
      ok: false,
      errors: { name: 'too-long', phone: 'required', email: 'too-long' },
    });
  });

  it('strips control characters and bidi overrides from every field; NUL never passes', () => {
    const parsed = parseCustomer({
      name: '\u202eАнна\u202c\r\nПетрова\u0000\u0007\u2066x\u2069\u0085\u009b\u200b',
      phone: '+7 912\u0000 345 67 89',
      email: '\u202danna@example.ru\u0000',
    });
    expect(parsed).toEqual({ ok: true, customer: { name: 'Анна Петроваx \u200b', phone: '+79123456789', email: 'anna@example.ru' } });
    if (!parsed.ok) return;
    for (const value of Object.values(parsed.customer)) {
      expect(value).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('a name of nothing but controls is "required"', () => {
    expect(parseCustomer({ name: '\u0000\r\n\u202e', phone: '+79123456789', email: 'a@example.ru' })).toEqual({
      ok: false,
      errors: { name: 'required' },
    });
  });

  it('a missing or non-string field is "required", never a crash', () => {
    expect(parseCustomer({ name: undefined, phone: null, email: 42 })).toEqual({
      ok: false,
      errors: { name: 'required', phone: 'required', email: 'required' },
    });
  });
});

describe('declineReasonOf', () => {
  it.each([
    [116, 'insufficient-funds'],
    [20, 'insufficient-funds'],
    [101, 'card-expired'],
    [121, 'limit-exceeded'],
    [71015, 'wrong-card-data'],
    [-2013, 'too-many-attempts'],
    [-2006, 'authentication-failed'],
    [907, 'bank-unavailable'],
    [5, 'declined'],
    [999, 'declined'],
    [null, 'declined'],
  ] as const)('actionCode %s → %s', (code, reason) => {
    expect(declineReasonOf(code)).toBe(reason);
  });
});
