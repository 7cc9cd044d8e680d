// Dates in Moscow time (the bank's and, by default, the merchant's), and the start of today there.
const formats = {
  ru: new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'medium' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'medium' }),
};

export function formatMoment(ms: number, lang: 'ru' | 'en'): string {
  return formats[lang].format(new Date(ms));
}

const MOSCOW_OFFSET_MS = 3 * 3600_000; // UTC+3 all year since 2014
const DAY_MS = 24 * 3600_000;

export function moscowDayStart(now: number): number {
  return Math.floor((now + MOSCOW_OFFSET_MS) / DAY_MS) * DAY_MS - MOSCOW_OFFSET_MS;
}
