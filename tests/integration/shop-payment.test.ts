// The shop's payment logic (lib/shop) against the real sandbox over real HTTP: checkout with the
// amount from the catalogue, Mir Pay on the phone, the idempotent sync with exactly one deposit.
import { shopContext } from '../../lib/payments/context';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import { REUSE_WINDOW_MS, openCheckoutKey, placeOrder, retryPayment } from '../../lib/shop/checkout';
import { latestAttempt } from '../../lib/payments/orders';
import { syncAttempt } from '../../lib/payments/sync';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, type SandboxServer } from '../helpers/sandbox-server';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
let server: SandboxServer;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ server, db, gateway, deps } = shop));
const customer = { name: 'Анна', phone: '+79990000000', email: 'anna@example.com' };
const silent = () => undefined;

async function sandboxDeposits(gatewayOrderId: string): Promise<number> {
  const response = await controlFetch(`${server.url}/sandbox/control/requests?orderId=${gatewayOrderId}&method=deposit.do`);
  return ((await response.json()) as { requests: unknown[] }).requests.length;
}

async function sandboxCalls(orderNumber: string): Promise<number> {
  const response = await controlFetch(`${server.url}/sandbox/control/requests?method=register.do`);
  const { requests } = (await response.json()) as { requests: { order_number: string | null }[] };
  return requests.filter((r) => r.order_number === orderNumber).length;
}

describe('checkout → Mir Pay → sync', () => {
  it('one-stage: registers the catalogue amount and ends paid', async () => {
    const placed = await placeOrder(deps, {
      cart: [
        { slug: 'mug', quantity: 2 },
        { slug: 'honey', quantity: 1 },
      ],
      customer,
      flow: 'one-stage',
      language: 'ru',
      mobile: true,
    });
    if (!placed.ok) throw new Error(placed.reason);
    const returned = await payWithMirPay(placed.formUrl, 'mir-0047');
    // Back to the order page, with the gateway's orderId appended.
    const attempt = (await latestAttempt(db, placed.orderId))!;
    expect(returned.pathname).toBe(`/orders/${placed.orderId}`);
    expect(returned.searchParams.get('orderId')).toBe(attempt.gateway_order_id);
    const status = await gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! });
    expect(status.amount).toBe(2 * 79_000 + 65_000);
    const synced = await syncAttempt(shopContext({ db, gateway, log: silent }), attempt.id, 'poll');
    expect(synced.state).toBe('paid');
    expect(await retryPayment(deps, placed.orderId, true)).toEqual({ ok: false, reason: 'not-retryable', orderId: placed.orderId });
  });

  it('two-stage: 50 concurrent syncs of an approved hold send exactly one deposit.do', async () => {
    const placed = await placeOrder(deps, {
      cart: [{ slug: 'french-press', quantity: 1 }],
      customer,
      flow: 'two-stage',
      language: 'en',
      mobile: true,
    });
    if (!placed.ok) throw new Error(placed.reason);
    await payWithMirPay(placed.formUrl, 'mir-2026');
    const attempt = (await latestAttempt(db, placed.orderId))!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => syncAttempt(shopContext({ db, gateway, log: silent }), attempt.id, 'poll')),
    );
    expect(results.some((r) => r.state === 'paid')).toBe(true);
    expect((await latestAttempt(db, placed.orderId))!.state).toBe('paid');
    expect(await sandboxDeposits(attempt.gateway_order_id!)).toBe(1);
    const status = await gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! });
    expect(status.paymentAmountInfo?.depositedAmount).toBe(249_000);
  });

  it('a declined card fails the attempt; try again closes it and pays with a new orderNumber', async () => {
    const placed = await placeOrder(deps, {
      cart: [{ slug: 'chocolate', quantity: 3 }],
      customer,
      flow: 'one-stage',
      language: 'ru',
      mobile: true,
    });
    if (!placed.ok) throw new Error(placed.reason);
    await payWithMirPay(placed.formUrl, 'mir-1119');
    const first = (await latestAttempt(db, placed.orderId))!;
    expect((await syncAttempt(shopContext({ db, gateway, log: silent }), first.id, 'return')).state).toBe('declined');
    expect((await latestAttempt(db, placed.orderId))!.action_code).toBe(116);

    const retried = await retryPayment(deps, placed.orderId, true);
    if (!retried.ok) throw new Error(retried.reason);
    const second = (await latestAttempt(db, placed.orderId))!;
    expect(second.attempt_no).toBe(2);
    expect(second.order_number).not.toBe(first.order_number);
    // The first gateway order was declined so that it can never be paid alongside the second.
    expect((await gateway.getOrderStatusExtended({ orderId: first.gateway_order_id! })).orderStatus).toBe(6);
    await payWithMirPay(retried.formUrl, 'mir-0047');
    expect((await syncAttempt(shopContext({ db, gateway, log: silent }), second.id, 'return')).state).toBe('paid');
  });

  it('a repeated submit with the same checkout key reuses the open attempt and its formUrl', async () => {
    const input = {
      cart: [{ slug: 'green-tea', quantity: 1 }],
      customer,
      flow: 'one-stage' as const,
      language: 'ru' as const,
      mobile: false,
      checkoutKey: 'key-double-tap',
    };
    const [first, second] = await Promise.all([placeOrder(deps, input), placeOrder(deps, input)]);
    if (!first.ok) throw new Error(first.reason);
    expect(first.formUrl).toContain('/payment_ru.html');
    expect(second).toEqual(first);
    const third = await placeOrder(deps, input);
    expect(third).toEqual(first);
    const attempt = (await latestAttempt(db, first.orderId))!;
    expect(attempt.attempt_no).toBe(1);
    expect(await sandboxCalls(attempt.order_number)).toBe(1);
    expect(await openCheckoutKey(deps, first.orderId, input.cart)).toBe('key-double-tap');
  });

  it('the same key with a changed cart is a new order; the old key is not offered for the new cart', async () => {
    const input = {
      cart: [{ slug: 'mug', quantity: 1 }],
      customer,
      flow: 'one-stage' as const,
      language: 'ru' as const,
      mobile: true,
      checkoutKey: 'key-cart-changed',
    };
    const first = await placeOrder(deps, input);
    const changedCart = [{ slug: 'mug', quantity: 2 }];
    const second = await placeOrder(deps, { ...input, cart: changedCart });
    if (!first.ok || !second.ok) throw new Error('registration failed');
    expect(second.orderId).not.toBe(first.orderId);
    expect(await openCheckoutKey(deps, first.orderId, changedCart)).toBeUndefined();
    const status = await gateway.getOrderStatusExtended({ orderId: (await latestAttempt(db, second.orderId))!.gateway_order_id! });
    expect(status.amount).toBe(2 * 79_000);
  });

  it('an open formUrl older than the reuse window is closed and a new attempt registered', async () => {
    const input = {
      cart: [{ slug: 'honey', quantity: 1 }],
      customer,
      flow: 'one-stage' as const,
      language: 'ru' as const,
      mobile: true,
      checkoutKey: 'key-stale',
    };
    const first = await placeOrder(deps, input);
    if (!first.ok) throw new Error(first.reason);
    const old = (await latestAttempt(db, first.orderId))!;
    const later = { ...deps, clock: () => Date.now() + REUSE_WINDOW_MS + 1000 };
    const again = await placeOrder(later, input);
    if (!again.ok) throw new Error(again.reason);
    expect(again.orderId).toBe(first.orderId);
    expect(again.formUrl).not.toBe(first.formUrl);
    expect((await latestAttempt(db, first.orderId))!.attempt_no).toBe(2);
    expect((await gateway.getOrderStatusExtended({ orderId: old.gateway_order_id! })).orderStatus).toBe(6);
  });

  it('an empty or unknown cart registers nothing', async () => {
    expect(await placeOrder(deps, { cart: [], customer, flow: 'one-stage', language: 'ru', mobile: true })).toEqual({
      ok: false,
      reason: 'empty-cart',
    });
  });

  it('a gateway that is down gives a retryable failure and keeps the order', async () => {
    const down = createGatewayClient({ baseUrl: 'http://127.0.0.1:9/payment/rest/', auth: SANDBOX_AUTH, timeoutMs: 1000 });
    const placed = await placeOrder(
      { ...deps, gateway: down },
      { cart: [{ slug: 'mug', quantity: 1 }], customer, flow: 'one-stage', language: 'ru', mobile: true },
    );
    expect(placed).toMatchObject({ ok: false, reason: 'gateway-unavailable' });
    const attempt = (await latestAttempt(db, placed.orderId!))!;
    expect(attempt.state).toBe('unknown');
    expect(attempt.gateway_order_id).toBeNull();
    // Paying again with the gateway back: a new attempt with a new orderNumber, never the unknown one.
    const retried = await retryPayment(deps, placed.orderId!, true);
    if (!retried.ok) throw new Error(retried.reason);
    const next = (await latestAttempt(db, placed.orderId!))!;
    expect(next.attempt_no).toBe(2);
    expect(next.state).toBe('awaiting');
  });
});
