// The hold policy against the real sandbox over HTTP: by default only an alert; capture or cancel
// N days before the bank's deadline, carried out by the reconciler once (however many ticks, with
// the shop's clock moved forward), and shown in the order's timeline with its reason.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orderTimeline } from '../../lib/console/timeline';
import { holdPolicy, setHoldPolicy, DEFAULT_HOLD_POLICY } from '../../lib/payments/hold-policy';
import { findAttempt, latestAttempt } from '../../lib/payments/orders';
import { reconcileOnce } from '../../lib/payments/reconciler';
import { setCaptureMode } from '../../lib/payments/settings';
import { placeOrder } from '../../lib/shop/checkout';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch } from '../helpers/sandbox-server';
import { setUpShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
const DAY = 86_400_000;
const options = { minIntervalMs: 0, holdLifetimeMs: 7 * DAY };

beforeAll(async () => {
  await setCaptureMode(shop.db, 'manual');
});
afterEach(async () => {
  await setHoldPolicy(shop.db, DEFAULT_HOLD_POLICY);
});

async function hold() {
  const placed = await placeOrder(shop.deps, {
    cart: [{ slug: 'mug', quantity: 1 }],
    customer: { name: 'Ольга', phone: '+79120000001', email: 'olga@example.ru' },
    flow: 'two-stage',
    language: 'ru',
    mobile: true,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await payWithMirPay(placed.formUrl, 'mir-0047');
  await reconcileOnce(shop.deps, options);
  const attempt = (await latestAttempt(shop.db, placed.orderId))!;
  expect(attempt.state).toBe('approved');
  return attempt;
}

const at = (ms: number) => ({ ...shop.deps, clock: () => Date.now() + ms });

describe('hold policy', () => {
  it('by default only alerts: the hold is still there a day before the deadline', async () => {
    expect(await holdPolicy(shop.db)).toEqual(DEFAULT_HOLD_POLICY);
    const attempt = await hold();
    const report = await reconcileOnce(at(6.5 * DAY), options);
    expect(report.holdAlerts).toBeGreaterThanOrEqual(1);
    expect(report.holdPolicyActions).toBe(0);
    expect((await findAttempt(shop.db, attempt.id))!.state).toBe('approved');
    expect(shop.count('deposit', attempt.gateway_order_id!)).toBe(0);
  });

  it('capture 2 days before the deadline: not earlier, then once, with a timeline entry saying why', async () => {
    await setHoldPolicy(shop.db, { action: 'capture', daysBefore: 2 });
    const attempt = await hold();
    await reconcileOnce(at(4.9 * DAY), options);
    expect(shop.count('deposit', attempt.gateway_order_id!)).toBe(0);
    await reconcileOnce(at(5.1 * DAY), options);
    await reconcileOnce(at(5.2 * DAY), options);
    expect(shop.count('deposit', attempt.gateway_order_id!)).toBe(1);
    expect((await findAttempt(shop.db, attempt.id))!.state).toBe('paid');
    const entries = (await orderTimeline(shop.db, attempt.order_id)).filter((e) => e.kind === 'merchant');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ operation: 'capture', reason: "hold policy: capture 2 d before the bank's deadline" });
  });

  it('cancel 1 day before: the hold is released once', async () => {
    await setHoldPolicy(shop.db, { action: 'cancel', daysBefore: 1 });
    const attempt = await hold();
    // Past the ageing alert's 5 days too: the policy settles the hold, and no alert says it is ageing.
    const first = await reconcileOnce(at(6.1 * DAY), options);
    await reconcileOnce(at(6.2 * DAY), options);
    expect(shop.count('reverse', attempt.gateway_order_id!)).toBe(1);
    expect((await findAttempt(shop.db, attempt.id))!.state).toBe('reversed');
    expect(first).toMatchObject({ holdPolicyActions: 1, holdAlerts: 0 });
  });

  it('a policy that cannot act leaves the hold ageing: then the merchant is alerted', async () => {
    await setHoldPolicy(shop.db, { action: 'cancel', daysBefore: 1 });
    const attempt = await hold();
    // The bank refuses every reverse.do of this order.
    await controlFetch(`${shop.server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'http500', method: 'reverse.do', orderId: attempt.gateway_order_id, times: 0 }),
    });
    try {
      const report = await reconcileOnce(at(6.1 * DAY), options);
      expect((await findAttempt(shop.db, attempt.id))!.state).toBe('approved');
      expect(report.holdAlerts).toBe(1);
    } finally {
      await controlFetch(`${shop.server.url}/sandbox/control/faults`, { method: 'DELETE' });
    }
  });
});
