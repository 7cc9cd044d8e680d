// What the merchant console reads: the order list (filters, search, keyset pagination that stays
// fast with many orders), the summary figures, and one order with its whole story.
import { sql } from 'kysely';
import type { Db } from '../db/database';
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
  let query = filteredOrders(db, filter)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit + 1);
  const cursor = /^(\d+):([\w-]+)$/.exec(options.cursor ?? '');
  if (cursor) {
    // A row comparison: one index range on (created_at, id), where "created_at < x or (= x and
    // id < y)" made PostgreSQL walk the index from the newest order (0.77 s half-way through a million).
    const [at, id] = [Number(cursor[1]), cursor[2]!];
    query = query.where((eb) => eb(eb.refTuple('o.created_at', 'o.id'), '<', eb.tuple(at, id)));
  }
  const rows = (await query.execute()).map(withNumbers);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? `${last.created_at}:${last.id}` : undefined };
}

/** Every row of the filter, for the CSV export. */
export async function allOrders(db: Db, filter: OrderFilter): Promise<OrderRow[]> {
  return (await filteredOrders(db, filter).orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').execute()).map(withNumbers);
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

function filteredOrders(db: Db, filter: OrderFilter) {
  let query = db
    .selectFrom('orders as o')
    // The latest attempt carries the order's state; the order row knows which one it is (kept by
    // the one writer, lib/payments/orders.ts), so filtering by state never looks at other attempts.
    .innerJoin('payment_attempts as a', (join) => join.onRef('a.order_id', '=', 'o.id').onRef('a.attempt_no', '=', 'o.latest_attempt_no'))
    .select(['o.id', 'o.number', 'o.created_at', 'o.amount', 'o.flow', 'o.delivery_json', 'a.state as attempt_state', 'a.gateway_order_id'])
    .select((eb) => {
      const ofOrder = () => eb.selectFrom('payment_attempts as m').whereRef('m.order_id', '=', 'o.id');
      return [
        ofOrder()
          .select((e) => e.fn.coalesce(e.fn.sum<number>('m.deposited_amount'), sql<number>`0`).as('v'))
          .as('captured'),
        ofOrder()
          .select((e) => e.fn.coalesce(e.fn.sum<number>('m.refunded_amount'), sql<number>`0`).as('v'))
          .as('refunded'),
        ofOrder()
          .select((e) => e.fn.countAll<number>().as('v'))
          .where((e) => e.or([e('m.deposited_amount', '>', 0), e('m.state', 'in', ['approved', 'depositing'])]))
          .as('payments'),
      ];
    });
  if (filter.state) query = query.where('o.latest_state', 'in', attemptStatesOf[filter.state]);
  // A range of created_at: the same index range the keyset cursor walks.
  if (filter.from !== undefined) query = query.where('o.created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('o.created_at', '<', filter.to);
  const text = filter.query?.trim();
  if (text) {
    // An order number (or its start), the gateway's orderId of any of its attempts, or the
    // customer's phone or e-mail (whole): the ids of each lookup, each from its own index, rather
    // than an "or" that reads every order.
    // Numbers are upper-case hex: upper-casing the text makes the search case-blind on both
    // databases (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
    const prefix = `${text.toUpperCase().replace(/[%_\\]/g, '')}%`;
    const phone = filter.phone;
    query = query.where('o.id', 'in', (eb) => {
      let ids = eb
        .selectFrom('orders as n')
        .select('n.id')
        .where('n.number', 'like', prefix)
        .unionAll(eb.selectFrom('payment_attempts as g').select('g.order_id as id').where('g.gateway_order_id', '=', text));
      // Checkout stores phones as +7XXXXXXXXXX, so any usual spelling of one finds it.
      if (phone) ids = ids.unionAll(eb.selectFrom('orders as p').select('p.id').where('p.customer_phone', '=', phone));
      if (text.includes('@'))
        ids = ids.unionAll(
          eb
            .selectFrom('orders as e')
            .select('e.id')
            .where(sql<string>`lower(e.customer_email)`, '=', text.toLowerCase()),
        );
      return ids;
    });
  }
  return query;
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
  const paidToday = await db
    .selectFrom('orders as o')
    .innerJoin('payment_attempts as a', 'a.order_id', 'o.id')
    .select((eb) => [
      eb.fn.count<number>('o.id').distinct().as('count'),
      eb.fn.coalesce(eb.fn.sum<number>('a.deposited_amount'), sql<number>`0`).as('amount'),
    ])
    .where('o.paid_at', '>=', dayStart)
    .where('a.state', 'in', ['paid', 'refunded'])
    .executeTakeFirstOrThrow();
  const since = now - 30 * 24 * 3600_000;
  // One scan of the (created_at, paid_at) index: both counts, no table rows.
  const conversion = await db
    .selectFrom('orders')
    .select((eb) => [eb.fn.countAll<number>().as('started'), eb.fn.count<number>('paid_at').as('paid')])
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  const holds = await db
    .selectFrom('payment_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min<number>('updated_at').as('oldest')])
    .where('state', '=', 'approved')
    .executeTakeFirstOrThrow();
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
