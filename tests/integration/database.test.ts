// Opening the database: the same migrations on SQLite and PostgreSQL, and start-up errors that say
// what is wrong (unreachable, or a schema newer than this code) without leaking the password.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../lib/db/database';
import { generatedSecret } from '../../lib/db/generated-secrets';
import { hasRowLocks } from '../../lib/db/row-locks';
import { openSandboxTables } from '../../lib/sandbox/migrations';
import { freshDatabaseUrl, openDatabaseMigratedTo, testDialect } from '../helpers/test-database';
import { authenticate } from '../../lib/console/users';

const dir = mkdtempSync(path.join(tmpdir(), 'db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UNREACHABLE = 'postgres://shop:s3cret-pw@127.0.0.1:1/shop';

describe(`database (${testDialect})`, () => {
  it('migrates a fresh database to the latest schema, and opening it again changes nothing', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'fresh.sqlite'));
    const first = await openDatabase(url);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(first);
    expect(applied.rows.map((row) => row.name)).toContain('0008_attempt_lookups');
    await first.destroy();
    const again = await openDatabase(url);
    expect((await sql<{ name: string }>`select name from kysely_migration`.execute(again)).rows).toHaveLength(applied.rows.length);
    await again.destroy();
  });

  it('locks rows where there are row locks: on PostgreSQL; not on SQLite, where a transaction holds the whole file', async () => {
    const db = await openDatabase(await freshDatabaseUrl());
    try {
      const expected = testDialect === 'postgres';
      expect(hasRowLocks(db)).toBe(expected);
      // moveAttempt and claimDeposit ask inside their transaction.
      expect(await db.transaction().execute(async (trx) => hasRowLocks(trx))).toBe(expected);
    } finally {
      await db.destroy();
    }
  });

  it('an upgrade keeps the secrets generated before: from the sandbox’s settings into the shop’s', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'upgrade.sqlite'));
    // The database as the previous version left it: the secret in sandbox_settings, 0016 not run.
    const before = await openDatabaseMigratedTo(url, '0015_attempt_state_times');
    await openSandboxTables(before as Db);
    await sql`insert into sandbox_settings (key, value) values ('secret.callback-key', 'kept-from-before')`.execute(before);
    await before.destroy();
    const after = await openDatabase(url);
    expect(await generatedSecret(after, 'callback-key', () => 'a-new-one')).toBe('kept-from-before');
    await after.destroy();
  });

  it('an upgrade to console users: sessions from before name no user (signed out), and MERCHANT_PASSWORD makes the owner', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'users.sqlite'));
    const before = (await openDatabaseMigratedTo(url, '0018_order_latest_state')) as Db;
    await sql`insert into merchant_sessions (id, created_at, expires_at, ended_at) values ('old', 1, ${Date.now() + 3600_000}, null)`.execute(
      before,
    );
    await before.destroy();
    const after = await openDatabase(url);
    expect(await after.selectFrom('merchant_sessions').select('user_id').where('id', '=', 'old').executeTakeFirst()).toEqual({
      user_id: null,
    });
    expect(await authenticate(after, '', 'the old password', 'the old password', Date.now())).toMatchObject({
      login: 'owner',
      role: 'owner',
    });
    expect(await after.selectFrom('audit_log').selectAll().execute()).toEqual([]);
    await after.destroy();
  });

  it('an upgrade fills what orders now keep: paid_at from their timeline, the latest attempt and its state', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'paid-at.sqlite'));
    const before = (await openDatabaseMigratedTo(url, '0016_secrets_in_shop_settings')) as Db;
    const order = { flow: 'one-stage', amount: 100, currency: '643', language: 'ru', items_json: '[]', customer_name: 'x' };
    const contact = { customer_phone: 'x', customer_email: 'x', created_at: 1000, checkout_key: null, cart_spent_at: null };
    await before
      .insertInto('orders')
      .values([
        { id: 'paid', number: 'N1', ...order, ...contact },
        { id: 'open', number: 'N2', ...order, ...contact },
      ])
      .execute();
    const event = { attempt_id: 1, cause: 'return' };
    await before
      .insertInto('payment_events')
      .values([
        { order_id: 'paid', at: 2000, from_state: 'awaiting', to_state: 'paid', ...event },
        { order_id: 'paid', at: 3000, from_state: 'paid', to_state: 'refunded', ...event },
        { order_id: 'open', at: 2000, from_state: 'registering', to_state: 'awaiting', ...event },
      ])
      .execute();
    const attempt = { gateway_order_id: null, form_url: null, action_code: null, approved_amount: null, deposited_amount: null };
    const times = { error: null, created_at: 1000, updated_at: 1000, synced_at: null };
    await before
      .insertInto('payment_attempts')
      .values([
        { order_id: 'paid', attempt_no: 1, order_number: 'N1-1', state: 'declined', ...attempt, ...times },
        { order_id: 'paid', attempt_no: 2, order_number: 'N1-2', state: 'refunded', ...attempt, ...times },
        { order_id: 'open', attempt_no: 1, order_number: 'N2-1', state: 'awaiting', ...attempt, ...times },
      ])
      .execute();
    await before.destroy();
    const after = await openDatabase(url);
    const rows = await after.selectFrom('orders').select(['id', 'paid_at', 'latest_attempt_no', 'latest_state']).orderBy('id').execute();
    expect(rows.map((row) => [row.id, row.paid_at === null ? null : Number(row.paid_at), row.latest_attempt_no, row.latest_state])).toEqual(
      [
        ['open', null, 1, 'awaiting'],
        ['paid', 2000, 2, 'refunded'],
      ],
    );
    await after.destroy();
  });

  it('an upgrade leaves the orders placed before delivery without one, and new orders keep theirs', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'delivery.sqlite'));
    const before = (await openDatabaseMigratedTo(url, '0018_order_latest_state')) as Db;
    const order = { flow: 'one-stage', amount: 100, currency: '643', language: 'ru', items_json: '[]', customer_name: 'x' };
    const contact = { customer_phone: 'x', customer_email: 'x', created_at: 1000, checkout_key: null, cart_spent_at: null, paid_at: null };
    await before
      .insertInto('orders')
      .values({ id: 'old', number: 'N1', ...order, ...contact })
      .execute();
    await before.destroy();
    const after = await openDatabase(url);
    const delivery = JSON.stringify({ method: 'pickup', price: 0 });
    await after
      .insertInto('orders')
      .values({ id: 'new', number: 'N2', ...order, ...contact, delivery_json: delivery })
      .execute();
    const rows = await after.selectFrom('orders').select(['id', 'delivery_json']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'new', delivery_json: delivery },
      { id: 'old', delivery_json: null },
    ]);
    await after.destroy();
  });

  it('the sandbox is a guest: no sandbox table until it is on, then its own migrations make them', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'guest.sqlite'));
    const db = await openDatabase(url);
    // This connection's own schema only (on PostgreSQL every test file has one).
    const schema = testDialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
    const sandboxTables = async () =>
      (await db.introspection.getTables())
        .filter((t) => schema === undefined || t.schema === schema)
        .map((t) => t.name)
        .filter((name) => name.startsWith('sandbox_'))
        .sort();
    expect(await sandboxTables()).toEqual([]);
    await openSandboxTables(db);
    await openSandboxTables(db);
    expect(await sandboxTables()).toEqual([
      'sandbox_callbacks',
      'sandbox_migration',
      'sandbox_migration_lock',
      'sandbox_mirpay_sessions',
      'sandbox_orders',
      'sandbox_refunds',
      'sandbox_requests',
      'sandbox_settings',
    ]);
    await db.destroy();
  });

  it('three instances starting at once on a fresh database migrate it once', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'together.sqlite'));
    const outcomes = await Promise.all([1, 2, 3].map(() => preflight(url)));
    expect(outcomes.map((outcome) => outcome.code)).toEqual([0, 0, 0]);
    const db = await openDatabase(url);
    const rows = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows;
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
    await db.destroy();
  }, 60_000);

  it('refuses a database migrated by a newer version of the shop', async () => {
    const url = await freshDatabaseUrl(path.join(dir, 'newer.sqlite'));
    const db = await openDatabase(url);
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(db);
    await db.destroy();
    await expect(openDatabase(url)).rejects.toThrow(
      /schema is newer than this version of the shop \(it has migration 9999_from_the_future\)/,
    );
  });
});

describe('start-up with an unreachable PostgreSQL', () => {
  it('openDatabase names the database without its password', async () => {
    const error = await openDatabase(UNREACHABLE).catch((e: Error) => e);
    expect(String(error)).toMatch(/cannot reach the database postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/shop: .*ECONNREFUSED/);
    expect(String(error)).not.toContain('s3cret-pw');
  });

  it('npm run preflight exits 1 with one clear line', async () => {
    const result = await preflight(UNREACHABLE);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Start-up failed: cannot reach the database postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/shop/m);
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw');
  });
});

describe('the PostgreSQL test run on a machine without PostgreSQL', () => {
  const run = (extra: Record<string, string>) =>
    promisify(execFile)('node', ['scripts/vitest-postgres.mjs'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEST_POSTGRES_URL: 'postgres://mirpay:pw@127.0.0.1:1/none',
        ...extra,
      },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );

  it('is skipped with a banner that says so', async () => {
    const result = await run({});
    expect(result.code).toBe(0);
    expect(result.output).toContain(
      '⚠ SKIPPED: the integration tests on PostgreSQL. PostgreSQL at postgres://mirpay:***@127.0.0.1:1/none is not reachable',
    );
  });

  it('fails under REQUIRE_POSTGRES=1', async () => {
    const result = await run({ REQUIRE_POSTGRES: '1' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('REQUIRE_POSTGRES=1, so this is a failure');
  });
});

/** scripts/preflight.ts (what `npm start` runs first) as its own process, as an instance would. */
async function preflight(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { NODE_ENV: 'test' as const, PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl };
  return promisify(execFile)('npx', ['tsx', 'scripts/preflight.ts'], { cwd: path.resolve(__dirname, '../..'), env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
