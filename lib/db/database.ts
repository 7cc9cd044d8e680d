// The shop's database: SQLite by default (a file under .data/, or ":memory:" for tests), or
// PostgreSQL when DATABASE_URL is postgres://… (several instances, README "PostgreSQL"). One Kysely
// schema and one set of queries for both; opened, checked and migrated on first use.
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from './migrations';
import type { Dialect } from './schema-builders';
import { isPostgresUrl, openPostgres, redactedUrl, type PostgresOptions } from './postgres';
import type { Database } from './schema';
import { openSqlite } from './sqlite';

export type Db = Kysely<Database>;
export type { Dialect };

function dialectOf(databaseUrl: string): Dialect {
  return isPostgresUrl(databaseUrl) ? 'postgres' : 'sqlite';
}

/** How the database is named in logs: never with its password. */
export function describeDatabase(databaseUrl: string): string {
  return isPostgresUrl(databaseUrl) ? redactedUrl(databaseUrl) : databaseUrl;
}

export async function openDatabase(databaseUrl: string, options: PostgresOptions = {}): Promise<Db> {
  const dialect = dialectOf(databaseUrl);
  const db = dialect === 'postgres' ? openPostgres<Database>(databaseUrl, options) : openSqlite<Database>(databaseUrl);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new Error(`cannot reach the database ${describeDatabase(databaseUrl)}: ${messageOf(error)}`);
  }
  try {
    await migrateToLatest(db as Kysely<unknown>, dialect);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return db;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}
