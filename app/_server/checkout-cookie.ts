// The `checkout` cookie remembers this browser's open order, so a checkout page rendered again
// (back from the bank, a reload) offers the same order instead of a second one, and checkout can
// say "already paid" before a second order for the same goods. `cart_spent` names the order whose
// payment has already emptied this browser's cart (./spent-cart.ts), so that it happens once.
import 'server-only';
import { cookies } from 'next/headers';
import { COOKIE_SECURITY } from './cookie-security';

export const CHECKOUT_COOKIE = 'checkout';
export const CART_SPENT_COOKIE = 'cart_spent';
/**
 * What a "Pay" that went wrong sends back to the form when the browser returns to /checkout
 * (app/[lang]/(per-request)/checkout/form-cookie.ts). proxy.ts deletes it as it passes it on to
 * the page in a request header of its own, so that it is shown once.
 */
export const CHECKOUT_FORM_COOKIE = 'checkout_form';
export const CHECKOUT_FORM_HEADER = 'x-checkout-form';
export const CHECKOUT_FORM_COOKIE_OPTIONS = {
  sameSite: 'lax',
  path: '/checkout',
  maxAge: 10 * 60,
  httpOnly: true,
  ...COOKIE_SECURITY,
} as const;
export const CHECKOUT_COOKIE_OPTIONS = { sameSite: 'lax', path: '/', maxAge: 24 * 60 * 60, httpOnly: true, ...COOKIE_SECURITY } as const;

export async function readCheckoutOrder(): Promise<string | undefined> {
  return (await cookies()).get(CHECKOUT_COOKIE)?.value;
}

export async function writeCheckoutOrder(orderId: string): Promise<void> {
  (await cookies()).set(CHECKOUT_COOKIE, orderId, CHECKOUT_COOKIE_OPTIONS);
}
