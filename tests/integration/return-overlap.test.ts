// A shopper's return that arrives while another sync of the same payment is under way (the order
// page's poll, a callback, the reconciler) does not sync again; it must still answer with the state
// that sync finds, never the row as it was before, or the return route keeps a paid cart.
import { beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { isSecured } from '../../lib/shop/payment-state';
import { handleReturn, POLL_SYNC_INTERVAL_MS, syncIfStale } from '../../lib/shop/shopper-sync';
import { payWithMirPay } from '../helpers/phone';
import { useShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = useShopHarness();
let deps: ShopHarness['deps'];
beforeAll(() => void ({ deps } = shop));

describe.each(['one-stage', 'two-stage'] as const)('%s', (flow: PaymentFlow) => {
  it('a return during the poll’s sync answers with what that sync found: the money secured', async () => {
    const customer = { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' };
    const placed = await placeOrder(deps, { cart: [{ slug: 'honey', quantity: 1 }], customer, flow, language: 'ru', mobile: true });
    if (!placed.ok) throw new Error(placed.reason);
    const back = await payWithMirPay(placed.formUrl, 'mir-0047');
    // The poll claims the sync first; the return arrives while it runs. (On PostgreSQL the two
    // claims may land in either order: whichever loses takes the winner's result.)
    const poll = syncIfStale(deps, placed.orderId, POLL_SYNC_INTERVAL_MS);
    const outcome = await handleReturn(deps, new URLSearchParams({ order: placed.orderId, orderId: back.searchParams.get('orderId')! }));
    await poll;
    expect(outcome.kind).toBe('synced');
    if (outcome.kind !== 'synced') return;
    expect(isSecured(outcome.attempt.state), outcome.attempt.state).toBe(true);
    // One sync, not two: one status read before any deposit.
    expect(shop.calls.filter((c) => c.operation === 'getOrderStatusExtended' && c.gatewayOrderId === outcome.attempt.gateway_order_id).length).toBeLessThanOrEqual(2);
  });
});

it('a return whose ids carry a NUL or other junk is "no such order", not a database error (PostgreSQL refuses NUL in text)', async () => {
  const junk: Record<string, string>[] = [{ order: 'abc\0def' }, { order: 'x'.repeat(65) }, { order: 'AAAAAAAAAAAAAAAAAAAAAA', orderId: 'id\0' }];
  for (const params of junk) {
    expect(await handleReturn(deps, new URLSearchParams(params))).toEqual({ kind: 'not-found' });
  }
});
