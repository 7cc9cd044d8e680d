// The one sync function (payment flow steps 9–11) and its two shopper triggers against every status the
// real sandbox can produce, over real HTTP. A dedicated sandbox server: the expiry case moves its clock.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { latestAttempt, moveAttempt } from '../../lib/payments/orders';
import { orderView } from '../../lib/shop/order-view';
import type { Trigger } from '../../lib/payments/triggers';
import { syncAttempt } from '../../lib/payments/sync';
import { handleReturn, syncIfStale } from '../../lib/payments/shopper-sync';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, type SandboxServer } from '../helpers/sandbox-server';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
const { calls, logs } = shop;
let server: SandboxServer;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ server, db, gateway, deps } = shop));
const customer = { name: 'Пётр', phone: '+79120000000', email: 'petr@example.ru' };

async function placed(flow: PaymentFlow = 'one-stage', cart = [{ slug: 'mug', quantity: 1 }]) {
  const result = await placeOrder(deps, { cart, customer, flow, language: 'ru', mobile: true });
  if (!result.ok) throw new Error(result.reason);
  const attempt = (await latestAttempt(db, result.orderId))!;
  return { ...result, attempt, gatewayOrderId: attempt.gateway_order_id! };
}

const sync = async (attemptId: number, trigger: Trigger = 'poll') => (await syncAttempt(deps, attemptId, trigger)).state;

describe('syncAttempt against each sandbox status', () => {
  it('created, not paid yet (0 / -100) → awaiting', async () => {
    const { attempt } = await placed();
    expect(await sync(attempt.id)).toBe('awaiting');
  });

  it('a declined try on an open order (0 / 116) → declined, reason insufficient funds', async () => {
    const { attempt, formUrl, orderId } = await placed();
    await payWithMirPay(formUrl, 'mir-1119');
    expect(await sync(attempt.id)).toBe('declined');
    expect(await orderView(db, orderId)).toMatchObject({ state: 'failed', reason: 'insufficient-funds', canRetry: true, final: true });
  });

  it('too many declined tries (6 / -2013) → declined, reason too many attempts', async () => {
    const { attempt, formUrl, orderId } = await placed();
    for (let i = 0; i < 3; i++) await payWithMirPay(formUrl, 'mir-1119');
    expect(await sync(attempt.id)).toBe('declined');
    expect((await orderView(db, orderId))?.reason).toBe('too-many-attempts');
  });

  it('one-stage paid (2) → paid with the deposited amount, no deposit.do from us', async () => {
    const { attempt, formUrl, gatewayOrderId } = await placed('one-stage', [{ slug: 'honey', quantity: 2 }]);
    await payWithMirPay(formUrl, 'mir-0047');
    expect(await sync(attempt.id)).toBe('paid');
    expect((await latestAttempt(db, attempt.order_id))!.deposited_amount).toBe(130_000);
    expect(calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === gatewayOrderId)).toHaveLength(0);
  });

  it('two-stage hold (1) → approved when the merchant captures later', async () => {
    const { attempt, formUrl } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    // The merchant's read never deposits (the shopper's return would, with capture on return).
    expect(await sync(attempt.id, 'merchant')).toBe('approved');
    expect((await latestAttempt(db, attempt.order_id))!.approved_amount).toBe(79_000);
  });

  it('two-stage hold (1) → one deposit.do with the explicit amount → paid (2)', async () => {
    const { attempt, formUrl, gatewayOrderId } = await placed('two-stage', [{ slug: 'mug', quantity: 3 }]);
    await payWithMirPay(formUrl, 'mir-2026');
    expect(await sync(attempt.id)).toBe('paid');
    const deposits = calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === gatewayOrderId);
    expect(deposits).toHaveLength(1);
    expect(deposits[0]!.request.amount).toBe(237_000);
    expect(await sync(attempt.id)).toBe('paid');
    expect(calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === gatewayOrderId)).toHaveLength(1);
  });

  it('a hold reversed at the bank (3) → reversed, shown as cancelled', async () => {
    const { attempt, formUrl, gatewayOrderId, orderId } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    await gateway.reverse({ orderId: gatewayOrderId });
    expect(await sync(attempt.id)).toBe('reversed');
    expect((await orderView(db, orderId))?.state).toBe('cancelled');
  });

  it('paid and refunded at the bank before we looked (4) → refunded', async () => {
    const { attempt, formUrl, gatewayOrderId, orderId } = await placed();
    await payWithMirPay(formUrl, 'mir-0047');
    await gateway.refund({ orderId: gatewayOrderId, amount: 79_000 });
    expect(await sync(attempt.id)).toBe('refunded');
    expect((await orderView(db, orderId))?.state).toBe('refunded');
  });

  it('closed with decline.do (6) → declined', async () => {
    const { attempt, gatewayOrderId } = await placed();
    await gateway.decline({ orderId: gatewayOrderId });
    expect(await sync(attempt.id)).toBe('declined');
  });

  it('an amount at the bank that differs from the order → mismatch, never paid, alert logged', async () => {
    const { attempt, orderId } = await placed();
    // A gateway order for another amount, paid, then pointed at by our attempt.
    const foreign = await gateway
      .register({ orderNumber: attempt.order_number, amount: 100, returnUrl: 'http://shop.test/' })
      .catch(() => undefined);
    expect(foreign).toBeUndefined(); // the orderNumber is taken: the sandbox refuses (errorCode 1)
    const other = await gateway.register({ orderNumber: `${attempt.order_number}-X`, amount: 100, returnUrl: 'http://shop.test/' });
    await payWithMirPay(other.formUrl, 'mir-0047');
    await db
      .updateTable('payment_attempts')
      .set({ gateway_order_id: other.orderId, order_number: `${attempt.order_number}-X` })
      .where('id', '=', attempt.id)
      .execute();
    expect(await sync(attempt.id)).toBe('mismatch');
    expect(await orderView(db, orderId)).toMatchObject({ state: 'failed', canRetry: false });
    expect(logs.some((line) => line.includes('"payment.alert"') && line.includes(orderId))).toBe(true);
    // An alert for a person, once however often the attempt is read again.
    await db.updateTable('payment_attempts').set({ synced_at: null }).where('id', '=', attempt.id).execute();
    await sync(attempt.id);
    expect(await alertsOf(orderId)).toEqual([{ kind: 'amount-mismatch', order_id: orderId }]);
  });

  it('a status for another orderNumber changes nothing and is logged', async () => {
    const { attempt, orderId } = await placed();
    const other = await placed();
    await db.updateTable('payment_attempts').set({ gateway_order_id: other.gatewayOrderId }).where('id', '=', attempt.id).execute();
    expect(await sync(attempt.id)).toBe('awaiting');
    expect(logs.some((line) => line.includes('orderNumber differs') && line.includes(orderId))).toBe(true);
    expect(await alertsOf(orderId)).toEqual([{ kind: 'status-unknown', order_id: orderId }]);
  });

  it('lifetime over (6 / -2007) → expired, shown as expired with "try again"', async () => {
    const { attempt, orderId } = await placed();
    await controlFetch(`${server.url}/sandbox/control/clock`, { method: 'POST', body: new URLSearchParams({ advanceSeconds: '1201' }) });
    expect(await sync(attempt.id)).toBe('expired');
    expect(await orderView(db, orderId)).toMatchObject({ state: 'expired', canRetry: true, final: true });
  });
});

describe('the shopper triggers', () => {
  const params = (query: Record<string, string | string[]>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) for (const v of [value].flat()) search.append(key, v);
    return search;
  };

  it('return: a duplicated equal orderId is one; the attempt is synced', async () => {
    const { orderId, gatewayOrderId, formUrl } = await placed();
    await payWithMirPay(formUrl, 'mir-0047');
    const outcome = await handleReturn(deps, params({ order: orderId, orderId: [gatewayOrderId, gatewayOrderId] }));
    expect(outcome).toMatchObject({ kind: 'synced', orderId, attempt: { state: 'paid' } });
  });

  it('return: two different orderIds, or one of another order, are refused and change nothing', async () => {
    const first = await placed();
    const second = await placed();
    expect(await handleReturn(deps, params({ order: first.orderId, orderId: [first.gatewayOrderId, second.gatewayOrderId] }))).toEqual({
      kind: 'bad-request',
      problem: 'conflicting-order-ids',
    });
    expect(await handleReturn(deps, params({ order: first.orderId, orderId: second.gatewayOrderId }))).toEqual({
      kind: 'bad-request',
      problem: 'foreign-order-id',
    });
    expect(await handleReturn(deps, params({ order: 'no-such-order', orderId: first.gatewayOrderId }))).toEqual({ kind: 'not-found' });
    expect((await latestAttempt(db, first.orderId))!.synced_at).toBeNull();
  });

  it('return: 20 returns at once make one status read and answer "held"; one deposit follows after the response', async () => {
    const { orderId, gatewayOrderId, formUrl } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => handleReturn(deps, params({ order: orderId, orderId: gatewayOrderId }))),
    );
    const byGateway = (operation: string) => calls.filter((c) => c.operation === operation && c.gatewayOrderId === gatewayOrderId).length;
    // The shopper waited for one status read (payment flow step 9) and sees the payment confirmed.
    expect(outcomes.map((o) => o.kind === 'synced' && o.attempt.state)).toEqual(Array(20).fill('approved'));
    expect(byGateway('getOrderStatusExtended')).toBe(1);
    expect(byGateway('deposit')).toBe(0);
    // The route runs what the one return that read the bank left for after its answer.
    const later = outcomes.flatMap((o) => (o.kind === 'synced' && o.afterResponse ? [o.afterResponse] : []));
    expect(later).toHaveLength(1);
    await Promise.all(later.map((run) => run()));
    // The deposit starts from the status the return read: the bank sees status, deposit, status.
    expect(calls.filter((c) => c.gatewayOrderId === gatewayOrderId && c.operation !== 'registerPreAuth').map((c) => c.operation)).toEqual([
      'getOrderStatusExtended',
      'deposit',
      'getOrderStatusExtended',
    ]);
    expect((await latestAttempt(db, orderId))!.state).toBe('paid');
    expect(await orderView(db, orderId)).toMatchObject({ state: 'paid', final: true, capturing: false });
  });

  it('return: a bank that hangs leaves the shopper waiting no longer than the read deadline; the order page polls on', async () => {
    const { orderId, gatewayOrderId, formUrl } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    await controlFetch(`${shop.server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'hang', method: 'getOrderStatusExtended.do', orderId: gatewayOrderId, delayMs: 4000 }),
    });
    const started = Date.now();
    const outcome = await handleReturn({ ...deps, shopperReadMs: 300 }, params({ order: orderId, orderId: gatewayOrderId }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(outcome).toMatchObject({ kind: 'synced', attempt: { state: 'awaiting' } });
    expect(await orderView(db, orderId)).toMatchObject({ state: 'processing', final: false });
    await controlFetch(`${shop.server.url}/sandbox/control/faults`, { method: 'DELETE' });
  });

  it('return: extra parameters (amount, status, orderStatus) are ignored; an unpaid order stays unpaid', async () => {
    const { orderId, gatewayOrderId, attempt } = await placed();
    const outcome = await handleReturn(
      deps,
      params({ order: orderId, orderId: gatewayOrderId, amount: '1', status: '2', orderStatus: '2', lang: 'ru' }),
    );
    expect(outcome).toMatchObject({ kind: 'synced', attempt: { id: attempt.id, state: 'awaiting' } });
    expect(await orderView(db, orderId)).toMatchObject({ state: 'processing', amount: 79_000 });
  });

  it('return: without orderId the latest attempt is synced', async () => {
    const { orderId, formUrl } = await placed();
    await payWithMirPay(formUrl, 'mir-0047');
    expect(await handleReturn(deps, params({ order: orderId }))).toMatchObject({ kind: 'synced', attempt: { state: 'paid' } });
  });

  it('return: a gateway that is down leaves the attempt as it was', async () => {
    const { orderId, attempt } = await placed();
    const down = createGatewayClient({ baseUrl: 'http://127.0.0.1:9/payment/rest/', auth: SANDBOX_AUTH, timeoutMs: 500, statusRetries: 0 });
    const outcome = await handleReturn({ ...deps, gateway: down }, params({ order: orderId }));
    expect(outcome).toMatchObject({ kind: 'synced', attempt: { id: attempt.id, state: 'awaiting' } });
    expect(logs.some((line) => line.includes('payment.sync_failed') && line.includes(orderId))).toBe(true);
  });

  it('polling: ten polls within the interval make one status read', async () => {
    const { orderId, gatewayOrderId } = await placed();
    const reads = () => calls.filter((c) => c.operation === 'getOrderStatusExtended' && c.gatewayOrderId === gatewayOrderId).length;
    await Promise.all(Array.from({ length: 10 }, () => syncIfStale(deps, orderId, 60_000)));
    expect(reads()).toBe(1);
    await syncIfStale({ ...deps, clock: () => Date.now() + 61_000 }, orderId, 60_000);
    expect(reads()).toBe(2);
  });

  it('polling: a final attempt is never read again', async () => {
    const { orderId, attempt, gatewayOrderId } = await placed();
    await moveAttempt(db, attempt, 'expired', {}, { at: Date.now(), cause: 'reconciler' });
    await syncIfStale(deps, orderId, 0);
    expect(calls.filter((c) => c.operation === 'getOrderStatusExtended' && c.gatewayOrderId === gatewayOrderId)).toHaveLength(0);
  });
});

async function alertsOf(orderId: string) {
  return db.selectFrom('alerts').select(['kind', 'order_id']).where('order_id', '=', orderId).execute();
}
