// What the merchant console reads: the order list (filters, search, keyset pagination that stays
// fast with many orders), the summary figures, and one order with its whole story.
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import type { Attempt, Order } from '../payments/orders';
import type { AttemptState } from '../payments/states';

/** The merchant's words for a payment's state (finer than the shopper's). */
export type MerchantState = 'processing' | 'held' | 'paid' | 'failed' | 'alert' | 'expired' | 'cancelled' | 'refunded';
export const merchantStates: readonly MerchantState[] = [
  'processing',
  'held',
  'paid',
  'failed',
  'alert',
  'expired',
  'cancelled',
  'refunded',
];

const attemptStatesOf: Record<MerchantState, AttemptState[]> = {
  processing: ['registering', 'awaiting', 'depositing', 'unknown'],
  held: ['approved'],
  paid: ['paid'],
  failed: ['declined', 'register_failed'],
  alert: ['mismatch'],
  expired: ['expired'],
  cancelled: ['reversed'],
  refunded: ['refunded'],
};

export function merchantStateOf(state: AttemptState): MerchantState {
  return merchantStates.find((m) => attemptStatesOf[m].includes(state)) ?? 'processing';
}

export type OrderRow = {
  id: string;
  number: string;
  created_at: number;
  amount: number;
  flow: string;
  attempt_state: AttemptState;
  gateway_order_id: string | null;
  /** Courier with its address, or pickup (lib/payments/order-delivery.ts); null on older orders. */
  delivery_json: string | null;
  /** Over all the order's attempts: two payments of one order are two, never one. */
  captured: number;
  refunded: number;
  /** Attempts the bank took or holds money for (more than 1: a duplicate payment). */
  payments: number;
};

/** `from`/`to`: created in [from, to) (milliseconds); the app turns the merchant's dates into them. */
/** `phone`: the search text as the shop stores phones (+7XXXXXXXXXX), when it reads as one. */
export type OrderFilter = { state?: MerchantState; query?: string; phone?: string; from?: number; to?: number };
export type Page = { rows: OrderRow[]; next?: string };

/** The newest first; `cursor` is the last row of the previous page ("<created_at>:<id>"). */
export async function listOrders(db: Db, filter: OrderFilter, options: { limit?: number; cursor?: string } = {}): Promise<Page> {
  const limit = options.limit ?? 50;
  const cursor = /^(\d+):([\w-]+)$/.exec(options.cursor ?? '');
  const after = cursor ? { at: Number(cursor[1]), id: cursor[2]! } : undefined;
  const rows = (await filteredOrders(db, filter, { after, limit: limit + 1 }).execute()).map(withNumbers);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? `${last.created_at}:${last.id}` : undefined };
}

/** Every row of the filter, for the CSV export. */
export async function allOrders(db: Db, filter: OrderFilter): Promise<OrderRow[]> {
  return (await filteredOrders(db, filter, {}).execute()).map(withNumbers);
}

/** Subquery sums come back as strings or null on some drivers: numbers, always. */
function withNumbers(row: Record<string, unknown>): OrderRow {
  return {
    ...row,
    captured: Number(row.captured ?? 0),
    refunded: Number(row.refunded ?? 0),
    payments: Number(row.payments ?? 0),
  } as OrderRow;
}

type Condition = (eb: ExpressionBuilder<Database & { o: Database['orders'] }, 'o'>) => Expression<SqlBool>;
/**
 * One lookup or range of the filter. `few`: its orders are known to be few, so they are read from
 * their own index and sorted, never looked for along the created_at index (see partsOf).
 */
type Part = { where: Condition; few?: boolean };

/**
 * The filter's orders, newest first: after the keyset cursor `after`, at most `limit` when given.
 * One query when the filter is one index range in order (none, one attempt state, dates, the
 * cursor); otherwise the union of several, each one such range or lookup with the page's order and
 * limit, the page taken from their union: a sort of at most a few pages, whatever the database's size.
 */
function filteredOrders(db: Db, filter: OrderFilter, page: { after?: { at: number; id: string }; limit?: number }) {
  const parts = partsOf(filter);
  if (parts.length === 0) return ordered(withMoney(matching(db, filter, page)), page.limit);
  // Each part as a subquery (SQLite allows no ORDER BY or LIMIT on a member of a UNION); UNION,
  // not UNION ALL: an order found by two lookups is one row.
  const [first, ...rest] = parts.map((part, i) =>
    db.selectFrom(ordered(matching(db, filter, page, part), page.limit).as(`p${i}`)).selectAll(),
  );
  let union = first!;
  for (const member of rest) union = union.union(member);
  // The money of the page's rows only, once the page is known.
  return ordered(withMoney(db.selectFrom(union.as('o')).selectAll('o')), page.limit);
}

/** What the filter splits into; none when it is one index range in order already. */
function partsOf(filter: OrderFilter): Part[] {
  const text = filter.query?.trim();
  if (text) {
    // An order number (or its start), the gateway's orderId of any of its attempts, or the
    // customer's phone or e-mail (whole), each from its own index: an "or" read every order, and
    // ids gathered first (`o.id in (…)`) fetched and joined every order of a day whose number
    // starts with that day's date before sorting them (2 740 a day at a million a year).
    // Numbers are upper-case hex: upper-casing the text makes the search case-blind on both
    // databases (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
    const start = text.toUpperCase().replace(/[%_\\]/g, '');
    // Numbers start with their UTC date (YYMMDD-…), so six characters or more name at most one
    // day's orders. PostgreSQL guessed thousands for a few dozen and walked the created_at index
    // back a year for them (417 ms at a million orders); it gets their own index and a sort.
    const lookups: Part[] = [
      { where: (eb) => eb('o.number', 'like', `${start}%`), few: start.length >= 6 },
      {
        where: (eb) => eb('o.id', 'in', eb.selectFrom('payment_attempts as g').select('g.order_id').where('g.gateway_order_id', '=', text)),
      },
    ];
    // Checkout stores phones as +7XXXXXXXXXX, so any usual spelling of one finds it.
    const phone = filter.phone;
    if (phone) lookups.push({ where: (eb) => eb('o.customer_phone', '=', phone) });
    if (text.includes('@')) lookups.push({ where: (eb) => eb(sql<string>`lower(o.customer_email)`, '=', text.toLowerCase()) });
    return lookups;
  }
  // A merchant state of several attempt states: each its own range of (latest_state, created_at,
  // id) in order, where one "in" range needs all its orders sorted (and PostgreSQL took a parallel
  // sort of 1 000 open orders: 95 ms on a busy machine, for a worker to start).
  const states = filter.state ? attemptStatesOf[filter.state] : [];
  return states.length > 1 ? states.map((state) => ({ where: (eb) => eb('o.latest_state', '=', state) })) : [];
}

/** Newest first; `sort`: by a value no index holds in order, so the rows are read first, then sorted. */
function ordered<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  limit?: number,
  sort = false,
): SelectQueryBuilder<DB, TB, O> {
  const newest = sort ? sql`o.created_at + 0` : sql.ref('o.created_at');
  const sorted = query.orderBy(newest, 'desc').orderBy(sql.ref('o.id'), 'desc');
  return limit === undefined ? sorted : sorted.limit(limit);
}

/** Over all the order's attempts (`o`: the orders of the page). */
function withMoney<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>) {
  return query.select([
    sql<number>`(select coalesce(sum(m.deposited_amount), 0) from payment_attempts m where m.order_id = o.id)`.as('captured'),
    sql<number>`(select coalesce(sum(m.refunded_amount), 0) from payment_attempts m where m.order_id = o.id)`.as('refunded'),
    sql<number>`(select count(*) from payment_attempts m where m.order_id = o.id and (m.deposited_amount > 0 or m.state in ('approved', 'depositing')))`.as(
      'payments',
    ),
  ]);
}

/**
 * The filter's orders with their latest attempt, by state, dates and cursor; with `lookup`, those
 * it finds, the page of them taken in a subquery of their own before the join: PostgreSQL joined
 * every order found (all 2 740 orders of a day whose number starts with its date, at a million a
 * year) to sort them after. Every order has its latest attempt (written in one transaction with
 * it, lib/payments/orders.ts), so the join keeps each row of that page. The LIMIT also keeps the
 * subquery whole (a subquery with one is never merged into the query around it).
 */
function matching(db: Db, filter: OrderFilter, page: { after?: { at: number; id: string }; limit?: number }, lookup?: Part) {
  const plain = db.selectFrom('orders as o');
  const source = lookup
    ? (db.selectFrom(
        ordered(
          restrict(db.selectFrom('orders as o').selectAll('o').where(lookup.where), filter, page),
          page.limit ?? FENCE,
          lookup.few,
        ).as('o'),
      ) as unknown as typeof plain)
    : plain;
  const query = source
    // The latest attempt carries the order's state; the order row knows which one it is (kept by
    // the one writer, lib/payments/orders.ts), so filtering by state never looks at other attempts.
    .innerJoin('payment_attempts as a', (join) => join.onRef('a.order_id', '=', 'o.id').onRef('a.attempt_no', '=', 'o.latest_attempt_no'))
    .select([
      'o.id',
      'o.number',
      'o.created_at',
      'o.amount',
      'o.flow',
      'o.delivery_json',
      'a.state as attempt_state',
      'a.gateway_order_id',
    ]);
  return lookup ? query : restrict(query, filter, page);
}

/** Far above any number of orders: a LIMIT that limits nothing (SQLite has no LIMIT ALL). */
const FENCE = 2 ** 53 - 1;

/** The filter's conditions on the orders `o`: state, dates, the keyset cursor. */
function restrict<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: OrderFilter,
  page: { after?: { at: number; id: string } },
): SelectQueryBuilder<DB, TB, O> {
  let restricted = query;
  if (filter.state) restricted = restricted.where(sql<SqlBool>`o.latest_state in (${sql.join(attemptStatesOf[filter.state])})`);
  // A range of created_at: the same index range the keyset cursor walks.
  if (filter.from !== undefined) restricted = restricted.where(sql<SqlBool>`o.created_at >= ${filter.from}`);
  if (filter.to !== undefined) restricted = restricted.where(sql<SqlBool>`o.created_at < ${filter.to}`);
  const after = page.after;
  // A row comparison: one index range on (created_at, id), where "created_at < x or (= x and
  // id < y)" made PostgreSQL walk the index from the newest order (0.77 s half-way through a million).
  if (after) restricted = restricted.where(sql<SqlBool>`(o.created_at, o.id) < (${after.at}, ${after.id})`);
  return restricted;
}

export type Summary = {
  paidToday: { count: number; amount: number };
  /** Orders started and paid in the last 30 days. */
  conversion: { started: number; paid: number };
  holds: { count: number; oldestAt: number | null };
};

/**
 * `dayStart` is the start of today in the merchant's time zone (the app passes Moscow's). Orders
 * are counted by `orders.paid_at` (set by the one writer when an attempt first reaches paid), so
 * each figure is one index range: with a million orders none of them asks every recent order
 * about its attempts.
 */
export async function summary(db: Db, now: number, dayStart: number): Promise<Summary> {
  const since = now - 30 * 24 * 3600_000;
  // Three independent reads: on PostgreSQL each on a connection of its own, at once.
  const [paidToday, conversion, holds] = await Promise.all([
    db
      .selectFrom('orders as o')
      .innerJoin('payment_attempts as a', 'a.order_id', 'o.id')
      .select((eb) => [
        eb.fn.count<number>('o.id').distinct().as('count'),
        eb.fn.coalesce(eb.fn.sum<number>('a.deposited_amount'), sql<number>`0`).as('amount'),
      ])
      .where('o.paid_at', '>=', dayStart)
      .where('a.state', 'in', ['paid', 'refunded'])
      .executeTakeFirstOrThrow(),
    // One scan of the (created_at, paid_at) index: both counts, no table rows.
    db
      .selectFrom('orders')
      .select((eb) => [eb.fn.countAll<number>().as('started'), eb.fn.count<number>('paid_at').as('paid')])
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('payment_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min<number>('updated_at').as('oldest')])
      .where('state', '=', 'approved')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    paidToday: { count: Number(paidToday.count), amount: Number(paidToday.amount) },
    conversion: { started: Number(conversion.started), paid: Number(conversion.paid) },
    holds: { count: Number(holds.count), oldestAt: holds.oldest === null ? null : Number(holds.oldest) },
  };
}

/**
 * Money per attempt, added up: an order paid twice (two attempts secured at the bank) shows both
 * payments and both give-backs, never one. Held counts only holds still open.
 */
export function moneyOf(attempts: readonly Attempt[]): { held: number; captured: number; refunded: number } {
  let held = 0;
  let captured = 0;
  let refunded = 0;
  for (const attempt of attempts) {
    if (attempt.state === 'approved' || attempt.state === 'depositing') held += attempt.approved_amount ?? 0;
    captured += attempt.deposited_amount ?? 0;
    refunded += attempt.refunded_amount ?? 0;
  }
  return { held, captured, refunded };
}

export type OrderDetail = { order: Order; attempts: Attempt[] };

export async function orderDetail(db: Db, id: string): Promise<OrderDetail | undefined> {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!order) return undefined;
  const attempts = await db.selectFrom('payment_attempts').selectAll().where('order_id', '=', id).orderBy('attempt_no').execute();
  return { order, attempts };
}
