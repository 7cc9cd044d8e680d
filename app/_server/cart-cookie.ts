// Reading and writing the `cart` cookie: the Next.js side of lib/shop/cart.ts, which stays
// framework-free. Shared by the cart pages, the header badge and checkout.
import 'server-only';
import { cookies } from 'next/headers';
import { CART_COOKIE, parseCart, serializeCart, type CartEntry } from '@/lib/shop/cart';

const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;

/** The cart as the browser sent it, parsed tolerantly (never throws on a tampered cookie). */
export async function readCart(): Promise<CartEntry[]> {
  return parseCart((await cookies()).get(CART_COOKIE)?.value);
}

/** Only in a server action or route handler: cookies cannot be set while a page renders. */
export async function writeCart(entries: readonly CartEntry[]): Promise<void> {
  const store = await cookies();
  const value = serializeCart(entries);
  if (!value) {
    store.delete(CART_COOKIE);
    return;
  }
  // httpOnly: the badge is rendered on the server (see app/_components/header.tsx), so no
  // script needs the cookie. Not `secure`: the demo is reached over plain http on a LAN too.
  store.set(CART_COOKIE, value, { sameSite: 'lax', path: '/', maxAge: THIRTY_DAYS_SECONDS, httpOnly: true });
}
