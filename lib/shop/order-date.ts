// When an order was placed, as the shopper reads it: the shop's own time zone (Moscow), so the
// list on the page and the one in the e-mail say the same whatever the server's zone.
const formats = {
  ru: new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'long', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', dateStyle: 'long', timeStyle: 'short' }),
};

export function formatOrderDate(at: number, lang: 'ru' | 'en'): string {
  // "2026 г." is one unit: a narrow column must not leave "г." alone at the start of a line.
  return formats[lang].format(new Date(at)).replace(/(\d) г\./, '$1\u00a0г.');
}
