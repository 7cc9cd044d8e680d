// The console's gate: every page, export and action calls requireMerchant() first.
import 'server-only';
import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { getLang } from '@/app/_i18n/lang';
import { getServices } from '@/app/_server/services';
import { getEnv } from '@/lib/env';
import { SESSION_COOKIE, verifySession } from '@/lib/web/merchant-session';
import { merchantTexts } from './_texts';

/** The console's password; the console does not exist without one (404). */
export function consolePassword(): string {
  const password = getEnv().merchantPassword;
  if (!password) notFound();
  return password;
}

export async function hasSession(): Promise<boolean> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!value) return false;
  return verifySession((await getServices()).db, value, consolePassword(), Date.now());
}

/** Sends anyone without a valid session to the login page; nothing after it runs for them. */
export async function requireMerchant(): Promise<void> {
  if (!(await hasSession())) redirect('/merchant/login');
}

export async function getMerchantTexts() {
  const lang = await getLang();
  return { lang, t: merchantTexts[lang] };
}
