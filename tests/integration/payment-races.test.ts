// docs/reliability.md #2 and #20: callbacks (any operation, duplicated, out of order), shopper returns,
// order-page polls and reconciler ticks, run in random orders and concurrent groups (fast-check).
// Whatever the interleaving: at most one deposit.do, the state never goes backwards, and the final
// state is the gateway's truth. Real sandbox over HTTP.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { signCallback } from '../../lib/gateway/checksum';
import type { GatewayClient } from '../../lib/gateway/client';
import { receiveCallback, syncAfterCallback } from '../../lib/payments/callbacks';
import { placeOrder } from '../../lib/shop/checkout';
import { findAttempt, latestAttempt, type Attempt } from '../../lib/payments/orders';
import type { AttemptState } from '../../lib/payments/states';
import { reconcileOnce } from '../../lib/payments/reconciler';
import { syncIfStale } from '../../lib/payments/shopper-sync';
import { returnAsTheRouteDoes } from '../helpers/return-route';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';
import { testDialect } from '../helpers/test-database';

const KEY = 'race-callback-key-0123456789abcdef';
const shop = setUpShopHarness();
const { calls } = shop;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, gateway, deps } = shop));

type Action = 'callback:approved' | 'callback:deposited' | 'callback:declinedByTimeout' | 'return' | 'poll' | 'reconcile';
const actions: Action[] = ['callback:approved', 'callback:deposited', 'callback:declinedByTimeout', 'return', 'poll', 'reconcile'];

const scenarios = {
  // The money-moving case gets the 1 000 interleavings of docs/reliability.md #2/#20.
  'two-stage hold': { flow: 'two-stage', card: 'mir-0047', truth: 'paid', deposits: 1, runs: 1000 },
  'one-stage payment': { flow: 'one-stage', card: 'mir-2026', truth: 'paid', deposits: 0, runs: 200 },
  'declined card': { flow: 'two-stage', card: 'mir-1119', truth: 'declined', deposits: 0, runs: 100 },
} as const;
// A fifth of each on PostgreSQL, where every step is several network round trips (as in
// state-machine.test.ts): the same property either way, the 1 000 interleavings run on SQLite.
const share = testDialect === 'postgres' ? 5 : 1;

// Progress of a payment; a later observation may never rank lower than an earlier one.
const rank: Partial<Record<AttemptState, number>> = { awaiting: 0, declined: 0, approved: 1, depositing: 2, paid: 3 };

async function run(action: Action, orderId: string, attempt: Attempt) {
  if (action.startsWith('callback:')) {
    const params = { mdOrder: attempt.gateway_order_id!, orderNumber: attempt.order_number, operation: action.slice(9), status: '1' };
    const result = await receiveCallback(deps, Object.entries({ ...params, checksum: signCallback(params, KEY) }), KEY);
    // No interval between callback syncs: the interleavings, not the coalescing window, are tested
    // here (tests/integration/callback-flood.test.ts covers that); a callback still never syncs
    // twice at once, and is settled only by a sync that began after it arrived.
    if (result.attempt) await syncAfterCallback(deps, result.attempt, 0);
  } else if (action === 'return') {
    await returnAsTheRouteDoes(deps, new URLSearchParams({ order: orderId, orderId: attempt.gateway_order_id! }));
  } else if (action === 'poll') {
    await syncIfStale(deps, orderId, 0);
  } else {
    await reconcileOnce(deps, { minIntervalMs: 0 });
  }
}

describe('interleavings of every sync trigger', () => {
  it.each(Object.keys(scenarios) as (keyof typeof scenarios)[])(
    '%s: one deposit at most, never backwards, ends at the gateway truth',
    async (name) => {
      const scenario = scenarios[name];
      const numRuns = scenario.runs / share;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.constantFrom(...actions), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
          async (groups) => {
            runs++;
            const placed = await placeOrder(deps, {
              cart: [{ slug: 'mug', quantity: 1 }],
              customer: { name: 'Ира', phone: '+79120000003', email: 'ira@example.ru' },
              flow: scenario.flow,
              language: 'ru',
              mobile: true,
            });
            if (!placed.ok) throw new Error(placed.reason);
            await payWithMirPay(placed.formUrl, scenario.card);
            const attempt = (await latestAttempt(db, placed.orderId))!;
            let highest = 0;
            for (const group of groups) {
              // A group runs concurrently; groups run one after another.
              await Promise.all(group.map((action) => run(action, placed.orderId, attempt)));
              const state = (await findAttempt(db, attempt.id))!.state;
              expect(rank[state], `unexpected state ${state}`).toBeDefined();
              expect(rank[state]!).toBeGreaterThanOrEqual(highest);
              highest = rank[state]!;
            }
            const final = (await findAttempt(db, attempt.id))!;
            expect(final.state).toBe(scenario.truth);
            expect(calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === attempt.gateway_order_id)).toHaveLength(
              scenario.deposits,
            );
            if (scenario.truth === 'paid') {
              const status = await gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! });
              expect(status.paymentAmountInfo?.depositedAmount).toBe(79_000);
            }
          },
        ),
        { numRuns },
      );
      expect(runs).toBeGreaterThanOrEqual(numRuns);
      console.info(`${name}: ${runs} interleavings, 0 violations`);
      // Callbacks of one group that arrive during another's sync now wait for it and sync after it
      // (one callback sync per attempt at a time), so a group takes longer than when they overlapped.
    },
    120_000,
  );
});
