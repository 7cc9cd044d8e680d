// The shop's languages and how a cookie or URL value maps to one. No dictionary here: the proxy
// and the cart badge (a client component) import this, and must not carry every text with it.

export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];
export const LANG_COOKIE = 'lang';

/** Russian is the default: anything but an exact 'en' reads as 'ru'. */
export function toLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'ru';
}
