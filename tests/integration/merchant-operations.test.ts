// The merchant's capture, cancel and refund against the real sandbox over HTTP: allowed only in
// the right state, exactly once under double clicks and resubmitted forms, unknown outcomes
// settled by the status.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import type { GatewayClient } from '../../lib/gateway/client';
import { placeOrder } from '../../lib/shop/checkout';
import { runMerchantAction } from '../../lib/payments/merchant-operations';
import { findAttempt, latestAttempt } from '../../lib/payments/orders';
import { reconcileOnce } from '../../lib/payments/reconciler';
import { captureMode, setCaptureMode } from '../../lib/payments/settings';
import { returnAsTheRouteDoes } from '../helpers/return-route';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, type SandboxServer } from '../helpers/sandbox-server';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';
import { testDialect } from '../helpers/test-database';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
const { count } = shop;
let server: SandboxServer;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ server, db, gateway, deps } = shop));
let keys = 0;
const key = () => `key-${++keys}-${Date.now()}`;

beforeAll(async () => {
  await setCaptureMode(db, 'manual');
});
afterEach(async () => {
  await controlFetch(`${server.url}/sandbox/control/faults`, { method: 'DELETE' });
});

/** A two-stage order paid in Mir Pay; the shopper returned; the shop waits for the merchant. */
async function heldOrder(flow: 'two-stage' | 'one-stage' = 'two-stage') {
  const placed = await placeOrder(deps, {
    cart: [{ slug: 'mug', quantity: 1 }],
    customer: { name: 'Ада', phone: '+79120000005', email: 'ada@example.ru' },
    flow,
    language: 'ru',
    mobile: true,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await payWithMirPay(placed.formUrl, 'mir-0047');
  const attempt = (await latestAttempt(db, placed.orderId))!;
  await returnAsTheRouteDoes(deps, new URLSearchParams({ order: placed.orderId, orderId: attempt.gateway_order_id! }));
  return { orderId: placed.orderId, attemptId: attempt.id, gatewayOrderId: attempt.gateway_order_id! };
}

describe('merchant operations', () => {
  it("manual capture mode: the shopper's return holds the money and does not deposit", async () => {
    expect(await captureMode(db)).toBe('manual');
    const { attemptId, gatewayOrderId } = await heldOrder();
    expect((await findAttempt(db, attemptId))!.state).toBe('approved');
    expect(count('deposit', gatewayOrderId)).toBe(0);
  });

  it('a partial capture deposits exactly the part, is final, and a second capture is refused', async () => {
    const { orderId, attemptId, gatewayOrderId } = await heldOrder();
    const outcome = await runMerchantAction(deps, orderId, { kind: 'capture', amount: 50_000 }, key());
    expect(outcome).toMatchObject({ ok: true, operation: { kind: 'capture', amount: 50_000, state: 'done' } });
    const attempt = (await findAttempt(db, attemptId))!;
    expect(attempt).toMatchObject({ state: 'paid', deposited_amount: 50_000, capture_amount: 50_000 });
    expect((await gateway.getOrderStatusExtended({ orderId: gatewayOrderId })).paymentAmountInfo?.depositedAmount).toBe(50_000);
    expect(await runMerchantAction(deps, orderId, { kind: 'capture', amount: 29_000 }, key())).toMatchObject({
      ok: false,
      reason: 'not-allowed',
    });
    expect(count('deposit', gatewayOrderId)).toBe(1);
  });

  it('double click: two captures at once → one deposit.do; the same form twice → the same answer', async () => {
    const { orderId, gatewayOrderId } = await heldOrder();
    const [a, b] = await Promise.all([
      runMerchantAction(deps, orderId, { kind: 'capture', amount: 79_000 }, key()),
      runMerchantAction(deps, orderId, { kind: 'capture', amount: 79_000 }, key()),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect(count('deposit', gatewayOrderId)).toBe(1);

    const refundKey = key();
    const [first, again] = await Promise.all([
      runMerchantAction(deps, orderId, { kind: 'refund', amount: 10_000 }, refundKey),
      runMerchantAction(deps, orderId, { kind: 'refund', amount: 10_000 }, refundKey),
    ]);
    const later = await runMerchantAction(deps, orderId, { kind: 'refund', amount: 10_000 }, refundKey);
    expect(later).toMatchObject({ ok: true });
    expect([first, again].filter((o) => o.ok).length).toBeGreaterThanOrEqual(1);
    expect(count('refund', gatewayOrderId)).toBe(1);
  });

  it('refunds: twice in part, then above the remainder is refused with nothing sent', async () => {
    const { orderId, attemptId, gatewayOrderId } = await heldOrder('one-stage');
    expect(await runMerchantAction(deps, orderId, { kind: 'refund', amount: 30_000 }, key())).toMatchObject({ ok: true });
    expect(await runMerchantAction(deps, orderId, { kind: 'refund', amount: 20_000 }, key())).toMatchObject({ ok: true });
    expect(await runMerchantAction(deps, orderId, { kind: 'refund', amount: 29_001 }, key())).toMatchObject({
      ok: false,
      reason: 'amount-too-large',
    });
    expect(count('refund', gatewayOrderId)).toBe(2);
    expect((await findAttempt(db, attemptId))!).toMatchObject({ state: 'refunded', refunded_amount: 50_000 });
    expect(await runMerchantAction(deps, orderId, { kind: 'refund', amount: 29_000 }, key())).toMatchObject({ ok: true });
    expect(await runMerchantAction(deps, orderId, { kind: 'refund', amount: 1 }, key())).toMatchObject({
      ok: false,
      reason: 'not-allowed',
    });
  });

  it('cancel a hold: reversed once; a second cancel is refused', async () => {
    const { orderId, attemptId, gatewayOrderId } = await heldOrder();
    expect(await runMerchantAction(deps, orderId, { kind: 'cancel' }, key())).toMatchObject({ ok: true });
    expect((await findAttempt(db, attemptId))!.state).toBe('reversed');
    expect(await runMerchantAction(deps, orderId, { kind: 'cancel' }, key())).toMatchObject({ ok: false, reason: 'not-allowed' });
    expect(count('reverse', gatewayOrderId)).toBe(1);
  });

  it('bad amounts change nothing', async () => {
    const { orderId, gatewayOrderId } = await heldOrder();
    for (const amount of [0, -5, 99, 1.5, 79_001, Number.NaN]) {
      expect((await runMerchantAction(deps, orderId, { kind: 'capture', amount }, key())).ok).toBe(false);
    }
    expect(count('deposit', gatewayOrderId)).toBe(0);
    expect(await runMerchantAction(deps, 'no-such-order', { kind: 'cancel' }, key())).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it("a capture with no answer stays unknown, then the reconciler deposits the merchant's amount once", async () => {
    const { orderId, attemptId, gatewayOrderId } = await heldOrder();
    await controlFetch(`${server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'hang', method: 'deposit.do', orderId: gatewayOrderId, delayMs: 3500 }),
    });
    const unknown = await runMerchantAction(deps, orderId, { kind: 'capture', amount: 60_000 }, key());
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown' });
    expect((await findAttempt(db, attemptId))!.state).toBe('depositing');
    // The deposit never reached the bank (hang does not perform it): once the claim is stale the
    // reconciler sends it once more, for the amount the merchant chose.
    await reconcileOnce({ ...deps, clock: () => Date.now() + 120_000 }, { minIntervalMs: 0 });
    expect((await findAttempt(db, attemptId))!).toMatchObject({ state: 'paid', deposited_amount: 60_000 });
  });

  it('a capture on one instance racing shopper returns on another: one deposit.do each time, and the books agree with the bank', async () => {
    const other = { ...deps, db: await shop.openAnotherInstance() };
    const won = { merchant: 0, shopper: 0 };
    for (let round = 0; round < 10; round++) {
      const { orderId, attemptId, gatewayOrderId } = await heldOrder();
      // Now a return deposits the whole hold, while the merchant captures a part of it.
      await setCaptureMode(db, 'on-return');
      // The shopper's first return synced a moment ago; these come back as a reload would later.
      await db.updateTable('payment_attempts').set({ synced_at: null }).where('id', '=', attemptId).execute();
      const returns = new URLSearchParams({ order: orderId, orderId: gatewayOrderId });
      // Who starts first, and by how much, varies from round to round.
      const head = (round % 5) * 4;
      const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const [outcome] = await Promise.all([
        after(round % 2 ? head : 0).then(() => runMerchantAction(deps, orderId, { kind: 'capture', amount: 50_000 }, key())),
        ...Array.from({ length: 5 }, () => after(round % 2 ? 0 : head).then(() => returnAsTheRouteDoes(other, returns))),
      ]);
      await setCaptureMode(db, 'manual');
      expect(count('deposit', gatewayOrderId)).toBe(1);
      const bank = (await gateway.getOrderStatusExtended({ orderId: gatewayOrderId })).paymentAmountInfo?.depositedAmount;
      const attempt = (await findAttempt(db, attemptId))!;
      expect(attempt).toMatchObject({ state: 'paid', deposited_amount: bank });
      if (outcome.ok) {
        expect(bank).toBe(50_000);
        won.merchant++;
      } else {
        expect(bank).toBe(79_000);
        expect(outcome.reason).toMatch(/not-allowed|refused/);
        won.shopper++;
      }
    }
    console.info(
      `capture vs return (${testDialect}), 10 rounds: the merchant won ${won.merchant}, the shopper ${won.shopper}; 1 deposit.do each`,
    );
  });
});
