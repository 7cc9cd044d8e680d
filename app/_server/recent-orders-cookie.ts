// The `orders` cookie: the orders this browser placed, newest first, for the "My orders" page.
// Signed (lib/shop/recent-orders.ts) with a key the shop generates at its first start and keeps in
// its database, so every instance and restart reads the same lists and no setting is needed; an
// edited list reads as empty. Long-lived: it is the shopper's only way back to an order without
// the e-mail.
import 'server-only';
import { cookies } from 'next/headers';
import { parseRecentOrders, signRecentOrders, withRecentOrder } from '@/lib/shop/recent-orders';
import { COOKIE_SECURITY } from './cookie-security';
import { getServices } from './services';

export const RECENT_ORDERS_COOKIE = 'orders';
const RECENT_ORDERS_COOKIE_OPTIONS = {
  sameSite: 'lax',
  path: '/',
  maxAge: 365 * 24 * 60 * 60,
  httpOnly: true,
  ...COOKIE_SECURITY,
} as const;

export async function readRecentOrders(): Promise<string[]> {
  const { recentOrdersKey } = await getServices();
  return parseRecentOrders((await cookies()).get(RECENT_ORDERS_COOKIE)?.value, recentOrdersKey);
}

/** Puts the order first in this browser's list (only from a server action, where cookies can be set). */
export async function rememberRecentOrder(orderId: string): Promise<void> {
  const { recentOrdersKey } = await getServices();
  const ids = withRecentOrder(await readRecentOrders(), orderId);
  (await cookies()).set(RECENT_ORDERS_COOKIE, signRecentOrders(ids, recentOrdersKey), RECENT_ORDERS_COOKIE_OPTIONS);
}
