import { describe, expect, it } from 'vitest';
import { assertKopecks, formatRub, multiply, sum } from '@/lib/money';

// Intl puts no-break spaces (U+00A0) between digit groups and before the rouble sign.
const nbsp = '\u00a0';

describe('formatRub', () => {
  it('formats whole roubles without kopecks, in Russian by default', () => {
    expect(formatRub(1_234_500)).toBe(`12${nbsp}345${nbsp}₽`);
    expect(formatRub(149_000, 'ru')).toBe(`1${nbsp}490${nbsp}₽`);
    expect(formatRub(89_000, 'ru')).toBe(`890${nbsp}₽`);
  });

  it('formats in English on request', () => {
    expect(formatRub(1_234_500, 'en')).toBe(`RUB${nbsp}12,345`);
    expect(formatRub(21_950, 'en')).toBe(`RUB${nbsp}219.50`);
  });

  it('keeps kopecks exact: no float drift at the edges', () => {
    expect(formatRub(0)).toBe(`0${nbsp}₽`);
    expect(formatRub(1)).toBe(`0,01${nbsp}₽`);
    expect(formatRub(149_010)).toBe(`1${nbsp}490,10${nbsp}₽`);
    expect(formatRub(199_999, 'en')).toBe(`RUB${nbsp}1,999.99`);
    expect(formatRub(123_456_789)).toBe(`1${nbsp}234${nbsp}567,89${nbsp}₽`);
  });
});

describe('arithmetic in kopecks', () => {
  it('multiplies a price by a quantity', () => {
    expect(multiply(54_900, 3)).toBe(164_700);
    expect(multiply(54_900, 0)).toBe(0);
  });

  it('sums amounts', () => {
    expect(sum([])).toBe(0);
    expect(sum([89_000, 54_900, 21_900])).toBe(165_800);
  });

  it('refuses what is not an amount or a quantity', () => {
    expect(() => assertKopecks(10.5)).toThrow(RangeError);
    expect(() => assertKopecks(-1)).toThrow(RangeError);
    expect(() => assertKopecks(Number.NaN)).toThrow(RangeError);
    expect(() => multiply(100, 1.5)).toThrow(RangeError);
    expect(() => multiply(100, -2)).toThrow(RangeError);
    expect(() => multiply(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
});
