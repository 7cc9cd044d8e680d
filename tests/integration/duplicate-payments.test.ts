// One order, one payment: an attempt set aside (its formUrl on a foreign host) is closed at the
// bank at once, and if the bank secures two attempts anyway (the decline got lost, the shopper
// paid the old page at the last second) the shop gives the extra one back itself, exactly once.
// Real client ↔ real sandbox over HTTP, on SQLite and PostgreSQL (the suite runs on both).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import type { GatewayClient } from '../../lib/gateway/client';
import { placeOrder, type CheckoutResult, type PaymentFlow } from '../../lib/shop/checkout';
import { operationsOf } from '../../lib/payments/merchant-operations';
import { listOrders } from '../../lib/console/queries';
import { signCallback } from '../../lib/gateway/checksum';
import { receiveCallback, syncAfterCallback } from '../../lib/payments/callbacks';
import { spentOrder, type Attempt } from '../../lib/payments/orders';
import { reconcileOnce } from '../../lib/payments/reconciler';
import { returnAsTheRouteDoes } from '../helpers/return-route';
import { payWithMirPay } from '../helpers/phone';
import { ANDROID_UA } from '../helpers/sandbox-driver';
import { testDialect } from '../helpers/test-database';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, gateway, deps } = shop));

const AMOUNT = 79_000; // mug:1
// Fewer interleavings on PostgreSQL, where each is many round trips; the same property either way.
const RUNS = testDialect === 'postgres' ? 10 : 25;
let counter = 0;

async function clearFaults() {
  expect((await shop.server.sandbox.faults.control(new Request('http://sandbox.test/', { method: 'DELETE' }), 'rules')).status).toBe(200);
}

async function addFault(rule: Record<string, unknown>) {
  const request = new Request('http://sandbox.test/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect((await shop.server.sandbox.faults.control(request, 'rules')).status).toBe(200);
}

function checkout(flow: PaymentFlow, checkoutKey: string): Promise<CheckoutResult> {
  const customer = { name: 'Анна', phone: '+79123456789', email: 'anna@example.ru' };
  return placeOrder(deps, { cart: [{ slug: 'mug', quantity: 1 }], customer, flow, language: 'ru', mobile: true, checkoutKey });
}

async function attemptsOf(orderId: string): Promise<Attempt[]> {
  return await db.selectFrom('payment_attempts').selectAll().where('order_id', '=', orderId).orderBy('attempt_no').execute();
}

/** What the bank has taken for this order, all attempts together: deposited minus refunded. */
async function netCaptured(attempts: Attempt[]): Promise<number> {
  let net = 0;
  for (const attempt of attempts) {
    if (!attempt.gateway_order_id) continue;
    const status = await gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id });
    const info = status.paymentAmountInfo;
    if (status.orderStatus === 2 || status.orderStatus === 4) net += (info?.depositedAmount ?? 0) - (info?.refundedAmount ?? 0);
  }
  return net;
}

/** The payment page of a gateway order, as the bank would serve it (the shopper kept the tab). */
function pageOf(gatewayOrderId: string): string {
  return `${shop.server.url}/sandbox/payment/merchants/demo-shop/mobile_payment_ru.html?mdOrder=${gatewayOrderId}&pageView=MOBILE`;
}

/**
 * Attempt 1's formUrl comes back on a foreign host (set aside); "Pay" again registers attempt 2.
 * `declineLost`: the decline.do closing attempt 1 gets no answer and is not done.
 */
async function orderWithSetAsideAttempt(flow: PaymentFlow, declineLost: boolean) {
  const key = `dup-key-${Date.now()}-${++counter}-xxxx`;
  await addFault({ fault: 'foreign-form-url', method: flow === 'two-stage' ? 'registerPreAuth.do' : 'register.do' });
  // Until cleared (times 0): every decline.do fails, as long as the bank is unreachable for it.
  if (declineLost) await addFault({ fault: 'http500', method: 'decline.do', times: 0 });
  const first = await checkout(flow, key);
  expect(first).toMatchObject({ ok: false, reason: 'gateway-refused' });
  const orderId = first.orderId!;
  const second = await checkout(flow, key);
  expect(second).toMatchObject({ ok: true, orderId });
  const [old, current] = await attemptsOf(orderId);
  return { orderId, old: old!, current: current!, formUrl: (second as { formUrl: string }).formUrl };
}

async function returnFrom(orderId: string, attempt: Attempt) {
  return returnAsTheRouteDoes(deps, new URLSearchParams({ order: orderId, orderId: attempt.gateway_order_id! }));
}

describe.each(['two-stage', 'one-stage'] as const)('%s', (flow) => {
  it('a formUrl on a foreign host: that attempt is closed at the bank at once, and its page cannot be paid later', async () => {
    const { orderId, old, current, formUrl } = await orderWithSetAsideAttempt(flow, false);
    expect(shop.count('decline', old.gateway_order_id!)).toBe(1);
    expect((await gateway.getOrderStatusExtended({ orderId: old.gateway_order_id! })).orderStatus).toBe(6);
    await payWithMirPay(formUrl, 'mir-0047');
    await returnFrom(orderId, current);
    // The old page, paid at the last second, is refused by the bank: nothing to give back.
    const page = await fetch(pageOf(old.gateway_order_id!), { headers: { 'user-agent': 'Android' } });
    expect(await page.text()).not.toContain('data-testid="mirpay-button"');
    await reconcileOnce(deps, { minIntervalMs: 0 });
    expect(await netCaptured(await attemptsOf(orderId))).toBe(AMOUNT);
    expect(await operationsOf(deps, orderId)).toEqual([]);
  });

  it('the bank secures two anyway (the decline lost, the old page paid last): the extra one is given back once, with the reason', async () => {
    const { orderId, old, current, formUrl } = await orderWithSetAsideAttempt(flow, true);
    expect((await gateway.getOrderStatusExtended({ orderId: old.gateway_order_id! })).orderStatus).toBe(0);
    await payWithMirPay(formUrl, 'mir-0047');
    await returnFrom(orderId, current);
    // The shopper's other tab: the old attempt's page, still open at the bank.
    await payWithMirPay(pageOf(old.gateway_order_id!), 'mir-2026');
    await clearFaults();
    // Every trigger at once, twice: returns on the old attempt, reconcilers.
    for (let round = 0; round < 2; round++) {
      await Promise.all([
        returnFrom(orderId, old),
        returnFrom(orderId, old),
        reconcileOnce(deps, { minIntervalMs: 0 }),
        reconcileOnce(deps, { minIntervalMs: 0 }),
      ]);
    }
    const attempts = await attemptsOf(orderId);
    expect(await netCaptured(attempts)).toBe(AMOUNT);
    const giveBack = flow === 'two-stage' ? 'reverse' : 'refund';
    expect(shop.count(giveBack, old.gateway_order_id!)).toBe(1);
    expect(shop.count('deposit', old.gateway_order_id!)).toBe(0);
    expect(attempts.map((a) => a.state)).toEqual([flow === 'two-stage' ? 'reversed' : 'refunded', 'paid']);
    const operations = await operationsOf(deps, orderId);
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ attempt_id: old.id, state: 'done', reason: 'duplicate payment: attempt 2 kept' });
    // The console counts money per attempt: two captures never look like one payment.
    const { number } = await db.selectFrom('orders').select('number').where('id', '=', orderId).executeTakeFirstOrThrow();
    const [row] = (await listOrders(db, { query: number })).rows;
    expect(row).toMatchObject(
      flow === 'one-stage' ? { captured: 2 * AMOUNT, refunded: AMOUNT, payments: 2 } : { captured: AMOUNT, refunded: 0, payments: 1 },
    );
    // The old attempt moved last; the order's state is still its latest attempt's, and it is listed under paid.
    expect(row?.attempt_state).toBe('paid');
    expect((await listOrders(db, { state: 'paid', query: number })).rows.map((r) => r.id)).toEqual([orderId]);
    // The give-back is in the timeline with its reason (the operation above); the state change it
    // led to is recorded once, by whichever sync read it first (the give-back's own read, or a
    // return or reconciler tick running beside it).
    const causes = await db
      .selectFrom('payment_events')
      .select('cause')
      .where('attempt_id', '=', old.id)
      .where('to_state', 'in', ['reversed', 'refunded'])
      .execute();
    expect(causes).toHaveLength(1);
  });
});

async function payIfOpen(formUrl: string, card: string) {
  const page = await fetch(formUrl, { headers: { 'user-agent': ANDROID_UA } });
  if ((await page.text()).includes('/mirpay/inapp/')) await payWithMirPay(formUrl, card);
}

/** The bank's signed "approved" notification for this attempt, received and synced as the callback route does. */
async function callbackFor(attempt: Attempt) {
  const key = 'interleavings-callback-key-0123456789';
  const params = { mdOrder: attempt.gateway_order_id!, orderNumber: attempt.order_number, operation: 'approved', status: '1' };
  const result = await receiveCallback(deps, Object.entries({ ...params, checksum: signCallback(params, key) }), key);
  expect(result.verdict).toBe('accepted');
  if (result.attempt) await syncAfterCallback(deps, result.attempt, 0);
}

describe('interleavings (fast-check)', () => {
  type Step = 'pay old' | 'pay new' | 'return old' | 'return new' | 'callback old' | 'callback new' | 'reconcile';
  const steps: Step[] = ['pay old', 'pay new', 'return old', 'return new', 'callback old', 'callback new', 'reconcile'];

  it('two-stage: whatever the order of payments, returns, callbacks and reconciler ticks, the bank never keeps more than the order amount', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...steps), { minLength: 3, maxLength: 8 }), async (plan) => {
        runs++;
        const { orderId, old, current, formUrl } = await orderWithSetAsideAttempt('two-stage', true);
        const paid = new Set<string>();
        for (const step of plan) {
          // A page the shop has closed meanwhile cannot be paid any more (no Mir Pay button).
          if (step === 'pay old' && !paid.has('old')) {
            paid.add('old');
            await payIfOpen(pageOf(old.gateway_order_id!), 'mir-2026');
          } else if (step === 'pay new' && !paid.has('new')) {
            paid.add('new');
            await payIfOpen(formUrl, 'mir-0047');
          } else if (step === 'return old') await returnFrom(orderId, old);
          else if (step === 'return new') await returnFrom(orderId, current);
          else if (step === 'callback old') await callbackFor(old);
          else if (step === 'callback new') await callbackFor(current);
          else if (step === 'reconcile') await reconcileOnce(deps, { minIntervalMs: 0 });
          // Two-stage: nothing is captured but by the shop's own deposit.do, so this holds after every step.
          expect(await netCaptured(await attemptsOf(orderId))).toBeLessThanOrEqual(AMOUNT);
        }
        await clearFaults();
        await reconcileOnce(deps, { minIntervalMs: 0 });
        await reconcileOnce(deps, { minIntervalMs: 0 });
        const attempts = await attemptsOf(orderId);
        expect(await netCaptured(attempts)).toBe(paid.size > 0 && attempts.some((a) => a.state === 'paid') ? AMOUNT : 0);
        expect(attempts.filter((a) => a.state === 'approved' || a.state === 'depositing' || a.state === 'paid').length).toBeLessThanOrEqual(
          1,
        );
        expect(shop.count('deposit', old.gateway_order_id!) + shop.count('deposit', current.gateway_order_id!)).toBeLessThanOrEqual(1);
        // Whoever secured the money, the order's cart is spent (the browser that placed it empties it).
        if (attempts.some((a) => a.state === 'paid')) expect(await spentOrder(db, orderId)).toBeDefined();
      }),
      { numRuns: RUNS },
    );
    expect(runs).toBe(RUNS);
  }, 120_000);
});
