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

const formatters = {
  ru: new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'RUB' }),
};

/** 1234500 → "12 345,00 ₽" (ru) or "RUB 12,345.00" (en). */
export function formatRub(amount: Kopecks, lang: 'ru' | 'en' = 'ru'): string {
  return formatters[lang].format(amount / 100);
}
