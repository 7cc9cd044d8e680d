// The shopper's language lives in the `lang` cookie (set by switchLang in ./actions.ts).
// Russian is the default: anything but an exact 'en' reads as 'ru'.
import 'server-only';
import { cookies } from 'next/headers';
import { texts, type Lang, type Texts } from './texts';

export type { Lang } from './texts';
export const LANG_COOKIE = 'lang';

export function toLang(value: unknown): Lang {
  return value === 'en' ? 'en' : 'ru';
}

export async function getLang(): Promise<Lang> {
  return toLang((await cookies()).get(LANG_COOKIE)?.value);
}

/** The language and its dictionary in one call, as most pages need both. */
export async function getTexts(): Promise<{ lang: Lang; t: Texts }> {
  const lang = await getLang();
  return { lang, t: texts[lang] };
}
