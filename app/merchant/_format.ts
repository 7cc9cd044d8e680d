// Dates in Moscow time (the bank's and, by default, the merchant's), and the start of today there.
const formats = {
  ru: new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'medium' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'medium' }),
};

export function formatMoment(ms: number, lang: 'ru' | 'en'): string {
  return formats[lang].format(new Date(ms));
}

const dayFormats = {
  ru: new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};

/** A duration in days with one decimal, written as the language writes numbers: "4,5" (ru), "4.5" (en). */
export function formatDays(ms: number, lang: 'ru' | 'en'): string {
  return dayFormats[lang].format(Math.floor(ms / 8_640_000) / 10);
}

const MOSCOW_OFFSET_MS = 3 * 3600_000; // UTC+3 all year since 2014
const DAY_MS = 24 * 3600_000;

export function moscowDayStart(now: number): number {
  return Math.floor((now + MOSCOW_OFFSET_MS) / DAY_MS) * DAY_MS - MOSCOW_OFFSET_MS;
}

/** A YYYY-MM-DD from a form or URL, else undefined (anything else is ignored, not guessed at). */
export function isoDate(value: string | null | undefined): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined;
}

/** Moscow days from `from` to `to`, both included, as [from, to) in milliseconds. */
export function moscowRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const start = (day: string) => Date.parse(`${day}T00:00:00+03:00`);
  return { from: from ? start(from) : undefined, to: to ? start(to) + DAY_MS : undefined };
}

/** The Moscow date of a moment as DD.MM. */
export function moscowShortDate(ms: number): string {
  const date = new Date(ms + MOSCOW_OFFSET_MS);
  return `${String(date.getUTCDate()).padStart(2, '0')}.${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
