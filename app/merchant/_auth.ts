// The console's gate: every page, export and action finds the signed-in user first; what the user
// may do is decided again in each action (lib/console/console-actions.ts).
import 'server-only';
import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { getLang } from '@/app/_i18n/lang';
import { getServices } from '@/app/_server/services';
import { getEnv } from '@/lib/env';
import { allows, type Permission } from '@/lib/console/roles';
import { findActiveUser, type ConsoleUser } from '@/lib/console/users';
import { SESSION_COOKIE, sessionUserId } from '@/lib/web/merchant-session';
import { merchantTexts } from './_texts';

/** The console's password; the console does not exist without one (404). */
export function consolePassword(): string {
  const password = getEnv().merchantPassword;
  if (!password) notFound();
  return password;
}

/** The user of a live session, else undefined (a disabled user's sessions end with them). */
export async function currentUser(): Promise<ConsoleUser | undefined> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!value) return undefined;
  const { db } = await getServices();
  const userId = await sessionUserId(db, value, consolePassword(), Date.now());
  return typeof userId === 'number' ? findActiveUser(db, userId) : undefined;
}

export async function hasSession(): Promise<boolean> {
  return (await currentUser()) !== undefined;
}

/** Sends anyone without a valid session to the login page; nothing after it runs for them. */
export async function requireMerchant(permission: Permission = 'read'): Promise<ConsoleUser> {
  const user = await currentUser();
  if (!user) redirect('/merchant/login');
  if (!allows(user.role, permission)) redirect('/merchant?refused=forbidden');
  return user;
}

export async function getMerchantTexts() {
  const lang = await getLang();
  return { lang, t: merchantTexts[lang] };
}
