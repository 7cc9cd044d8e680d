// The shopper's language lives in the `lang` cookie (set by switchLang in ./actions.ts). Pages
// under app/[lang] take it from the URL segment the proxy rewrote to (./page-texts.ts); this
// reader is for what runs outside that tree or outside rendering: server actions (the order's
// language at checkout) and the merchant console.
import 'server-only';
import { cookies } from 'next/headers';
import { LANG_COOKIE, toLang, type Lang } from './langs';

export { LANG_COOKIE, toLang, type Lang } from './langs';

export async function getLang(): Promise<Lang> {
  return toLang((await cookies()).get(LANG_COOKIE)?.value);
}
