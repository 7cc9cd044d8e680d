import { describe, expect, it } from 'vitest';
import { deliveryPrice, parseDelivery } from '@/lib/shop/delivery';

const empty = { city: '', street: '', house: '', flat: '' };

describe('deliveryPrice', () => {
  it('charges the courier 300 ₽ below 3 000 ₽ of goods, nothing from 3 000 ₽; pickup is free', () => {
    expect(deliveryPrice('courier', 299_999)).toBe(30_000);
    expect(deliveryPrice('courier', 300_000)).toBe(0);
    expect(deliveryPrice('pickup', 10_000)).toBe(0);
  });
});

describe('parseDelivery', () => {
  it('takes anything but "courier" as pickup, with no address', () => {
    expect(parseDelivery('pickup', empty)).toEqual({ ok: true, choice: { method: 'pickup' } });
    expect(parseDelivery('teleport', { ...empty, city: 'x' })).toEqual({ ok: true, choice: { method: 'pickup' } });
  });

  it('asks the courier for city, street and house; the flat is optional', () => {
    expect(parseDelivery('courier', empty)).toEqual({ ok: false, errors: { city: 'required', street: 'required', house: 'required' } });
    expect(parseDelivery('courier', { city: ' Москва ', street: 'Тверская\u202e', house: '7', flat: '' })).toEqual({
      ok: true,
      choice: { method: 'courier', address: { city: 'Москва', street: 'Тверская', house: '7', flat: '' } },
    });
  });

  it('refuses what is too long, and blanks are not an address', () => {
    expect(parseDelivery('courier', { city: 'М'.repeat(61), street: '   ', house: '7', flat: '1'.repeat(21) })).toEqual({
      ok: false,
      errors: { city: 'too-long', street: 'required', flat: 'too-long' },
    });
  });
});
