// Reading and writing the cart's cookies: the Next.js side of lib/shop/cart.ts, which stays
// framework-free. Shared by the cart pages, the header badge, checkout, the return route and the
// proxy.
//
// Two cookies, written together: `cart` (slugs and quantities, httpOnly: no script needs it) and
// `cart_count` (the item count, readable by scripts): the catalogue and product pages are
// prerendered, the same bytes for everyone, so their cart badge reads the count in the browser.
import 'server-only';
import { cookies } from 'next/headers';
import { CART_COOKIE, parseCart, priceCart, serializeCart, type CartEntry } from '@/lib/shop/cart';
import { CART_COUNT_COOKIE } from '@/lib/shop/cart-count';
import { COOKIE_SECURITY } from './cookie-security';

const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
// `secure` when APP_URL is https; the demo is reached over plain http on a LAN too.
const OPTIONS = { sameSite: 'lax', path: '/', maxAge: THIRTY_DAYS_SECONDS, ...COOKIE_SECURITY } as const;

/** What `cookies()` in an action and a NextResponse's `cookies` have in common. */
type CookieJar = {
  set(name: string, value: string, options: { sameSite: 'lax'; path: string; maxAge: number; secure: boolean; httpOnly: boolean }): unknown;
  delete(name: string): unknown;
};

/** The cart as the browser sent it, parsed tolerantly (never throws on a tampered cookie). */
export async function readCart(): Promise<CartEntry[]> {
  return parseCart((await cookies()).get(CART_COOKIE)?.value);
}

/** Only in a server action or route handler: cookies cannot be set while a page renders. */
export async function writeCart(entries: readonly CartEntry[]): Promise<void> {
  putCart(await cookies(), entries);
}

/** Sets both cookies for these entries on a jar, or deletes both for an empty cart. */
export function putCart(jar: CookieJar, entries: readonly CartEntry[]): void {
  const value = serializeCart(entries);
  if (!value) {
    jar.delete(CART_COOKIE);
    jar.delete(CART_COUNT_COOKIE);
    return;
  }
  jar.set(CART_COOKIE, value, { ...OPTIONS, httpOnly: true });
  jar.set(CART_COUNT_COOKIE, String(countOf(value)), { ...OPTIONS, httpOnly: false });
}

/**
 * For the proxy, on page requests: mends `cart_count` when it disagrees with `cart` (a cart from
 * before the count cookie existed, or either cookie edited by hand), so the badge shows what the
 * cart page will. Nothing is set when they agree, which is every request after the first.
 */
export function mendCartCount(sent: { get(name: string): { value: string } | undefined }, jar: CookieJar): void {
  const cart = sent.get(CART_COOKIE)?.value;
  const count = countOf(cart);
  const shown = sent.get(CART_COUNT_COOKIE)?.value;
  if (count === 0 && shown !== undefined) jar.delete(CART_COUNT_COOKIE);
  else if (count > 0 && shown !== String(count)) jar.set(CART_COUNT_COOKIE, String(count), { ...OPTIONS, httpOnly: false });
}

/** The count as the server will read the cart: what the cart page and checkout will show. */
function countOf(cart: string | undefined): number {
  return priceCart(parseCart(cart)).count;
}
