// Running a migration list (the shop's, ./shop-migrations.ts; the sandbox's has its own tables),
// on start-up (scripts/preflight.ts) and on first use of a database, and telling whether a
// database's schema is this version's.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './schema-builders';
import { migrationsFor } from './shop-migrations';

/**
 * Brings the schema up to date; throws with the failing migration's name. Several instances may
 * start at once: Kysely holds a lock while migrating (an advisory lock on PostgreSQL), so the
 * migrations run once. A database migrated by a newer version of the shop is refused.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await runMigrations(db, dialect, migrationsFor(dialect));
}

/** A migration list and the tables that record it (the sandbox keeps its own: lib/sandbox/migrations.ts). */
export type MigrationSet = { migrationTableName?: string; migrationLockTableName?: string; what?: string };

export async function runMigrations(
  db: Kysely<unknown>,
  dialect: Dialect,
  migrations: Record<string, Migration>,
  set: MigrationSet = {},
): Promise<void> {
  // On PostgreSQL every migration runs in the migrator's transaction without the shop's statement
  // timeout (lib/db/postgres.ts): backfilling a column of a million orders takes longer than any
  // request may, and a half-done upgrade must not stop every instance from starting.
  const untimed =
    dialect === 'postgres'
      ? Object.fromEntries(
          Object.entries(migrations).map(([name, migration]) => [
            name,
            {
              ...migration,
              async up(db: Kysely<unknown>) {
                await sql`set local statement_timeout = 0`.execute(db);
                await migration.up(db);
              },
            },
          ]),
        )
      : migrations;
  const provider: MigrationProvider = { getMigrations: async () => untimed };
  // Kysely looks for its own tables in every schema it can see; on PostgreSQL, name the one this
  // connection works in, or another schema's copy (another shop, a test run) would be taken for ours.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const { what = 'database', ...tables } = set;
  const migrator = new Migrator({ db, provider, migrationTableSchema, ...tables });
  const { error, results } =
    dialect === 'sqlite' ? await underWriteLock(db, () => migrator.migrateToLatest()) : await migrator.migrateToLatest();
  if (!error) return;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /previously executed migration (\S+) is missing/.exec(message);
  if (unknown) {
    throw new Error(
      `the ${what}'s schema is newer than this version of the shop (it has migration ${unknown[1]}): run the same version on every instance`,
    );
  }
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  throw new Error(`${what} migration ${failed} failed: ${message}`);
}

/**
 * Kysely does not lock SQLite migrations (it expects a single connection), so two processes on one
 * file (a server starting while `npm run reconcile` runs) could both run them. BEGIN IMMEDIATE
 * takes the write lock first, waiting up to busy_timeout for the other, and makes the whole set
 * all-or-nothing (SQLite's DDL is transactional).
 */
async function underWriteLock<T extends { error?: unknown }>(db: Kysely<unknown>, migrate: () => Promise<T>): Promise<T> {
  await sql`begin immediate`.execute(db);
  let outcome: T;
  try {
    outcome = await migrate();
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
  await sql.raw(outcome.error ? 'rollback' : 'commit').execute(db);
  return outcome;
}

/**
 * Whether the database's schema is the one this version of the shop migrates to: `behind` when a
 * migration of ours has not run, `ahead` when a newer version added one (this instance must not
 * serve it). For readiness checks; the start-up itself migrates or refuses (runMigrations).
 */
export async function schemaState(db: Kysely<unknown>): Promise<'current' | 'behind' | 'ahead'> {
  const known = new Set(Object.keys(migrationsFor('sqlite')));
  const ran = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const names = new Set(ran.rows.map((row) => row.name));
  if ([...names].some((name) => !known.has(name))) return 'ahead';
  return [...known].every((name) => names.has(name)) ? 'current' : 'behind';
}
