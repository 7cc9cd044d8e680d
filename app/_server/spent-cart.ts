// The cart follows the money: once the order this browser placed (its `checkout` cookie) is paid
// or held, wherever that happened (a return here or in another browser, the order page's poll,
// the bank's callback, the reconciler, the merchant), this browser's cart is emptied on its next
// shopper page and the page says "Order N is paid" (lib/shop/paid-notice.ts). proxy.ts does it
// for pages; the return route and the poll do it in their own answers.
import 'server-only';
import { cookies } from 'next/headers';
import type { Db } from '@/lib/db/database';
import { spentOrder } from '@/lib/payments/orders';
import { PAID_NOTICE_COOKIE, PAID_NOTICE_SECONDS, paidNoticeValue, parsePaidNotice, type PaidNotice } from '@/lib/shop/paid-notice';
import { putCart } from './cart-cookie';
import { CART_SPENT_COOKIE, CHECKOUT_COOKIE, CHECKOUT_COOKIE_OPTIONS } from './checkout-cookie';
import { COOKIE_SECURITY } from './cookie-security';
import { runningDb } from './running-db';

type SentCookies = { get(name: string): { value: string } | undefined };
type Jar = Parameters<typeof putCart>[0];

/**
 * The order this browser placed, if its payment is secured and its cart not yet emptied here.
 * Route handlers pass their services' database; the proxy uses the running one's.
 */
export async function spentCartOf(sent: SentCookies, db?: Db): Promise<PaidNotice | undefined> {
  const orderId = sent.get(CHECKOUT_COOKIE)?.value;
  if (!orderId || sent.get(CART_SPENT_COOKIE)?.value === orderId) return undefined;
  const database = db ?? (await runningDb());
  if (!database) return undefined;
  try {
    const order = await spentOrder(database, orderId);
    return order && { orderId: order.id, number: order.number };
  } catch {
    // A database that does not answer leaves the cart as it is; the next page asks again.
    return undefined;
  }
}

/**
 * Empties the cart for this order, once. The notice is for pages other than the order's own
 * (`shownOrderId`, where the route is about to show the shopper the order itself).
 */
export function forgetSpentCart(
  jar: Jar & { set(name: string, value: string, options: object): unknown },
  spent: PaidNotice,
  shownOrderId?: string,
): void {
  putCart(jar, []);
  jar.set(CART_SPENT_COOKIE, spent.orderId, CHECKOUT_COOKIE_OPTIONS);
  if (spent.orderId === shownOrderId) return;
  jar.set(PAID_NOTICE_COOKIE, paidNoticeValue(spent), {
    sameSite: 'lax',
    path: '/',
    maxAge: PAID_NOTICE_SECONDS,
    httpOnly: false,
    ...COOKIE_SECURITY,
  });
}

/** For route handlers: the same, on their own response, when this browser's order is spent. */
export async function forgetSpentCartIn(
  response: { cookies: Jar & { set(name: string, value: string, options: object): unknown } },
  db: Db,
  shownOrderId?: string,
): Promise<void> {
  const spent = await spentCartOf(await cookies(), db);
  if (spent) forgetSpentCart(response.cookies, spent, shownOrderId);
}

/** The notice as this request carries it (set by the proxy for this very page, or earlier). */
export async function readPaidNotice(): Promise<PaidNotice | undefined> {
  return parsePaidNotice((await cookies()).get(PAID_NOTICE_COOKIE)?.value);
}
