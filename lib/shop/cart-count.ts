// The number of items in the cart, in a cookie of its own that page scripts may read. The `cart`
// cookie stays httpOnly; this one lets the header's badge show the count on prerendered pages,
// which are the same bytes for every shopper. It holds nothing the shopper could gain by editing:
// prices, lines and checkout always come from `cart`, read on the server.
// No catalogue import here: the badge (a client component) ships this module to the browser.

import { cookieIn } from '../web/cookie-string';

export const CART_COUNT_COOKIE = 'cart_count';

/** The count as the cookie holds it; anything but 1–3 digits reads as 0 (an empty cart). */
export function parseCartCount(value: string | undefined): number {
  return value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : 0;
}

/** The count from a Cookie header or document.cookie ("lang=en; cart_count=3"). */
export function cartCountInCookies(cookies: string): number {
  return parseCartCount(cookieIn(cookies, CART_COUNT_COOKIE));
}
