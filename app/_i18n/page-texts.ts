// The language of a page under app/[lang], and its dictionary. It comes from the URL segment, not
// from the cookie: proxy.ts rewrites /products/mug to /ru/products/mug (or /en/…) by the `lang`
// cookie, so each language is one prerendered page and rendering reads no request data.
// next/root-params also reaches not-found.tsx files, which get no params.
import { lang as langParam } from 'next/root-params';
import { toLang, type Lang } from './langs';
import { texts, type Texts } from './texts';

/** The language and its dictionary in one call, as most pages need both. */
export async function getTexts(): Promise<{ lang: Lang; t: Texts }> {
  const lang = toLang(await langParam());
  return { lang, t: texts[lang] };
}
