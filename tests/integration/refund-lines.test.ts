// The merchant's refund by receipt lines against the real sandbox over HTTP: refund.do carries the
// chosen lines as refundItems (the registered orderBundle's lines), the amount is their sum, a line
// is never refunded beyond what was bought, and the same form sent twice is one refund.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import type { GatewayCallRecord, GatewayClient } from '../../lib/gateway/client';
import { placeOrder } from '../../lib/shop/checkout';
import { runMerchantAction } from '../../lib/payments/merchant-operations';
import { findOrder, latestAttempt } from '../../lib/payments/orders';
import { refundableLines } from '../../lib/payments/refund-lines';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
let calls: GatewayCallRecord[];
beforeAll(() => void ({ db, gateway, deps, calls } = shop));
let keys = 0;
const key = () => `lines-${++keys}-${Date.now()}`;

/** A one-stage order of two mugs (790 ₽ each) and one honey (650 ₽), paid in Mir Pay. */
async function paidOrder() {
  const placed = await placeOrder(deps, {
    cart: [
      { slug: 'mug', quantity: 2 },
      { slug: 'honey', quantity: 1 },
    ],
    customer: { name: 'Ада', phone: '+79120000005', email: 'ada@example.ru' },
    flow: 'one-stage',
    language: 'ru',
    mobile: true,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await payWithMirPay(placed.formUrl, 'mir-0047');
  const attempt = (await latestAttempt(db, placed.orderId))!;
  return { orderId: placed.orderId, attemptId: attempt.id, gatewayOrderId: attempt.gateway_order_id! };
}

describe('refund by receipt lines', () => {
  it('sends the chosen lines as refundItems; the amount is their sum; what is left shrinks', async () => {
    const { orderId, attemptId, gatewayOrderId } = await paidOrder();
    const outcome = await runMerchantAction(deps, orderId, { kind: 'refund-lines', lines: [{ positionId: 1, quantity: 1 }] }, key());
    expect(outcome).toMatchObject({ ok: true, operation: { kind: 'refund', amount: 79_000, state: 'done' } });
    const sent = calls.filter((c) => c.operation === 'refund' && c.gatewayOrderId === gatewayOrderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.request).toMatchObject({
      amount: 79_000,
      refundItems: {
        items: [
          {
            positionId: 1,
            name: expect.any(String),
            quantity: { value: 1, measure: 'шт' },
            itemAmount: 79_000,
            itemCode: 'mug',
            itemPrice: 79_000,
          },
        ],
      },
    });
    const status = await gateway.getOrderStatusExtended({ orderId: gatewayOrderId });
    expect(status.paymentAmountInfo).toMatchObject({ depositedAmount: 223_000, refundedAmount: 79_000 });
    const order = (await findOrder(db, orderId))!;
    expect((await refundableLines(db, order, attemptId)).map((l) => [l.positionId, l.left])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('refuses an empty choice, an unknown line, and more than is left, before any call', async () => {
    const { orderId, gatewayOrderId } = await paidOrder();
    for (const lines of [
      [],
      [{ positionId: 1, quantity: 0 }],
      [{ positionId: 9, quantity: 1 }],
      [{ positionId: 1, quantity: 3 }],
      [{ positionId: 1, quantity: Number.NaN }],
    ]) {
      expect(await runMerchantAction(deps, orderId, { kind: 'refund-lines', lines }, key())).toMatchObject({
        ok: false,
        reason: 'invalid-lines',
      });
    }
    await runMerchantAction(deps, orderId, { kind: 'refund-lines', lines: [{ positionId: 1, quantity: 2 }] }, key());
    expect(await runMerchantAction(deps, orderId, { kind: 'refund-lines', lines: [{ positionId: 1, quantity: 1 }] }, key())).toMatchObject({
      ok: false,
      reason: 'invalid-lines',
    });
    expect(calls.filter((c) => c.operation === 'refund' && c.gatewayOrderId === gatewayOrderId)).toHaveLength(1);
  });

  it('the same form twice, even at once, is one refund.do', async () => {
    const { orderId, gatewayOrderId } = await paidOrder();
    const formKey = key();
    const choice = { kind: 'refund-lines' as const, lines: [{ positionId: 2, quantity: 1 }] };
    const answers = await Promise.all([
      runMerchantAction(deps, orderId, choice, formKey),
      runMerchantAction(deps, orderId, choice, formKey),
    ]);
    expect(answers.some((a) => a.ok)).toBe(true);
    expect(await runMerchantAction(deps, orderId, choice, formKey)).toMatchObject({ ok: true, operation: { amount: 65_000 } });
    expect(calls.filter((c) => c.operation === 'refund' && c.gatewayOrderId === gatewayOrderId)).toHaveLength(1);
    expect((await gateway.getOrderStatusExtended({ orderId: gatewayOrderId })).paymentAmountInfo?.refundedAmount).toBe(65_000);
  });
});
