// A shopper's return that arrives while another sync of the same payment is under way (the order
// page's poll, a callback, the reconciler) must answer with the state the bank has now, never the
// row as it was before, or the return route keeps a paid cart.
import { beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { spentOrder } from '../../lib/payments/orders';
import { isSecured } from '../../lib/payments/states';
import { handleReturn, POLL_SYNC_INTERVAL_MS, syncIfStale } from '../../lib/payments/shopper-sync';
import { payWithMirPay } from '../helpers/phone';
import { returnAsTheRouteDoes } from '../helpers/return-route';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
let deps: ShopHarness['deps'];
beforeAll(() => void ({ deps } = shop));

describe.each(['one-stage', 'two-stage'] as const)('%s', (flow: PaymentFlow) => {
  it('a return during the poll’s sync answers with the money secured, and the money moves once', async () => {
    const customer = { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' };
    const placed = await placeOrder(deps, { cart: [{ slug: 'honey', quantity: 1 }], customer, flow, language: 'ru', mobile: true });
    if (!placed.ok) throw new Error(placed.reason);
    const back = await payWithMirPay(placed.formUrl, 'mir-0047');
    // The poll claims its sync first; the return arrives while it runs and reads the bank too.
    const poll = syncIfStale(deps, placed.orderId, POLL_SYNC_INTERVAL_MS);
    // As the route runs it: a hold's deposit follows the answer, whichever sync claimed the bank first.
    const outcome = await returnAsTheRouteDoes(
      deps,
      new URLSearchParams({ order: placed.orderId, orderId: back.searchParams.get('orderId')! }),
    );
    await poll;
    expect(outcome.kind).toBe('synced');
    if (outcome.kind !== 'synced') return;
    expect(isSecured(outcome.attempt.state), outcome.attempt.state).toBe(true);
    // Two syncs, one deposit.
    expect(shop.calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === outcome.attempt.gateway_order_id).length).toBe(
      flow === 'two-stage' ? 1 : 0,
    );
  });

  it('a poll that read the status a moment before the shopper paid does not stand in for the return; the cart is marked spent', async () => {
    const customer = { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' };
    const placed = await placeOrder(deps, { cart: [{ slug: 'honey', quantity: 2 }], customer, flow, language: 'ru', mobile: true });
    if (!placed.ok) throw new Error(placed.reason);
    await syncIfStale(deps, placed.orderId, POLL_SYNC_INTERVAL_MS);
    expect(await spentOrder(deps.db, placed.orderId)).toBeUndefined();
    const back = await payWithMirPay(placed.formUrl, 'mir-0047');
    const outcome = await handleReturn(deps, new URLSearchParams({ order: placed.orderId, orderId: back.searchParams.get('orderId')! }));
    expect(outcome.kind).toBe('synced');
    if (outcome.kind !== 'synced') return;
    expect(isSecured(outcome.attempt.state), outcome.attempt.state).toBe(true);
    expect(await spentOrder(deps.db, placed.orderId)).toMatchObject({ id: placed.orderId });
    // A reload of the return a moment later does not read the bank again.
    const statusReads = () =>
      shop.calls.filter((c) => c.operation === 'getOrderStatusExtended' && c.gatewayOrderId === outcome.attempt.gateway_order_id).length;
    const before = statusReads();
    await handleReturn(deps, new URLSearchParams({ order: placed.orderId, orderId: back.searchParams.get('orderId')! }));
    if (flow === 'one-stage') expect(statusReads()).toBe(before);
  });
});

it('a return whose ids carry a NUL or other junk is "no such order", not a database error (PostgreSQL refuses NUL in text)', async () => {
  const junk: Record<string, string>[] = [
    { order: 'abc\0def' },
    { order: 'x'.repeat(65) },
    { order: 'AAAAAAAAAAAAAAAAAAAAAA', orderId: 'id\0' },
  ];
  for (const params of junk) {
    expect(await handleReturn(deps, new URLSearchParams(params))).toEqual({ kind: 'not-found' });
  }
});
