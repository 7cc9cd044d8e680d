// The callback route must not be a lever for storage or for gateway calls. Real sandbox over HTTP,
// notifications built as an attacker would: unsigned junk near the size limit, and replays of one
// genuine notification. Runs on SQLite and on PostgreSQL (two instances sharing the database).
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { signCallback } from '../../lib/gateway/checksum';
import type { GatewayClient } from '../../lib/gateway/client';
import { receiveCallback, syncAfterCallback } from '../../lib/payments/callbacks';
import { placeOrder, type PaymentFlow } from '../../lib/shop/checkout';
import { findAttempt, latestAttempt, type Attempt } from '../../lib/payments/orders';
import { orderTimeline } from '../../lib/console/timeline';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const KEY = 'flood-callback-key-0123456789abcdef';
const shop = setUpShopHarness();
let db: Db;
let gateway: GatewayClient;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, gateway, deps } = shop));

async function placed(flow: PaymentFlow = 'one-stage') {
  const result = await placeOrder(deps, {
    cart: [{ slug: 'mug', quantity: 1 }],
    customer: { name: 'Лев', phone: '+79120000009', email: 'lev@example.ru' },
    flow,
    language: 'ru',
    mobile: true,
  });
  if (!result.ok) throw new Error(result.reason);
  return { formUrl: result.formUrl, attempt: (await latestAttempt(db, result.orderId))! };
}

function signed(attempt: Attempt, operation: string): [string, string][] {
  const params = { mdOrder: attempt.gateway_order_id!, orderNumber: attempt.order_number, operation, status: '1' };
  return Object.entries({ ...params, checksum: signCallback(params, KEY) });
}

/** 26 padding parameters of 500 characters: within the parser's limits, over 13 KB in all. */
function junk(n: number, mdOrder = `junk-${n}`): [string, string][] {
  const padding = Array.from({ length: 26 }, (_, i): [string, string] => [`x${i}`, `${'Z'.repeat(490)}${String(n).padStart(10, '0')}`]);
  return [['mdOrder', mdOrder], ['orderNumber', `JUNK-${n}`], ['operation', 'deposited'], ['status', '1'], ...padding];
}

/** Every column of every row, as the table holds it. */
async function stored() {
  const rows = await db.selectFrom('payment_callbacks').selectAll().execute();
  return { rows: rows.length, bytes: rows.reduce((sum, row) => sum + Buffer.byteLength(JSON.stringify(row)), 0) };
}

const refusedLines = () => shop.logs.filter((line) => line.includes('"event":"callback.refused"'));
const statusReads = (attempt: Attempt) => shop.count('getOrderStatusExtended', attempt.gateway_order_id!);

describe('refused notifications: a bounded summary each, pruned, counted in aggregated log lines', () => {
  it('1 000 unsigned 13 KB notifications add about 200 bytes each, and not one of their values', async () => {
    const before = await stored();
    const linesBefore = refusedLines().length;
    expect(new URLSearchParams(junk(999)).toString().length).toBeGreaterThan(13_000);
    for (let n = 0; n < 1000; n++) expect(await receiveCallback(deps, junk(n), KEY)).toEqual({ verdict: 'unsigned', httpStatus: 401 });
    const after = await stored();
    console.info(
      `1 000 unsigned 13 KB callbacks → +${after.rows - before.rows} rows, +${after.bytes - before.bytes} bytes in payment_callbacks`,
    );
    expect(after.rows - before.rows).toBe(1000);
    expect((after.bytes - before.bytes) / 1000).toBeLessThan(400);

    const rows = await db
      .selectFrom('payment_callbacks')
      .selectAll()
      .where('verdict', '=', 'unsigned')
      .orderBy('id', 'desc')
      .limit(1000)
      .execute();
    const text = JSON.stringify(rows);
    for (const value of ['junk-', 'JUNK-', 'ZZZZ', 'deposited', 'mdOrder', 'x25']) expect(text).not.toContain(value);
    const last = rows[0]!;
    const raw = new URLSearchParams(junk(999)).toString();
    expect(last).toMatchObject({
      byte_size: Buffer.byteLength(raw),
      param_count: 30,
      params_sha256: createHash('sha256').update(raw).digest('hex'),
    });

    // The first refusal is logged at once; the other 999 wait for the period's end, in one line.
    const lines = refusedLines().slice(linesBefore);
    expect(lines.length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('malformed ones keep only their size, hash and parameter count', async () => {
    const entries: [string, string][] = [
      ['mdOrder', 'x'.repeat(600)],
      ['secret-name', 'secret-value'],
    ];
    expect(await receiveCallback(deps, entries, KEY)).toEqual({ verdict: 'malformed', httpStatus: 400 });
    const row = (await db
      .selectFrom('payment_callbacks')
      .selectAll()
      .where('verdict', '=', 'malformed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow())!;
    expect(JSON.stringify(row)).not.toMatch(/secret|xxxx/);
    expect(row).toMatchObject({ param_count: 2, order_id: null, params_json: '{}' });
  });

  it('a refusal count is written at once, then at most one line per period with the counts', async () => {
    const lines: string[] = [];
    const quick = {
      ...deps,
      log: (event: string, fields?: object) => void lines.push(JSON.stringify({ event, ...fields })),
      refusalLogIntervalMs: 300,
    };
    const started = Date.now();
    for (let n = 0; n < 50; n++) await receiveCallback(quick, junk(n), n % 2 ? undefined : KEY);
    const loopMs = Date.now() - started;
    expect(lines.length).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const refused = lines.map((line) => JSON.parse(line) as { event: string; counts: Record<string, number>; sinceMs: number });
    expect(refused[0]).toEqual({ event: 'callback.refused', counts: { unsigned: 1 }, sinceMs: 0 });
    expect(refused.length).toBeLessThanOrEqual(2 + Math.ceil(loopMs / 300));
    const total = (verdict: string) => refused.reduce((sum, line) => sum + (line.counts[verdict] ?? 0), 0);
    expect({ unsigned: total('unsigned'), disabled: total('disabled') }).toEqual({ unsigned: 25, disabled: 25 });
  });

  it('retention: refused rows beyond the cap, or older than their age, are deleted; genuine ones stay', async () => {
    const { attempt } = await placed();
    await receiveCallback(deps, signed(attempt, 'approved'), KEY);
    const genuine = () => db.selectFrom('payment_callbacks').select('id').where('verdict', 'in', ['accepted', 'unknown-order']).execute();
    const genuineBefore = (await genuine()).length;
    const refusedRows = async () =>
      (await db.selectFrom('payment_callbacks').select('id').where('verdict', 'not in', ['accepted', 'unknown-order']).execute()).length;
    const capped = { ...deps, refusedRetention: { maxAgeMs: 7 * 24 * 3600_000, maxRows: 50, pruneEvery: 10, pruneAfterMs: 3600_000 } };
    for (let n = 0; n < 200; n++) await receiveCallback(capped, junk(n), KEY);
    const afterCap = await refusedRows();
    console.info(`retention: at most 50 refused rows kept (+ up to 10 between prunes): ${afterCap}`);
    expect(afterCap).toBeGreaterThanOrEqual(50);
    expect(afterCap).toBeLessThanOrEqual(60);

    const eightDaysLater = { ...capped, clock: () => Date.now() + 8 * 24 * 3600_000 };
    await receiveCallback(eightDaysLater, junk(1), KEY);
    expect(await refusedRows()).toBe(1);
    expect((await genuine()).length).toBe(genuineBefore);
  });

  it("the merchant's timeline shows a refused notification naming an order by its verdict and size, and genuine ones as before", async () => {
    const { attempt } = await placed();
    const forged = signed(attempt, 'deposited').map(([name, value]): [string, string] => [name, name === 'status' ? '2' : value]);
    expect((await receiveCallback(deps, forged, KEY)).verdict).toBe('forged');
    expect((await receiveCallback(deps, signed(attempt, 'approved'), KEY)).verdict).toBe('accepted');
    const callbacks = (await orderTimeline(db, attempt.order_id)).filter((entry) => entry.kind === 'callback');
    expect(callbacks).toEqual([
      expect.objectContaining({
        verdict: 'forged',
        operation: null,
        status: null,
        bytes: Buffer.byteLength(new URLSearchParams(forged).toString()),
      }),
      expect.objectContaining({ verdict: 'accepted', operation: 'approved', status: '1' }),
    ]);
  });
});

describe('replays of a genuine notification: coalesced per attempt, no change missed', () => {
  it('200 replays, concurrent then in a burst, through two instances: at most 2–3 status reads, and the attempt ends paid', async () => {
    const { formUrl, attempt } = await placed();
    // Paid at the bank; the shop learns it only from the notification.
    await payWithMirPay(formUrl, 'mir-0047');
    const other = { ...deps, db: await shop.openAnotherInstance() };
    const readsBefore = statusReads(attempt);
    const deposited = signed(attempt, 'deposited');
    const deliver = async (n: number) => {
      const via = n % 2 ? other : deps;
      const result = await receiveCallback(via, deposited, KEY);
      expect(result.httpStatus).toBe(200);
      // Answered at once; the sync it triggers settles later.
      return { settled: syncAfterCallback(via, result.attempt!) };
    };
    const started = Date.now();
    const answered = await Promise.all(Array.from({ length: 100 }, (_, n) => deliver(n)));
    for (let n = 0; n < 100; n++) answered.push(await deliver(n));
    const burstMs = Date.now() - started;
    await Promise.all(answered.map((a) => a.settled));
    const reads = statusReads(attempt) - readsBefore;
    console.info(`200 replayed callbacks in ${burstMs} ms → ${reads} getOrderStatusExtended.do`);
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(2 + Math.floor(burstMs / 3000));
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
  }, 60_000);

  it('a notification arriving while a sync is in flight, announcing what that sync did not see, leads to one trailing sync that moves the attempt', async () => {
    const { formUrl, attempt } = await placed();
    const later: Promise<void>[] = [];
    let first = true;
    // The first status read answers "awaiting"; right after it, and before the sync applies it,
    // the shopper pays (the bank deposits) and the bank's notifications arrive, replayed 50 times.
    const slowToApply: GatewayClient = {
      ...gateway,
      getOrderStatusExtended: async (request, context) => {
        const status = await gateway.getOrderStatusExtended(request, context);
        if (first) {
          first = false;
          await payWithMirPay(formUrl, 'mir-0047');
          for (let n = 0; n < 50; n++) {
            const result = await receiveCallback(gated, signed(attempt, 'deposited'), KEY);
            later.push(syncAfterCallback(gated, result.attempt!));
          }
        }
        return status;
      },
    };
    const gated = { ...deps, gateway: slowToApply };
    const readsBefore = statusReads(attempt);
    const result = await receiveCallback(gated, signed(attempt, 'approved'), KEY);
    await syncAfterCallback(gated, result.attempt!);
    // The in-flight sync saw the order unpaid, and left it so.
    expect((await findAttempt(db, attempt.id))!.state).toBe('awaiting');
    await Promise.all(later);
    expect((await findAttempt(db, attempt.id))!.state).toBe('paid');
    expect(statusReads(attempt) - readsBefore).toBe(2);
  }, 30_000);
});
