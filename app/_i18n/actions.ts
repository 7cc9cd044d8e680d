'use server';
// Switching language is a plain <form> posting to this action, so it works without JavaScript.
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formOf } from '@/app/_server/action-form';
import { COOKIE_SECURITY } from '@/app/_server/cookie-security';
import { LANG_COOKIE } from './lang';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const langSchema = z.enum(['ru', 'en']);

export async function switchLang(formData: FormData): Promise<void> {
  const lang = langSchema.safeParse(formOf(formData).get('lang'));
  if (lang.success) {
    (await cookies()).set(LANG_COOKIE, lang.data, { sameSite: 'lax', path: '/', maxAge: ONE_YEAR_SECONDS, ...COOKIE_SECURITY });
  }
  // The header sits in a layout, which cannot know the current path; the browser's same-origin
  // Referer does (Next's default policy sends the full URL to the same origin). It is the public
  // path (/products/mug): going back there passes the proxy again, which now picks the other
  // language's prerendered page by the new cookie.
  redirect(backPath((await headers()).get('referer')));
}

/** The path and query of the referring page; '/' if there is none or it could leave this site. */
function backPath(referer: string | null): string {
  if (!referer) return '/';
  try {
    const { pathname, search } = new URL(referer);
    // "//host" or "/\host" would be read by browsers as another origin: never redirect there.
    return /^\/[/\\]/.test(pathname) ? '/' : `${pathname}${search}`;
  } catch {
    return '/';
  }
}
