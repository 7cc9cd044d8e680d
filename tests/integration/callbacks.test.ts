// Callback notifications at the shop (docs/reliability.md #4, #7, #8, #31): only a checked trigger of
// the sync. Real sandbox over HTTP; notifications built and signed here as the bank does.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { signCallback } from '../../lib/gateway/checksum';
import type { GatewayClient } from '../../lib/gateway/client';
import { receiveCallback, syncAfterCallback } from '../../lib/payments/callbacks';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { findAttempt, latestAttempt, type Attempt } from '../../lib/payments/orders';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const KEY = 'test-callback-key-0123456789abcdef';
const shop = setUpShopHarness();
const { calls } = shop;
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, gateway, deps } = shop));

async function paidHold(flow: PaymentFlow = 'two-stage') {
  const result = await placeOrder(deps, {
    cart: [{ slug: 'honey', quantity: 1 }],
    customer: { name: 'Ян', phone: '+79120000002', email: 'yan@example.ru' },
    flow,
    language: 'ru',
    mobile: true,
  });
  if (!result.ok) throw new Error(result.reason);
  await payWithMirPay(result.formUrl, 'mir-0047');
  return (await latestAttempt(db, result.orderId))!;
}

function notification(attempt: Attempt, operation: string, extra: Record<string, string> = {}, key = KEY): [string, string][] {
  const params = { mdOrder: attempt.gateway_order_id!, orderNumber: attempt.order_number, operation, status: '1', ...extra };
  return Object.entries({ ...params, checksum: signCallback(params, key) });
}

async function deliver(entries: [string, string][]) {
  const result = await receiveCallback(deps, entries, KEY);
  if (result.attempt) await syncAfterCallback(deps, result.attempt);
  return result;
}

const snapshot = () =>
  db.selectFrom('payment_attempts').select(['id', 'state', 'gateway_order_id', 'deposited_amount']).orderBy('id').execute();
const statusReads = (gatewayOrderId: string) =>
  calls.filter((c) => c.operation === 'getOrderStatusExtended' && c.gatewayOrderId === gatewayOrderId).length;

describe('receiving callbacks', () => {
  it('a signed "approved" triggers the sync: one deposit, paid', async () => {
    const attempt = await paidHold();
    const result = await deliver(notification(attempt, 'approved'));
    expect(result).toMatchObject({ verdict: 'accepted', httpStatus: 200 });
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
    expect(calls.filter((c) => c.operation === 'deposit' && c.gatewayOrderId === attempt.gateway_order_id)).toHaveLength(1);
    const stored = await db.selectFrom('payment_callbacks').selectAll().where('attempt_id', '=', attempt.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.params_json).not.toContain('checksum');
  });

  it('#4 forged, truncated, empty, missing or other-key checksums: 4xx, recorded, no gateway call, no change', async () => {
    const attempt = await paidHold();
    const valid = notification(attempt, 'deposited');
    const checksum = valid.find(([name]) => name === 'checksum')![1];
    const without = valid.filter(([name]) => name !== 'checksum');
    const cases: [string, [string, string][], number][] = [
      ['wrong', [...without, ['checksum', `${checksum.slice(0, -1)}${checksum.endsWith('0') ? '1' : '0'}`]], 403],
      ['truncated', [...without, ['checksum', checksum.slice(0, 40)]], 403],
      ['empty', [...without, ['checksum', '']], 401],
      ['missing', without, 401],
      ['other key', notification(attempt, 'deposited', {}, 'another-key-0123456789abcdef'), 403],
      ['changed field', [...without.map(([n, v]): [string, string] => [n, n === 'status' ? '0' : v]), ['checksum', checksum]], 403],
    ];
    const before = await snapshot();
    const reads = statusReads(attempt.gateway_order_id!);
    for (const [label, entries, status] of cases) {
      const result = await receiveCallback(deps, entries, KEY);
      expect(result.httpStatus, label).toBe(status);
      expect(result.attempt, label).toBeUndefined();
    }
    expect(await snapshot()).toEqual(before);
    expect(statusReads(attempt.gateway_order_id!)).toBe(reads);
    // Refused ones keep no parameter, but are linked to the order their mdOrder names.
    const refused = await db
      .selectFrom('payment_callbacks')
      .select('verdict')
      .where('attempt_id', '=', attempt.id)
      .where('refused', '=', 1)
      .execute();
    expect(refused.map((r) => r.verdict).sort()).toEqual(['forged', 'forged', 'forged', 'forged', 'unsigned', 'unsigned']);
  });

  it('with no key configured every notification is refused', async () => {
    const attempt = await paidHold();
    expect(await receiveCallback(deps, notification(attempt, 'approved'), undefined)).toMatchObject({
      verdict: 'disabled',
      httpStatus: 404,
    });
  });

  it('#7 the same valid callback 100×, then a refund: at most one transition each, a replayed "deposited" never reverts it', async () => {
    const attempt = await paidHold('one-stage');
    const deposited = notification(attempt, 'deposited');
    // Replays arriving together share their syncs (lib/payments/callback-sync.ts).
    await Promise.all(Array.from({ length: 100 }, () => deliver(deposited)));
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
    await gateway.refund({ orderId: attempt.gateway_order_id!, amount: 65_000 });
    await deliver(notification(attempt, 'refunded'));
    expect((await findAttempt(db, attempt.id))!.state).toBe('refunded');
    const reads = statusReads(attempt.gateway_order_id!);
    await Promise.all(Array.from({ length: 100 }, () => deliver(deposited)));
    expect((await findAttempt(db, attempt.id))!.state).toBe('refunded');
    // Refunded is final: replays are recorded but cost no gateway call.
    expect(statusReads(attempt.gateway_order_id!)).toBe(reads);
  });

  it('#8 the callback\'s own fields are not trusted: "declined" with amount 1 on a held order still ends paid', async () => {
    const attempt = await paidHold();
    await deliver(notification(attempt, 'declinedByTimeout', { amount: '1', status: '0' }));
    const synced = (await findAttempt(db, attempt.id))!;
    expect(synced.state).toBe('paid');
    expect(synced.deposited_amount).toBe(65_000);
  });

  it('a genuine notification for an order that is not ours is acknowledged and changes nothing', async () => {
    const params = { mdOrder: 'not-ours', orderNumber: 'OTHER-SHOP-1', operation: 'deposited', status: '1' };
    const result = await receiveCallback(deps, Object.entries({ ...params, checksum: signCallback(params, KEY) }), KEY);
    expect(result).toMatchObject({ verdict: 'unknown-order', httpStatus: 200 });
  });

  it('#31 fuzz: 10 000 arbitrary notifications never throw, change no attempt, and only the signed one itself is accepted', async () => {
    const attempt = await paidHold('one-stage');
    await deliver(notification(attempt, 'deposited'));
    const before = await snapshot();
    const valid = Object.fromEntries(notification(attempt, 'deposited'));
    const name = fc.oneof(
      fc.constantFrom('mdOrder', 'orderNumber', 'operation', 'status', 'checksum', 'amount', 'sign_alias'),
      fc.string({ maxLength: 80 }),
    );
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        valid.mdOrder!,
        valid.orderNumber!,
        'deposited',
        'refunded',
        '2',
        '1',
        '',
        'x'.repeat(600),
        valid.checksum!,
        valid.checksum!.toLowerCase(),
      ),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 45 }), async (entries) => {
        const result = await receiveCallback(deps, entries, KEY);
        if (result.verdict === 'accepted') accepted++;
      }),
      { numRuns: 10_000 },
    );
    // Reusing the valid checksum with other parameters can only verify if they are the signed ones.
    expect(await snapshot()).toEqual(before);
    const wronglyAccepted = await db
      .selectFrom('payment_callbacks')
      .select(['params_json'])
      .where('verdict', '=', 'accepted')
      .where('attempt_id', '=', attempt.id)
      .execute();
    expect(wronglyAccepted.length).toBe(1 + accepted);
    for (const row of wronglyAccepted)
      expect(JSON.parse(row.params_json)).toMatchObject({
        mdOrder: valid.mdOrder,
        orderNumber: valid.orderNumber,
        operation: 'deposited',
        status: '1',
      });
  }, 120_000);
});
