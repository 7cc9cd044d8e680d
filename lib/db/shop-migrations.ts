// The shop's migrations as code, run on start-up (scripts/preflight.ts) and on first use of a
// database (./migrations.ts runs them). Written with Kysely's schema builder only, so the same list
// runs on SQLite and PostgreSQL; the one difference is how a table numbers its rows.
import { sql, type Kysely, type Migration } from 'kysely';
import { hasTable, withRowId, type Dialect } from './schema-builders';

/** The shop's migrations, in the order they run (their names sort so). */
export const migrationsFor = (dialect: Dialect): Record<string, Migration> => ({
  '0001_gateway_calls': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('gateway_calls'), dialect)
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('order_number', 'text')
        .addColumn('gateway_order_id', 'text')
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'integer')
        .addColumn('http_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('request_json', 'text', (c) => c.notNull())
        .addColumn('response_json', 'text')
        .execute();
      await db.schema.createIndex('gateway_calls_order_id').on('gateway_calls').column('order_id').execute();
      await db.schema.createIndex('gateway_calls_gateway_order_id').on('gateway_calls').column('gateway_order_id').execute();
    },
  },
  '0002_sandbox': { async up() {} },
  '0003_shop_orders': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('flow', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('items_json', 'text', (c) => c.notNull())
        .addColumn('customer_name', 'text', (c) => c.notNull())
        .addColumn('customer_phone', 'text', (c) => c.notNull())
        .addColumn('customer_email', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await withRowId(db.schema.createTable('payment_attempts'), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('attempt_no', 'integer', (c) => c.notNull())
        .addColumn('order_number', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('gateway_order_id', 'text')
        .addColumn('form_url', 'text')
        .addColumn('action_code', 'integer')
        .addColumn('approved_amount', 'bigint')
        .addColumn('deposited_amount', 'bigint')
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('synced_at', 'bigint')
        .execute();
      await db.schema.createIndex('payment_attempts_order').on('payment_attempts').columns(['order_id', 'attempt_no']).unique().execute();
    },
  },
  // One key per rendering of the checkout form: a repeated submit (double tap, back button) finds
  // the order it already created instead of registering a second one.
  '0004_order_checkout_key': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('checkout_key', 'text').execute();
      await db.schema.createIndex('orders_checkout_key').on('orders').column('checkout_key').unique().execute();
    },
  },
  // The sandbox's tables are created by its own migrations (lib/sandbox/migrations.ts), only when
  // it is on; these names stay so that databases that ran them here remain valid.
  '0005_sandbox_callbacks': { async up() {} },
  // Every callback notification the shop receives, valid or not: the merchant's timeline shows
  // them, and a forged one is evidence.
  '0006_payment_callbacks': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('payment_callbacks'), dialect)
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('md_order', 'text')
        .addColumn('order_number', 'text')
        .addColumn('operation', 'text')
        .addColumn('status', 'text')
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('attempt_id', 'integer')
        .addColumn('params_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('payment_callbacks_order_id').on('payment_callbacks').column('order_id').execute();
    },
  },
  // The merchant console: what happened to each payment and why (state changes with their cause),
  // merchant operations recorded before their gateway call, shop settings, amounts captured or
  // refunded by the merchant, and an index for the newest-first order list.
  '0007_merchant_console': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('payment_attempts').addColumn('capture_amount', 'bigint').execute();
      await db.schema.alterTable('payment_attempts').addColumn('refunded_amount', 'bigint').execute();
      await db.schema.createIndex('orders_created_at').on('orders').columns(['created_at', 'id']).execute();
      await withRowId(db.schema.createTable('payment_events'), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('attempt_id', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('from_state', 'text', (c) => c.notNull())
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('payment_events_order_id').on('payment_events').column('order_id').execute();
      await withRowId(db.schema.createTable('merchant_operations'), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('attempt_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('request_key', 'text', (c) => c.notNull().unique())
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('settled_at', 'bigint')
        .execute();
      // One operation in flight per payment: a double click cannot start two.
      await db.schema
        .createIndex('merchant_operations_one_pending')
        .on('merchant_operations')
        .column('attempt_id')
        .unique()
        .where(sql.ref('state'), '=', 'pending')
        .execute();
      await db.schema
        .createTable('shop_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // The shopper's return and the bank's callbacks find an attempt by the gateway's orderId; the
  // reconciler takes open attempts by state, least recently read first.
  '0008_attempt_lookups': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('payment_attempts_gateway_order_id').on('payment_attempts').column('gateway_order_id').execute();
      await db.schema.createIndex('payment_attempts_state_synced').on('payment_attempts').columns(['state', 'synced_at']).execute();
    },
  },
  // Console sessions the server can end (log-out, expiry it decides), and, on PostgreSQL, the abuse
  // limits' counters shared by every instance (the table rate-limiter-flexible's PostgreSQL store
  // expects; SQLite serves one process, whose counters stay in memory).
  '0009_sessions_and_limits': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('merchant_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .execute();
      await db.schema.createIndex('merchant_sessions_expires_at').on('merchant_sessions').column('expires_at').execute();
      if (dialect !== 'postgres') return;
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expire', 'bigint')
        .execute();
    },
  },
  // Refused callback notifications (unsigned, forged, malformed, or any while no key is set) keep
  // only a summary: their size, parameter count and a SHA-256 of the raw parameters, never a value.
  // `refused` marks them for retention (lib/payments/callback-records.ts), by age and by count, on the
  // (refused, id) index. Those stored before kept everything: their values are dropped here.
  '0010_callback_summaries': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('payment_callbacks')
        .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('payment_callbacks').addColumn('byte_size', 'integer').execute();
      await db.schema.alterTable('payment_callbacks').addColumn('params_sha256', 'text').execute();
      await db.schema.alterTable('payment_callbacks').addColumn('param_count', 'integer').execute();
      await sql`update payment_callbacks set refused = 1, params_json = '{}', md_order = null, order_number = null, operation = null, status = null
        where verdict in ('unsigned', 'forged', 'malformed', 'disabled')`.execute(db);
      await db.schema.createIndex('payment_callbacks_refused').on('payment_callbacks').columns(['refused', 'id']).execute();
    },
  },
  // Why an operation was made when the shop made it itself (e.g. giving back a duplicate payment);
  // null for the merchant's own.
  '0012_operation_reason': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('merchant_operations').addColumn('reason', 'text').execute();
    },
  },
  // When the order's goods were paid for (an attempt first moved to approved, depositing or paid):
  // from then on the browser that placed it empties its cart on its next page (proxy.ts). Orders
  // paid before this column existed take the time from their timeline. And when a shopper's
  // return last synced the attempt: returns are throttled against each other only, since a poll
  // or callback that read the status a moment before the shopper paid says nothing about it.
  '0013_cart_follows_money': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('cart_spent_at', 'bigint').execute();
      await sql`update orders set cart_spent_at = (select min(e.at) from payment_events e
        where e.order_id = orders.id and e.to_state in ('approved', 'depositing', 'paid'))`.execute(db);
      await db.schema.alterTable('payment_attempts').addColumn('return_synced_at', 'bigint').execute();
    },
  },
  // The receipt lines a merchant refund names (refundItems), sent again if its outcome must be settled.
  '0014_refund_lines': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('merchant_operations').addColumn('items_json', 'text').execute();
    },
  },
  // With a million orders: the console's "paid today" reads attempts by state and time of change,
  // not every paid attempt ever; the reconciler's claim finds the recent declined attempts by
  // state and creation time, not by scanning all declined ones.
  '0015_attempt_state_times': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('payment_attempts_state_updated').on('payment_attempts').columns(['state', 'updated_at']).execute();
      await db.schema.createIndex('payment_attempts_state_created').on('payment_attempts').columns(['state', 'created_at']).execute();
    },
  },
  // The secrets a deployment generates (lib/db/generated-secrets.ts) move from the sandbox's
  // settings to the shop's: the sandbox's tables are the sandbox's alone. Those already generated
  // are kept (the same API credentials and callback key after the upgrade).
  '0016_secrets_in_shop_settings': {
    async up(db: Kysely<unknown>) {
      if (!(await hasTable(db, dialect, 'sandbox_settings'))) return;
      await sql`insert into shop_settings (key, value) select key, value from sandbox_settings s
        where s.key like 'secret.%' and not exists (select 1 from shop_settings t where t.key = s.key)`.execute(db);
    },
  },
  // When the order was first paid (an attempt reached paid): the console's "paid today" and its
  // 30-day conversion count orders by it from an index, where asking every recent order whether
  // one of its attempts is paid took 0.75 s at a million orders. Orders paid before this column
  // existed take the time from their timeline.
  '0017_order_paid_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('paid_at', 'bigint').execute();
      await sql`update orders set paid_at = (select min(e.at) from payment_events e
        where e.order_id = orders.id and e.to_state = 'paid')`.execute(db);
      await db.schema.createIndex('orders_created_paid').on('orders').columns(['created_at', 'paid_at']).execute();
      await db.schema.createIndex('orders_paid_at').on('orders').column('paid_at').execute();
    },
  },
  // The console's list at a million orders: each order carries its latest attempt's number and
  // state (kept by the one writer), so a state filter is one index range in order, not a look at
  // every order's attempts; and order numbers found by their start from an index on PostgreSQL
  // (text_pattern_ops serves LIKE 'prefix%' whatever the database's collation).
  '0018_order_latest_state': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('orders')
        .addColumn('latest_attempt_no', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable('orders')
        .addColumn('latest_state', 'text', (c) => c.notNull().defaultTo('registering'))
        .execute();
      await sql`update orders set latest_attempt_no = coalesce((select max(a.attempt_no) from payment_attempts a where a.order_id = orders.id), 1)`.execute(
        db,
      );
      await sql`update orders set latest_state = coalesce((select a.state from payment_attempts a
        where a.order_id = orders.id and a.attempt_no = orders.latest_attempt_no), 'registering')`.execute(db);
      await db.schema.createIndex('orders_latest_state').on('orders').columns(['latest_state', 'created_at', 'id']).execute();
      if (dialect === 'postgres') await sql`create index orders_number_prefix on orders (number text_pattern_ops)`.execute(db);
    },
  },
  // Nullable: orders placed before delivery existed had none; nothing to backfill.
  '0019_delivery': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('orders').addColumn('delivery_json', 'text').execute();
    },
  },
  // The e-mails the shop owes, written in the same transaction as the event they tell of (unique
  // per event: written once however often the event is seen), sent from here by lib/mail.
  '0020_mail_outbox': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('mail_outbox'), dialect)
        .addColumn('event_key', 'text', (c) => c.notNull().unique())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_at']).execute();
      await db.schema.createIndex('mail_outbox_order').on('mail_outbox').column('order_id').execute();
    },
  },
  // With the sandbox on and no SMTP_URL, the e-mails land here instead (the demo shows them).
  '0021_mail_catcher': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('mail_catcher'), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('caught_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('mail_catcher_order').on('mail_catcher').column('order_id').execute();
    },
  },
  // The console's people: each with a login, a role and a scrypt hash (lib/console/users.ts). A
  // session names its user; sessions from before users existed name none and stop working.
  '0022_merchant_users': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('merchant_users'), dialect)
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('disabled_at', 'bigint')
        .execute();
      await db.schema.alterTable('merchant_sessions').addColumn('user_id', 'integer').execute();
    },
  },
  // Who did what in the console, from where, and how it ended; read by time (lib/console/audit.ts).
  '0023_audit_log': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('audit_log'), dialect)
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    },
  },
  // The console finds orders by the customer's phone (stored normalised) or e-mail (any case).
  '0024_order_contact_search': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('orders_customer_phone').on('orders').column('customer_phone').execute();
      await sql`create index orders_customer_email on orders (lower(customer_email))`.execute(db);
    },
  },
  // "Find my orders" mails the list in the language of the page it was asked from, which need
  // not be any order's; null on the order e-mails, which follow their order's language.
  '0025_mail_outbox_language': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('mail_outbox').addColumn('language', 'text').execute();
    },
  },
  // What needs a person: ageing holds, amounts the bank disagrees with, an order paid twice, refused
  // callbacks, reconciler errors (lib/alerts). One row per occurrence (alert_key), listed in the
  // console until acknowledged, and delivered to the merchant's webhook from the row itself.
  '0026_alerts': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('alerts'), dialect)
        .addColumn('alert_key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('acknowledged_by', 'text')
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('alerts_open').on('alerts').columns(['acknowledged_at', 'created_at']).execute();
      await db.schema.createIndex('alerts_due').on('alerts').columns(['delivery', 'next_at']).execute();
    },
  },
  // A refund e-mail tells of its own refund: the amount returned then and what stayed paid,
  // written with the event (a later refund may land before the sender composes the earlier one).
  // Null on the other e-mails and on refund e-mails owed before this.
  '0027_mail_outbox_refund': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('mail_outbox').addColumn('refund_amount', 'bigint').execute();
      await db.schema.alterTable('mail_outbox').addColumn('remaining_amount', 'bigint').execute();
    },
  },
});
