// The database integration tests run on. SQLite in memory by default; in the PostgreSQL run
// (tests/vitest.postgres.mts sets TEST_DATABASE_URL) every opening gets a schema of its own in the
// test database, so test files running in parallel never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { openDatabase, type Db, type Dialect } from '../../lib/db/database';
import { runMigrations } from '../../lib/db/migrations';
import { migrationsFor } from '../../lib/db/shop-migrations';
import { openPostgres } from '../../lib/db/postgres';
import { openSqlite } from '../../lib/db/sqlite';

const postgresUrl = process.env.TEST_DATABASE_URL;

export const testDialect: Dialect = postgresUrl ? 'postgres' : 'sqlite';

/** A fresh, migrated database; destroy it after use. */
export async function openTestDatabase(): Promise<Db> {
  return openDatabase(await freshDatabaseUrl());
}

/**
 * The database at `url` as an earlier version of the shop left it: migrated up to `last` and no
 * further, for upgrade tests (opening it with openDatabase then runs the rest).
 */
export async function openDatabaseMigratedTo(url: string, last: string): Promise<Kysely<unknown>> {
  const db = postgresUrl ? openPostgres<unknown>(url) : openSqlite<unknown>(url);
  const earlier = Object.entries(migrationsFor(testDialect)).filter(([name]) => name <= last);
  await runMigrations(db, testDialect, Object.fromEntries(earlier));
  return db;
}

/** The URL of a fresh, empty database (a new schema on PostgreSQL, ":memory:" on SQLite). */
export async function freshDatabaseUrl(sqliteUrl = ':memory:'): Promise<string> {
  if (!postgresUrl) return sqliteUrl;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
