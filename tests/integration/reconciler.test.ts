// The reconciler against the real sandbox over HTTP (docs/reliability.md #14, #17, #19, #22, #25, #26):
// the shopper who never returns, lost register.do and deposit.do answers, a crash between the
// deposit claim and the call, expiry and ageing holds.
import { setCaptureMode } from '../../lib/payments/settings';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import type { GatewayClient } from '../../lib/gateway/client';
import { placeOrder, retryPayment, type PaymentFlow } from '../../lib/shop/checkout';
import { findAttempt, latestAttempt } from '../../lib/payments/orders';
import { reconcileOnce, startReconciler } from '../../lib/payments/reconciler';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, type SandboxServer } from '../helpers/sandbox-server';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';
import { testDialect } from '../helpers/test-database';

const shop = setUpShopHarness();
const { count, logs } = shop;
let server: SandboxServer;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ server, db, gateway, deps } = shop));
const customer = { name: 'Ольга', phone: '+79120000001', email: 'olga@example.ru' };

async function placed(flow: PaymentFlow = 'one-stage') {
  const result = await placeOrder(deps, { cart: [{ slug: 'mug', quantity: 2 }], customer, flow, language: 'ru', mobile: true });
  if (!result.ok) throw new Error(result.reason);
  const attempt = (await latestAttempt(db, result.orderId))!;
  return { ...result, attempt, gatewayOrderId: attempt.gateway_order_id! };
}

const setAttempt = (id: number, values: Record<string, unknown>) =>
  db.updateTable('payment_attempts').set(values).where('id', '=', id).execute();

describe('reconciler', () => {
  it('#22 a shopper who pays and never returns is paid within two reconciler intervals', async () => {
    const { attempt, formUrl } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    const interval = 200;
    const started = Date.now();
    const reconciler = startReconciler(deps, interval, { minIntervalMs: 0 });
    try {
      while ((await findAttempt(db, attempt.id))!.state !== 'paid' && Date.now() - started < 10 * interval) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await reconciler.stop();
    }
    const elapsed = Date.now() - started;
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
    expect(elapsed).toBeLessThanOrEqual(2 * interval + 100);
    expect(count('deposit', attempt.gateway_order_id!)).toBe(1);
  });

  it('#14 a register.do whose answer was lost is found by orderNumber, closed, and a new attempt is allowed', async () => {
    const { attempt, orderId, gatewayOrderId } = await placed();
    // As if the answer never came: the order exists at the bank, we know only our orderNumber.
    await setAttempt(attempt.id, { state: 'unknown', gateway_order_id: null, form_url: null });
    const report = await reconcileOnce(deps, { minIntervalMs: 0 });
    expect(report.adopted).toBe(1);
    const adopted = (await findAttempt(db, attempt.id))!;
    expect(adopted.gateway_order_id).toBe(gatewayOrderId);
    expect(adopted.state).toBe('declined');
    expect((await gateway.getOrderStatusExtended({ orderId: gatewayOrderId })).orderStatus).toBe(6);
    const retried = await retryPayment(deps, orderId, true);
    expect(retried.ok).toBe(true);
  });

  it('#14 a register.do that never reached the bank becomes register_failed after the grace period only', async () => {
    const { attempt } = await placed();
    await setAttempt(attempt.id, {
      state: 'registering',
      gateway_order_id: null,
      form_url: null,
      order_number: `${attempt.order_number}-lost`,
    });
    expect((await reconcileOnce(deps, { minIntervalMs: 0, registerGraceMs: 60_000 })).notRegistered).toBe(0);
    expect((await findAttempt(db, attempt.id))!.state).toBe('registering');
    const later = { ...deps, clock: () => Date.now() + 61_000 };
    expect((await reconcileOnce(later, { minIntervalMs: 0, registerGraceMs: 60_000 })).notRegistered).toBe(1);
    expect((await findAttempt(db, attempt.id))!.state).toBe('register_failed');
  });

  it('#17 a deposit.do whose answer was lost is settled by reading depositedAmount, never a second deposit', async () => {
    const { attempt, formUrl, gatewayOrderId } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    await gateway.deposit({ orderId: gatewayOrderId, amount: 158_000 });
    await setAttempt(attempt.id, { state: 'depositing', updated_at: Date.now() - 3600_000 });
    await reconcileOnce(deps, { minIntervalMs: 0 });
    const settled = (await findAttempt(db, attempt.id))!;
    expect(settled.state).toBe('paid');
    expect(settled.deposited_amount).toBe(158_000);
    expect(count('deposit', gatewayOrderId)).toBe(1);
  });

  it('#19 a crash between the deposit claim and deposit.do: deposited once by the reconciler, only once the claim is stale', async () => {
    const { attempt, formUrl, gatewayOrderId } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    await setAttempt(attempt.id, { state: 'depositing', updated_at: Date.now() });
    await reconcileOnce(deps, { minIntervalMs: 0 });
    expect((await findAttempt(db, attempt.id))!.state).toBe('depositing');
    expect(count('deposit', gatewayOrderId)).toBe(0);

    const later = { ...deps, clock: () => Date.now() + 61_000 };
    await Promise.all([reconcileOnce(later, { minIntervalMs: 0 }), reconcileOnce(later, { minIntervalMs: 0 })]);
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
    expect(count('deposit', gatewayOrderId)).toBe(1);
    expect(logs.some((line) => line.includes('payment.redeposit'))).toBe(true);
  });

  it('#26 a hold the merchant has not captured is flagged as it ages', async () => {
    const { attempt, formUrl } = await placed('two-stage');
    await payWithMirPay(formUrl, 'mir-0047');
    // The merchant captures holds themselves: the reconciler only reads them.
    await setCaptureMode(db, 'manual');
    try {
      await reconcileOnce(deps, { minIntervalMs: 0 });
      expect((await findAttempt(db, attempt.id))!.state).toBe('approved');
      const sixDaysLater = { ...deps, clock: () => Date.now() + 6 * 24 * 3600_000 };
      const report = await reconcileOnce(sixDaysLater, { minIntervalMs: 0 });
      expect(report.holdAlerts).toBeGreaterThanOrEqual(1);
    } finally {
      await setCaptureMode(db, 'on-return');
    }
    expect(logs.some((line) => line.includes('hold-ageing') && line.includes(attempt.order_id))).toBe(true);
  });

  it('an attempt synced within minIntervalMs is not read again; final ones never', async () => {
    const { attempt, gatewayOrderId } = await placed();
    await reconcileOnce(deps, { minIntervalMs: 0 });
    const reads = count('getOrderStatusExtended', gatewayOrderId);
    await reconcileOnce(deps, { minIntervalMs: 60_000 });
    expect(count('getOrderStatusExtended', gatewayOrderId)).toBe(reads);
    await setAttempt(attempt.id, { state: 'paid' });
    await reconcileOnce(deps, { minIntervalMs: 0 });
    expect(count('getOrderStatusExtended', gatewayOrderId)).toBe(reads);
  });

  it('#25 expiry: past the lifetime the attempt is expired and "try again" registers a new orderNumber', async () => {
    const { attempt, orderId } = await placed();
    await controlFetch(`${server.url}/sandbox/control/clock`, { method: 'POST', body: new URLSearchParams({ advanceSeconds: '1201' }) });
    await reconcileOnce(deps, { minIntervalMs: 0 });
    expect((await findAttempt(db, attempt.id))!.state).toBe('expired');
    const retried = await retryPayment(deps, orderId, true);
    expect(retried.ok).toBe(true);
    expect((await latestAttempt(db, orderId))!.order_number).not.toBe(attempt.order_number);
  });

  it('two instances reconciling at once share the work: each stuck attempt read by one of them, deposited once', async () => {
    const stuck = [];
    for (let i = 0; i < 12; i++) {
      const order = await placed('two-stage');
      await payWithMirPay(order.formUrl, 'mir-0047');
      stuck.push(order);
    }
    const other = { ...deps, db: await shop.openAnotherInstance() };
    const [a, b] = await Promise.all([reconcileOnce(deps, { minIntervalMs: 30_000 }), reconcileOnce(other, { minIntervalMs: 30_000 })]);
    for (const { attempt, gatewayOrderId } of stuck) {
      expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
      expect(count('deposit', gatewayOrderId)).toBe(1);
      // Status, deposit, status: read by one reconciler only.
      expect(count('getOrderStatusExtended', gatewayOrderId)).toBe(2);
    }
    expect(a.examined + b.examined).toBeGreaterThanOrEqual(stuck.length);
    expect(Math.min(a.examined, b.examined)).toBeGreaterThan(0);
    console.info(
      `two reconcilers (${testDialect}): ${stuck.length} stuck holds, examined ${a.examined} + ${b.examined}, 1 deposit.do and 2 status reads each`,
    );
  });
});
