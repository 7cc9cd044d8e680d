// Orders generated in bulk inside PostgreSQL (generate_series), not through HTTP: a million orders
// through the checkout would take hours, and the point is what the console, the reconciler and the
// return route cost once the tables are that big. Each generated order has what a real one leaves
// behind: the order, one payment attempt, two timeline events and two gateway calls (register and
// status, their JSON about the size the shop logs), spread over the past year, newest today.
import { sql } from 'kysely';
import type { Db } from '../../lib/db/database';

const DAY_MS = 24 * 3600_000;
/** Distinct customers' phones: at a million orders, 10 orders each (the console searches by phone from an index). */
const CUSTOMERS = 100_000;
const SPAN_MS = 365 * DAY_MS;

/** The shop's cart as items_json stores it (lib/payments/orders.ts): two products, 3 items. */
const ITEMS_JSON = JSON.stringify([
  { slug: 'mug', name: 'Кружка', price: 89000, quantity: 2, total: 178000 },
  { slug: 'honey', name: 'Мёд', price: 65000, quantity: 1, total: 65000 },
]);
// What the gateway-call log keeps: the masked request, the answer.
const REGISTER_REQUEST = JSON.stringify({
  userName: 'shop-api',
  password: '***',
  amount: 243000,
  currency: '643',
  returnUrl: 'https://shop.example/checkout/return?order=ORDER',
  failUrl: 'https://shop.example/checkout/return?order=ORDER',
  pageView: 'MOBILE',
  language: 'ru',
  description: 'Заказ NUMBER: товаров 3',
  jsonParams: '{"shopOrderId":"ORDER"}',
  orderBundle:
    '{"cartItems":{"items":[{"positionId":1,"name":"Кружка","quantity":{"value":2,"measure":"шт"},"itemAmount":178000,"itemCode":"mug","itemPrice":89000},{"positionId":2,"name":"Мёд","quantity":{"value":1,"measure":"шт"},"itemAmount":65000,"itemCode":"honey","itemPrice":65000}]}}',
});
const REGISTER_RESPONSE = JSON.stringify({
  orderId: 'GATEWAY',
  formUrl: 'https://bank.example/payment/merchants/shop/mobile_payment_ru.html?mdOrder=GATEWAY',
});
const STATUS_REQUEST = JSON.stringify({ userName: 'shop-api', password: '***', orderId: 'GATEWAY' });
const STATUS_RESPONSE = JSON.stringify({
  errorCode: '0',
  errorMessage: 'Успешно',
  orderNumber: 'NUMBER-1',
  orderStatus: 2,
  actionCode: 0,
  actionCodeDescription: '',
  amount: 243000,
  currency: '643',
  date: 1700000000000,
  orderDescription: 'Заказ NUMBER: товаров 3',
  ip: '10.0.0.1',
  merchantOrderParams: [{ name: 'shopOrderId', value: 'ORDER' }],
  attributes: [{ name: 'mdOrder', value: 'GATEWAY' }],
  cardAuthInfo: {
    maskedPan: '220000**0053',
    expiration: '203412',
    cardholderName: 'IVAN PETROV',
    approvalCode: '123456',
    paymentSystem: 'MIR',
  },
  paymentAmountInfo: { paymentState: 'DEPOSITED', approvedAmount: 243000, depositedAmount: 243000, refundedAmount: 0 },
});

/**
 * Adds orders `from`..`to` (1-based sequence numbers, so calls can be chained in batches) ending
 * at `now`: the order numbered `total` is created at `now`, the first a year before. States: 86 %
 * paid, 6 % declined, 6 % expired, 2 % refunded, all final (nothing for the reconciler). Numbers are
 * YYMMDD-XXXXXXXX as newOrderNumber's, unique by the sequence number. Phones are CUSTOMERS'
 * (a customer's orders spread over the year), e-mails each order's own.
 */
export async function generateOrders(db: Db, from: number, to: number, total: number, now: number): Promise<void> {
  const start = now - SPAN_MS;
  const ORDER_NUMBER = sql`to_char(to_timestamp((${start}::bigint + i * ${SPAN_MS}::bigint / ${total}) / 1000), 'YYMMDD') || '-' || upper(lpad(to_hex(i), 8, '0'))`;
  const before = Number((await sql<{ id: number | null }>`select max(id) as id from payment_attempts`.execute(db)).rows[0]?.id ?? 0);
  await sql`
    insert into orders (id, number, flow, amount, currency, language, items_json, customer_name, customer_phone, customer_email, created_at, checkout_key, cart_spent_at, paid_at, latest_state)
    select g.id, g.number, case when g.i % 4 = 0 then 'two-stage' else 'one-stage' end, 243000, '643', case when g.i % 5 = 0 then 'en' else 'ru' end,
      ${ITEMS_JSON}, 'Иван Петров', '+7900' || lpad((g.i % ${CUSTOMERS})::text, 7, '0'), 'ivan' || g.i || '@example.com', g.at, g.id || 'k', case when g.state in ('paid', 'refunded') then g.at + 60000 end,
      case when g.state in ('paid', 'refunded') then g.at + 60000 end, g.state
    from (select i, ${start}::bigint + (i * ${SPAN_MS}::bigint / ${total}) as at, ${ORDER_ID} as id, ${ORDER_NUMBER} as number, ${STATE} as state
          from generate_series(${from}::bigint, ${to}::bigint) as i) g`.execute(db);
  await sql`
    insert into payment_attempts (order_id, attempt_no, order_number, state, gateway_order_id, form_url, action_code, approved_amount, deposited_amount, refunded_amount, error, created_at, updated_at, synced_at)
    select g.id, 1, g.number || '-1', g.state, g.gw, 'https://bank.example/payment/merchants/shop/mobile_payment_ru.html?mdOrder=' || g.gw,
      case when g.state = 'declined' then 116 else 0 end,
      case when g.state in ('paid', 'refunded') then 243000 end, case when g.state in ('paid', 'refunded') then 243000 end, case when g.state = 'refunded' then 243000 end,
      null, g.at, g.at + 60000, g.at + 60000
    from (select i, ${start}::bigint + (i * ${SPAN_MS}::bigint / ${total}) as at, ${ORDER_ID} as id, ${ORDER_NUMBER} as number, ${STATE} as state, ${GATEWAY_ID} as gw
          from generate_series(${from}::bigint, ${to}::bigint) as i) g`.execute(db);
  await sql`
    insert into payment_events (order_id, attempt_id, at, from_state, to_state, cause)
    select a.order_id, a.id, a.created_at + e.n * 30000, case e.n when 1 then 'registering' else 'awaiting' end, case e.n when 1 then 'awaiting' else a.state end,
      case e.n when 1 then 'checkout' else 'return' end
    from payment_attempts a cross join (values (1), (2)) as e(n)
    where a.id > ${before}`.execute(db);
  await sql`
    insert into gateway_calls (operation, order_id, order_number, gateway_order_id, attempt, started_at, duration_ms, outcome, error_code, http_status, error, request_json, response_json)
    select c.op, a.order_id, a.order_number, a.gateway_order_id, 1, a.created_at + c.n * 30000, 150, 'ok', 0, 200, null,
      replace(replace(c.req, 'ORDER', a.order_id), 'GATEWAY', a.gateway_order_id), replace(replace(replace(c.res, 'ORDER', a.order_id), 'GATEWAY', a.gateway_order_id), 'NUMBER', a.order_number)
    from payment_attempts a cross join (values (0, 'register', ${REGISTER_REQUEST}, ${REGISTER_RESPONSE}), (1, 'getOrderStatusExtended', ${STATUS_REQUEST}, ${STATUS_RESPONSE})) as c(n, op, req, res)
    where a.id > ${before}`.execute(db);
}

/**
 * `count` attempts still open (awaiting the shopper, the last minutes' orders), each read by the
 * reconciler `syncedAgoMs` ago: the tick finds them and, within its interval, reads none again.
 */
export async function generateOpenAttempts(db: Db, count: number, now: number, syncedAgoMs: number): Promise<void> {
  await sql`
    insert into orders (id, number, flow, amount, currency, language, items_json, customer_name, customer_phone, customer_email, created_at, checkout_key, latest_state)
    select 'open-' || i || '-' || md5(i::text), 'OPEN-' || i, 'one-stage', 243000, '643', 'ru', ${ITEMS_JSON}, 'Иван Петров', '+79001234567', 'open' || i || '@example.com', ${now}::bigint - i * 100, 'open-k-' || i, 'awaiting'
    from generate_series(1, ${count}::int) as i`.execute(db);
  await sql`
    insert into payment_attempts (order_id, attempt_no, order_number, state, gateway_order_id, form_url, created_at, updated_at, synced_at)
    select 'open-' || i || '-' || md5(i::text), 1, 'OPEN-' || i || '-1', 'awaiting', 'open-gw-' || i, 'https://bank.example/pay?mdOrder=open-gw-' || i,
      ${now}::bigint - i * 100, ${now}::bigint - i * 100, ${now - syncedAgoMs}::bigint
    from generate_series(1, ${count}::int) as i`.execute(db);
}

// A 22-character id, as base64url of 128 random bits (lib/payments/orders.ts), scattered as real ids are.
const ORDER_ID = sql`translate(substr(encode(decode(md5('order' || i), 'hex'), 'base64'), 1, 22), '+/', '-_')`;
const GATEWAY_ID = sql`md5('gateway' || i)::uuid::text`;
const STATE = sql`case when i % 50 = 7 then 'refunded' when i % 50 < 3 then 'declined' when i % 50 < 6 then 'expired' else 'paid' end`;

/** On-disk size of the shop's tables (indexes and TOAST included) in the current schema, in bytes. */
export async function shopTableBytes(db: Db): Promise<number> {
  const row = await sql<{ bytes: string | number }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and c.relname in ('orders', 'payment_attempts', 'payment_events', 'gateway_calls')`.execute(
    db,
  );
  return Number(row.rows[0]?.bytes ?? 0);
}
