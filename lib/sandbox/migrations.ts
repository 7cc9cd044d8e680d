// The sandbox's own tables and the migrations that make them, recorded apart from the shop's
// (sandbox_migration), and run only when the sandbox is on (app/_server/services.ts, the tests'
// sandbox servers): a production database never gets sandbox tables. Databases from before this
// split have the tables already (the shop's 0002 and 0005 made them): each step only creates
// what is missing.
import type { Kysely, Migration } from 'kysely';
import type { Db } from '../db/database';
import { runMigrations } from '../db/migrations';
import { withRowId, type Dialect } from '../db/schema-builders';
import { postgresPoolOf } from '../db/postgres';
import type { SandboxDb } from './schema';

const sandboxMigrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001_tables': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sandbox_orders')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('order_number', 'text', (c) => c.notNull())
        .addColumn('merchant', 'text', (c) => c.notNull())
        .addColumn('two_stage', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('return_url', 'text', (c) => c.notNull())
        .addColumn('fail_url', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('page_view', 'text', (c) => c.notNull())
        .addColumn('json_params', 'text', (c) => c.notNull())
        .addColumn('order_bundle', 'text')
        .addColumn('dynamic_callback_url', 'text')
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('client_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('action_code', 'integer', (c) => c.notNull())
        .addColumn('action_code_description', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('approved_amount', 'bigint', (c) => c.notNull())
        .addColumn('deposited_amount', 'bigint', (c) => c.notNull())
        .addColumn('refunded_amount', 'bigint', (c) => c.notNull())
        .addColumn('payment_way', 'text')
        .addColumn('masked_pan', 'text')
        .addColumn('card_expiration', 'text')
        .addColumn('cardholder_name', 'text')
        .addColumn('payment_system', 'text')
        .addColumn('approval_code', 'text')
        .addColumn('auth_ref_num', 'text')
        .addColumn('payer_ip', 'text')
        .addColumn('authorized_at', 'bigint')
        .addColumn('deposited_at', 'bigint')
        .addColumn('reversed_at', 'bigint')
        .addColumn('refunded_at', 'bigint')
        .addColumn('reverse_used', 'integer', (c) => c.notNull())
        .execute();
      // orderNumber is unique per merchant (docs/gateway-api.md §10).
      await db.schema
        .createIndex('sandbox_orders_number')
        .ifNotExists()
        .on('sandbox_orders')
        .columns(['merchant', 'order_number'])
        .unique()
        .execute();
      await withRowId(db.schema.createTable('sandbox_refunds').ifNotExists(), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sandbox_refunds_order').ifNotExists().on('sandbox_refunds').column('order_id').execute();
      await db.schema
        .createTable('sandbox_mirpay_sessions')
        .ifNotExists()
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('card', 'text')
        .addColumn('answered_at', 'bigint')
        .addColumn('consumed_at', 'bigint')
        .execute();
      await db.schema.createIndex('sandbox_mirpay_order').ifNotExists().on('sandbox_mirpay_sessions').column('order_id').execute();
      await withRowId(db.schema.createTable('sandbox_requests').ifNotExists(), dialect)
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text')
        .addColumn('order_number', 'text')
        .addColumn('error_code', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sandbox_requests_order').ifNotExists().on('sandbox_requests').column('order_id').execute();
      await db.schema
        .createTable('sandbox_settings')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // The outbox of callback notifications (docs/gateway-api.md §8): written on each order
  // transition, delivered and retried by ./callbacks.ts, so a restart loses none.
  '0002_callbacks': {
    async up(db: Kysely<unknown>) {
      await withRowId(db.schema.createTable('sandbox_callbacks').ifNotExists(), dialect)
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('held', 'integer', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('failed_at', 'bigint')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sandbox_callbacks_order').ifNotExists().on('sandbox_callbacks').column('order_id').execute();
      await db.schema.createIndex('sandbox_callbacks_next_at').ifNotExists().on('sandbox_callbacks').column('next_at').execute();
    },
  },
  // What a real status answer carries that the sandbox did not keep: the address the merchant's
  // server called register.do from (transactionAttributes.merchantIp), each refund's reference,
  // approval code, the merchant's externalRefundId and its receipt lines (refundItems).
  '0003_fidelity': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sandbox_orders').addColumn('merchant_ip', 'text').execute();
      await db.schema.alterTable('sandbox_refunds').addColumn('reference_number', 'text').execute();
      await db.schema.alterTable('sandbox_refunds').addColumn('approval_code', 'text').execute();
      await db.schema.alterTable('sandbox_refunds').addColumn('external_refund_id', 'text').execute();
      await db.schema.alterTable('sandbox_refunds').addColumn('items_json', 'text').execute();
      // One refund per externalRefundId and order: a repeated one replays the first (docs/gateway-api.md §10).
      await db.schema
        .createIndex('sandbox_refunds_external_id')
        .unique()
        .on('sandbox_refunds')
        .columns(['order_id', 'external_refund_id'])
        .execute();
    },
  },
});

/**
 * The sandbox's tables in the shop's database, created or brought up to date, and the sandbox's
 * typed view of them: the one place the two database types meet.
 */
export async function openSandboxTables(db: Db): Promise<SandboxDb> {
  const dialect: Dialect = postgresPoolOf(db) ? 'postgres' : 'sqlite';
  await runMigrations(db as Kysely<unknown>, dialect, sandboxMigrations(dialect), {
    migrationTableName: 'sandbox_migration',
    migrationLockTableName: 'sandbox_migration_lock',
    what: 'sandbox',
  });
  return db as unknown as SandboxDb;
}
