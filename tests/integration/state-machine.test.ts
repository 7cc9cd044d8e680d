// The payment core as a state machine, driven at random: sequences (and pairs run together) of
// every trigger against a small model of the bank, while the shopper pays, a try is declined, the
// order expires or the bank reverses a hold by itself. Checked on what the shop wrote:
// - every recorded move is in the transition table, and none goes backwards;
// - at most one deposit.do is sent per hold;
// - once read again, the attempt's state is the bank's.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { shopContext, type ShopContext } from '../../lib/payments/context';
import { runMerchantAction } from '../../lib/payments/merchant-operations';
import { findAttempt, latestAttempt } from '../../lib/payments/orders';
import { canMove, isSecured, type AttemptState } from '../../lib/payments/states';
import { syncAttempt } from '../../lib/payments/sync';
import { reconcileOnce } from '../../lib/payments/reconciler';
import { setCaptureMode } from '../../lib/payments/settings';
import { handleReturn, syncIfStale } from '../../lib/payments/shopper-sync';
import { BANK_ORIGIN, ModelBank, type BankOrder } from '../helpers/model-bank';
import { openTestDatabase, testDialect } from '../helpers/test-database';

const bank = new ModelBank();
let db: Db;
let ctx: ShopContext;
beforeAll(async () => {
  db = await openTestDatabase();
  ctx = shopContext({ db, gateway: bank.client, appUrl: 'http://shop.test', gatewayOrigin: BANK_ORIGIN, log: () => undefined });
});
afterAll(() => db.destroy());

type BankMove = 'pay' | 'declineTry' | 'expire' | 'reverseHold';
type Trigger = 'return' | 'poll' | 'callback' | 'reconciler' | 'merchant read' | 'capture' | 'cancel' | 'refund';
type Step = { bank: BankMove } | { trigger: Trigger } | { together: [Trigger, Trigger] };

const triggers: Trigger[] = ['return', 'poll', 'callback', 'reconciler', 'merchant read', 'capture', 'cancel', 'refund'];
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<BankMove>('pay', 'pay', 'declineTry', 'expire', 'reverseHold').map((move) => ({ bank: move })),
  fc.constantFrom(...triggers).map((trigger) => ({ trigger })),
  fc.tuple(fc.constantFrom(...triggers), fc.constantFrom(...triggers)).map((pair) => ({ together: pair })),
);

/** The bank's order as the shop should come to see it (written out here, not by the code under test). */
function expectedState(order: BankOrder): AttemptState {
  switch (order.status) {
    case 0:
      return order.actionCode === -100 ? 'awaiting' : 'declined';
    case 1:
      return 'approved';
    case 2:
      return 'paid';
    case 3:
      return 'reversed';
    case 4:
      return 'refunded';
    case 6:
      return order.actionCode === -2007 ? 'expired' : 'declined';
  }
}

const BACKWARDS: readonly AttemptState[] = ['registering', 'awaiting', 'declined'];
let keys = 0;
// Fewer on PostgreSQL, where each step is a few network round trips; the same property either way.
const RUNS = testDialect === 'postgres' ? 20 : 60;

async function run(trigger: Trigger, orderId: string, attemptId: number, gatewayOrderId: string, amount: number) {
  const operation = () => `state-machine-${++keys}`;
  switch (trigger) {
    case 'return':
      return handleReturn(ctx, new URLSearchParams({ order: orderId, orderId: gatewayOrderId }));
    case 'poll':
      return syncIfStale(ctx, orderId, 0);
    case 'callback':
      return syncAttempt(ctx, attemptId, 'callback');
    case 'reconciler':
      return reconcileOnce(ctx, { minIntervalMs: 0 });
    case 'merchant read':
      return syncAttempt(ctx, attemptId, 'merchant');
    case 'capture':
      return runMerchantAction(ctx, orderId, { kind: 'capture', amount }, operation());
    case 'cancel':
      return runMerchantAction(ctx, orderId, { kind: 'cancel' }, operation());
    case 'refund':
      return runMerchantAction(ctx, orderId, { kind: 'refund', amount: Math.floor(amount / 2) }, operation());
  }
}

it.each(['one-stage', 'two-stage'] as const)(
  '%s: no backward move, one deposit per hold, and the bank’s state in the end, whatever the triggers',
  async (flow: PaymentFlow) => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('on-return', 'manual') as fc.Arbitrary<'on-return' | 'manual'>,
        async (steps, captureMode) => {
          runs++;
          await setCaptureMode(db, captureMode);
          const placed = await placeOrder(ctx, {
            cart: [{ slug: 'mug', quantity: 1 }],
            customer: { name: 'Ада', phone: '+79120000001', email: 'ada@example.ru' },
            flow,
            language: 'ru',
            mobile: true,
          });
          if (!placed.ok) throw new Error(placed.reason);
          const attempt = (await latestAttempt(db, placed.orderId))!;
          const gatewayOrderId = attempt.gateway_order_id!;
          const bankOrder = bank.orders.get(gatewayOrderId)!;
          const go = (trigger: Trigger) => run(trigger, placed.orderId, attempt.id, gatewayOrderId, bankOrder.amount);
          for (const next of steps) {
            if ('bank' in next) bank[next.bank](gatewayOrderId);
            else if ('trigger' in next) await go(next.trigger);
            else await Promise.all(next.together.map(go));
            expect(bankOrder.depositCalls).toBeLessThanOrEqual(1);
          }
          const events = await db
            .selectFrom('payment_events')
            .select(['from_state', 'to_state'])
            .where('attempt_id', '=', attempt.id)
            .orderBy('id')
            .execute();
          for (const { from_state: from, to_state: to } of events) {
            expect(canMove(from as AttemptState, to as AttemptState), `${from} → ${to}`).toBe(true);
            if (isSecured(from as AttemptState)) expect(BACKWARDS, `${from} → ${to}`).not.toContain(to);
          }
          // Consecutive events chain: the timeline is the attempt's whole history.
          events.forEach((event, i) => i > 0 && expect(event.from_state).toBe(events[i - 1]!.to_state));
          await syncAttempt(ctx, attempt.id, 'merchant');
          const final = (await findAttempt(db, attempt.id))!.state;
          expect(final, JSON.stringify({ steps, captureMode, bank: bankOrder })).toBe(expectedState(bankOrder));
          // The order row mirrors its latest attempt (the console filters by it) and when it was paid.
          const order = await db
            .selectFrom('orders')
            .select(['latest_state', 'paid_at'])
            .where('id', '=', placed.orderId)
            .executeTakeFirstOrThrow();
          expect(order.latest_state).toBe(final);
          const paidEvents = await db
            .selectFrom('payment_events')
            .select('id')
            .where('order_id', '=', placed.orderId)
            .where('to_state', '=', 'paid')
            .execute();
          expect(order.paid_at !== null).toBe(paidEvents.length > 0);
        },
      ),
      { numRuns: RUNS },
    );
    expect(runs).toBe(RUNS);
  },
  120_000,
);
