// Money is integer kopecks end to end; formatting is the only place it becomes roubles.
export type Kopecks = number;

export function assertKopecks(value: number): Kopecks {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an amount in kopecks: ${value}`);
  return value;
}

export function multiply(price: Kopecks, quantity: number): Kopecks {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`not a quantity: ${quantity}`);
  return assertKopecks(price * quantity);
}

export function sum(amounts: readonly Kopecks[]): Kopecks {
  return assertKopecks(amounts.reduce((total, amount) => total + amount, 0));
}

// Russian shops show whole roubles without ",00"; kopecks appear only when there are any.
const wholeOptions = { style: 'currency', currency: 'RUB', minimumFractionDigits: 0, maximumFractionDigits: 0 } as const;
const exactOptions = { style: 'currency', currency: 'RUB', minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;
const formatters = {
  ru: { whole: new Intl.NumberFormat('ru-RU', wholeOptions), exact: new Intl.NumberFormat('ru-RU', exactOptions) },
  en: { whole: new Intl.NumberFormat('en-GB', wholeOptions), exact: new Intl.NumberFormat('en-GB', exactOptions) },
};

/** 1234500 → "12 345 ₽" (ru) or "RUB 12,345" (en); 1234567 → "12 345,67 ₽". Spaces are no-break. */
export function formatRub(amount: Kopecks, lang: 'ru' | 'en' = 'ru'): string {
  const formatter = formatters[lang];
  return amount % 100 === 0 ? formatter.whole.format(amount / 100) : formatter.exact.format(amount / 100);
}

const inputFormatters = {
  ru: new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};

/** An amount field's value, written as the page shows amounts: 314700 → "3 147,00" (ru), "3,147.00" (en). */
export function formatAmountInput(amount: Kopecks, lang: 'ru' | 'en' = 'ru'): string {
  return inputFormatters[lang].format(amount / 100);
}

/**
 * What a merchant types as roubles → kopecks: "500", "499,90", "3 147,00" (any space), "3,147.00";
 * anything else → NaN (refused as an invalid amount). With both a comma and a dot, the comma groups
 * thousands (the English way); with a comma alone, it is the decimal sign (the Russian way).
 */
export function parseRubInput(value: string): number {
  const compact = value.replace(/[\s\u00a0\u202f]/g, '');
  const text = compact.includes('.') ? compact.replace(/,(?=\d{3}(\D|$))/g, '') : compact.replace(',', '.');
  return /^\d{1,9}(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
}
