import { describe, expect, it } from 'vitest';
import { assertKopecks, formatAmountInput, formatRub, multiply, parseRubInput, sum } from '@/lib/money';

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

describe('amount fields', () => {
  it('are filled as the page shows amounts, and what they show is read back', () => {
    expect(formatAmountInput(314_700)).toBe(`3${nbsp}147,00`);
    expect(formatAmountInput(314_700, 'en')).toBe('3,147.00');
    for (const lang of ['ru', 'en'] as const) expect(parseRubInput(formatAmountInput(314_700, lang))).toBe(314_700);
    expect(parseRubInput('3 147,00')).toBe(314_700);
    expect(parseRubInput('3\u202f147,5')).toBe(314_750);
    expect(parseRubInput('499.90')).toBe(49_990);
    expect(parseRubInput('500')).toBe(50_000);
    for (const bad of ['', '1,2,3', '12.345', '-5', '1e3', '3 147,001', 'abc']) expect(parseRubInput(bad)).toBeNaN();
  });
});
