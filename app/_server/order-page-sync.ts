// The order page's one sync with the bank per request, shared by its metadata and its body (React
// cache). The bank's returnUrl is the order page itself (lib/payments/register.ts): coming back
// from the bank, with the gateway's `orderId` appended, the request is the shopper's return (one
// status read of that attempt; a two-stage hold's deposit after the answer), so the shopper's
// phone makes one request where a return route and its redirect took two round trips. Any other
// load polls at a bounded rate. The page's frame needs no bank call (`recordedOrder`): it is sent
// while the bank is read, so the phone loads it meanwhile (see the page).
import 'server-only';
import { cookies } from 'next/headers';
import { after } from 'next/server';
import { cache } from 'react';
import { handleReturn, POLL_SYNC_INTERVAL_MS, syncIfStale } from '@/lib/payments/shopper-sync';
import type { CaptureMode } from '@/lib/payments/settings';
import { orderView, type OrderView } from '@/lib/shop/order-view';
import { getServices } from './services';
import { spentCartOf } from './spent-cart';

export type OrderPage = {
  view: OrderView;
  /**
   * This request secured the payment of the order this browser placed: its cart is to be emptied.
   * A page cannot set cookies; its script asks /api/orders/<id>, which does (without JavaScript,
   * the proxy does on the next page, as it does wherever the money was secured).
   */
  cartSpent: boolean;
};

/** `gatewayIds`: the `orderId` query values, JSON-encoded (a cache key must be a string). */
const orderPageOnce = cache(async (id: string, gatewayIds: string): Promise<OrderPage | undefined> => {
  const services = await getServices();
  const ids = JSON.parse(gatewayIds) as string[];
  let returned = false;
  let known: { captureMode?: CaptureMode } = {};
  if (ids.length > 0) {
    const params = new URLSearchParams({ order: id });
    for (const gatewayId of ids) params.append('orderId', gatewayId);
    const outcome = await handleReturn(services.shop, params);
    // An orderId that is not this order's (or two different ones) is no return: the page shows
    // the order as any load does, trusting nothing in the address.
    returned = outcome.kind === 'synced';
    if (outcome.kind === 'synced') {
      if (outcome.afterResponse) after(outcome.afterResponse);
      known = { captureMode: outcome.captureMode };
    }
  }
  if (!returned) await syncIfStale(services.shop, id, POLL_SYNC_INTERVAL_MS);
  const view = await orderView(services.db, id, known);
  if (!view) return undefined;
  const cartSpent = returned && (await spentCartOf(await cookies(), services.db))?.orderId === id;
  return { view, cartSpent };
});

/** The order as last recorded, without asking the bank: what the page's frame shows. */
export const recordedOrder = cache(async (id: string): Promise<OrderView | undefined> => orderView((await getServices()).db, id));

export function orderPage(id: string, query: { orderId?: string | string[] }): Promise<OrderPage | undefined> {
  const ids = query.orderId === undefined ? [] : ([] as string[]).concat(query.orderId);
  return orderPageOnce(id, JSON.stringify(ids));
}
