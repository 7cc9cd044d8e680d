// Kysely over better-sqlite3: the embedded default (architecture.md §6). A file under .data/ unless
// DATABASE_URL says otherwise; ":memory:" for tests. Created and migrated on first use.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** Accepts a plain path, "file:<path>" or ":memory:". */
export function sqlitePathOf(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file path');
  }
  return databaseUrl.replace(/^file:(\/\/)?/, '');
}

export async function openDatabase(databaseUrl: string): Promise<Db> {
  const path = sqlitePathOf(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers work while a writer commits; busy_timeout waits for a lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>);
  return db;
}
