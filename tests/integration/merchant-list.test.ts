// The console's order list over 10 000 orders: keyset pages cover every order exactly once,
// filters and search find the right rows, and the summary counts what it says.
import type { Insertable } from 'kysely';
import type { PaymentAttemptsTable } from '../../lib/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { openTestDatabase } from '../helpers/test-database';
import { allOrders, listOrders, summary } from '../../lib/console/queries';
import { dailyFigures } from '../../lib/console/daily';
import { normalizePhone } from '../../lib/shop/customer';
import { insertOrderWithAttempt, newOrderNumber } from '../../lib/payments/orders';
import { orderRow } from '../helpers/order-row';

let db: Db;
const N = 10_000;
const states = ['awaiting', 'paid', 'approved', 'declined', 'expired'] as const;

// Loading 10 000 rows takes more than the default 10 s on a busy machine (PostgreSQL, 2 cores).
beforeAll(async () => {
  db = await openTestDatabase();
  const base = Date.UTC(2026, 10, 1);
  for (let start = 0; start < N; start += 500) {
    const orders = [];
    const attempts: Insertable<PaymentAttemptsTable>[] = [];
    for (let i = start; i < start + 500; i++) {
      const id = `order-${String(i).padStart(5, '0')}`;
      // Several orders share a millisecond, so pages must break ties by id.
      const created = base + Math.floor(i / 3) * 1000;
      orders.push({
        id,
        number: `N${i}`,
        flow: i % 2 ? 'two-stage' : 'one-stage',
        amount: 1000 + i,
        currency: '643',
        language: 'ru',
        items_json: '[]',
        customer_name: 'x',
        customer_phone: `+7912${String(i).padStart(7, '0')}`,
        customer_email: `Buyer${i}@Example.ru`,
        created_at: created,
        checkout_key: null,
        cart_spent_at: null,
        // As moveAttempt sets it: the orders whose latest attempt is paid.
        paid_at: i % states.length === 1 ? created : null,
        latest_attempt_no: 2,
        latest_state: states[i % states.length]!,
      });
      attempts.push({
        order_id: id,
        attempt_no: 1,
        order_number: `N${i}-1`,
        state: 'declined',
        gateway_order_id: `gw-${i}-1`,
        form_url: null,
        action_code: null,
        approved_amount: null,
        deposited_amount: null,
        error: null,
        created_at: created,
        updated_at: created,
        synced_at: null,
      });
      // The latest attempt decides the state.
      attempts.push({
        order_id: id,
        attempt_no: 2,
        order_number: `N${i}-2`,
        state: states[i % states.length]!,
        gateway_order_id: `gw-${i}-2`,
        form_url: null,
        action_code: null,
        approved_amount: null,
        deposited_amount: i % states.length === 1 ? 1000 + i : null,
        error: null,
        created_at: created,
        updated_at: created,
        synced_at: null,
      });
    }
    await db.insertInto('orders').values(orders).execute();
    await db.insertInto('payment_attempts').values(attempts).execute();
  }
}, 60_000);
afterAll(() => db.destroy());

describe('order list with 10 000 orders', () => {
  it('pages of 50, newest first, cover every order exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const started = performance.now();
    do {
      const page = await listOrders(db, {}, { cursor, limit: 50 });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    const perPage = (performance.now() - started) / (N / 50);
    expect(seen).toHaveLength(N);
    expect(new Set(seen).size).toBe(N);
    expect(seen[0]).toBe('order-09999');
    console.info(`10 000 orders: ${N / 50} pages, ${perPage.toFixed(1)} ms per page`);
  });

  it("filters by the latest attempt's state; searches by number and by any gateway orderId", async () => {
    const paid = await allOrders(db, { state: 'paid' });
    expect(paid).toHaveLength(N / states.length);
    expect(paid.every((row) => row.attempt_state === 'paid')).toBe(true);
    expect((await listOrders(db, { state: 'held' })).rows.every((row) => row.attempt_state === 'approved')).toBe(true);
    expect((await allOrders(db, { query: 'N1234' })).map((r) => r.number)).toEqual(['N1234']);
    // Either case finds an order number, on both databases.
    expect((await allOrders(db, { query: 'n1234' })).map((r) => r.number)).toEqual(['N1234']);
    expect((await allOrders(db, { query: 'gw-777-1' })).map((r) => r.number)).toEqual(['N777']);
    expect(await allOrders(db, { query: "%' OR 1=1 --" })).toEqual([]);
  });

  it("searches by the customer's phone in any usual spelling and by e-mail in any case; takes a date range", async () => {
    // The console passes the text as checkout would store a phone, when it reads as one.
    const byPhone = (query: string) => allOrders(db, { query, phone: normalizePhone(query) });
    expect((await byPhone('8 (912) 000-12-34')).map((r) => r.number)).toEqual(['N1234']);
    expect((await byPhone('+79120001234')).map((r) => r.number)).toEqual(['N1234']);
    expect((await allOrders(db, { query: 'buyer42@example.RU' })).map((r) => r.number)).toEqual(['N42']);
    expect(await allOrders(db, { query: 'buyer42@example' })).toEqual([]);
    const base = Date.UTC(2026, 10, 1);
    // Orders i = 300…599 were created in [base + 100 s, base + 200 s).
    const range = await allOrders(db, { from: base + 100_000, to: base + 200_000 });
    expect(range).toHaveLength(300);
    expect(range.map((r) => Number(r.number.slice(1))).sort((a, b) => a - b)[0]).toBe(300);
    // The range and the keyset pages together: each order once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOrders(db, { from: base + 100_000, to: base + 200_000, state: 'paid' }, { cursor, limit: 7 });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
    } while (cursor);
    expect(new Set(seen).size).toBe(60);
  });

  it('pages a state of several attempt states and a search found by several lookups as the whole list orders them', async () => {
    // These take the union of several queries (lib/console/queries.ts): the same rows in the same
    // order as filtering the whole list, newest first, page after page.
    const whole = await allOrders(db, {});
    const pages = async (filter: Parameters<typeof listOrders>[1]) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listOrders(db, filter, { cursor, limit: 7 });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.next;
      } while (cursor);
      return seen;
    };
    const awaiting = whole.filter((r) => r.attempt_state === 'awaiting').map((r) => r.id);
    expect(await pages({ state: 'processing' })).toEqual(awaiting);
    expect((await allOrders(db, { state: 'processing' })).map((r) => r.id)).toEqual(awaiting);
    // N12, N120…N129, N1200…N1299 by number; N12 also by its phone (+79120000012) and e-mail.
    const byNumber = whole.filter((r) => r.number.startsWith('N12')).map((r) => r.id);
    expect(byNumber).toHaveLength(111);
    expect(await pages({ query: 'n12' })).toEqual(byNumber);
    expect(await pages({ query: '+79120000012', phone: '+79120000012' })).toEqual(['order-00012']);
    expect(await pages({ query: 'N12', state: 'processing' })).toEqual(byNumber.filter((id) => awaiting.includes(id)));
    const row = whole.find((r) => r.id === 'order-00012')!;
    expect((await listOrders(db, { query: 'BUYER12@example.ru' })).rows).toEqual([row]);
  });

  it('counts the last 30 days day by day: started, paid and their amount', async () => {
    const base = Date.UTC(2026, 10, 1);
    const days = await dailyFigures(db, base);
    expect(days).toHaveLength(30);
    expect(days.slice(0, 29).every((d) => d.started === 0 && d.paid === 0)).toBe(true);
    let amount = 0;
    for (let i = 1; i < N; i += states.length) amount += 1000 + i;
    expect(days[29]).toEqual({ start: base, started: N, paid: N / states.length, amount });
    // A day later, the same orders are yesterday's.
    expect((await dailyFigures(db, base + 86_400_000))[28]).toMatchObject({ started: N, paid: N / states.length });
  });

  it('summary: paid today, conversion and holds', async () => {
    const now = Date.UTC(2026, 10, 2);
    const figures = await summary(db, now, now - 3600_000);
    expect(figures.conversion.started).toBe(N);
    expect(figures.conversion.paid).toBe(N / states.length);
    expect(figures.holds.count).toBe(N / states.length);
    // The fixture's orders span 55 minutes (paid when created): "today" starts half an hour in.
    const dayStart = Date.UTC(2026, 10, 1) + 1800_000;
    const paidSince = (await allOrders(db, { state: 'paid' })).filter((row) => row.created_at >= dayStart);
    const today = await summary(db, now, dayStart);
    expect(today.paidToday.count).toBe(paidSince.length);
    expect(today.paidToday.amount).toBe(paidSince.reduce((sum, row) => sum + 1000 + Number(row.number.slice(1)), 0));
    expect(today.paidToday.count).toBeGreaterThan(0);
  });
});

describe('search by the start of an order number as the shop writes them', () => {
  // Numbers start with their UTC date (YYMMDD-…): six characters or more are read from the
  // number's own index and sorted, not looked for along the created_at index. Same rows, same order.
  let shop: Db;
  const day = Date.UTC(2026, 10, 3);
  beforeAll(async () => {
    shop = await openTestDatabase();
    // Three days, seven orders each, an hour apart, the last two in one millisecond (ties by id).
    for (let d = 0; d < 3; d++)
      for (let i = 0; i < 7; i++) {
        const at = day + d * 86_400_000 + Math.min(i, 5) * 3600_000;
        await insertOrderWithAttempt(shop, orderRow({ id: `order-${d}-${i}`, number: newOrderNumber(at), created_at: at }));
      }
  });
  afterAll(() => shop.destroy());

  it('pages one day’s orders, newest first, and only that day’s', async () => {
    const whole = await allOrders(shop, {});
    const middle = whole.filter((r) => r.id.startsWith('order-1-'));
    expect(middle).toHaveLength(7);
    const date = middle[0]!.number.slice(0, 6);
    for (const query of [date, `${date}-`, date.toLowerCase()]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listOrders(shop, { query }, { cursor, limit: 3 });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.next;
      } while (cursor);
      expect(seen).toEqual(middle.map((r) => r.id));
    }
    const one = middle[3]!;
    expect((await listOrders(shop, { query: one.number.slice(0, 10).toLowerCase() })).rows.map((r) => r.id)).toContain(one.id);
    expect((await listOrders(shop, { query: one.number })).rows).toEqual([one]);
  });
});
