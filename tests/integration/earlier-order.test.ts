// Before a second order for the same goods: checkout asks about this browser's last order. Paid or
// held, or possibly being paid at the bank right now → checkout says so (and registers nothing
// unless the shopper ticks "Buy again"); merely awaiting payment → "Pay" continues that order.
import { beforeAll, expect, it } from 'vitest';
import { earlierOrder, openCheckoutKey, placeOrder } from '../../lib/shop/checkout';
import { latestAttempt } from '../../lib/payments/orders';
import { syncAttempt } from '../../lib/payments/sync';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
let deps: ShopHarness['deps'];
beforeAll(() => void ({ deps } = shop));

const cart = [{ slug: 'honey', quantity: 2 }];
const customer = { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' };

async function order(checkoutKey: string) {
  const placed = await placeOrder(deps, { cart, customer, flow: 'one-stage', language: 'ru', mobile: true, checkoutKey });
  if (!placed.ok) throw new Error(placed.reason);
  return placed;
}

it('awaiting payment: no notice, "Pay" continues the same order', async () => {
  const placed = await order('earlier-awaiting-0123456789');
  expect(await earlierOrder(deps, placed.orderId, cart)).toBeUndefined();
  expect(await openCheckoutKey(deps, placed.orderId, cart)).toBe('earlier-awaiting-0123456789');
});

it('paid: said so, for the same goods only', async () => {
  const placed = await order('earlier-paid-0123456789ab');
  await payWithMirPay(placed.formUrl, 'mir-0047');
  // Nobody synced yet: the bank has the money, the shop does not know; a sync makes it known.
  await syncAttempt(deps, (await latestAttempt(deps.db, placed.orderId))!.id, 'poll');
  expect(await earlierOrder(deps, placed.orderId, cart)).toMatchObject({ orderId: placed.orderId, state: 'paid' });
  expect(await earlierOrder(deps, placed.orderId, [{ slug: 'honey', quantity: 3 }])).toBeUndefined();
});

it.each(['registering', 'unknown'] as const)('%s at the bank (the payment may be under way): said so as "processing"', async (state) => {
  const placed = await order(`earlier-${state}-0123456789`);
  const attempt = (await latestAttempt(deps.db, placed.orderId))!;
  // The state a register.do still in flight, or a status the shop could not read, leaves behind.
  await deps.db.updateTable('payment_attempts').set({ state }).where('id', '=', attempt.id).execute();
  expect(await earlierOrder(deps, placed.orderId, cart)).toMatchObject({ orderId: placed.orderId, state: 'processing' });
  expect(await openCheckoutKey(deps, placed.orderId, cart)).toBeUndefined();
});
