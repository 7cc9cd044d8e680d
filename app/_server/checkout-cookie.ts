// The `checkout` cookie remembers this browser's open order, so a checkout page rendered again
// (back from the bank, a reload) offers the same order instead of a second one.
import 'server-only';
import { cookies } from 'next/headers';
import { COOKIE_SECURITY } from './cookie-security';

const CHECKOUT_COOKIE = 'checkout';
const ONE_DAY_SECONDS = 24 * 60 * 60;

export async function readCheckoutOrder(): Promise<string | undefined> {
  return (await cookies()).get(CHECKOUT_COOKIE)?.value;
}

export async function writeCheckoutOrder(orderId: string): Promise<void> {
  (await cookies()).set(CHECKOUT_COOKIE, orderId, { sameSite: 'lax', path: '/', maxAge: ONE_DAY_SECONDS, httpOnly: true, ...COOKIE_SECURITY });
}
