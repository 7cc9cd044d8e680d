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
