// What the migration lists of the shop (./shop-migrations.ts) and of the sandbox
// (lib/sandbox/migrations.ts) are written with: Kysely's schema builder, plus the two places where
// SQLite and PostgreSQL differ.
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** An integer primary key the database numbers: AUTOINCREMENT in SQLite, an identity column in PostgreSQL. */
export function withRowId<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Whether this connection's schema has the table (PostgreSQL's introspection lists every schema's). */
export async function hasTable(db: Kysely<unknown>, dialect: Dialect, name: string): Promise<boolean> {
  const found =
    dialect === 'postgres'
      ? await sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = ${name}`.execute(db)
      : await sql`select 1 from sqlite_master where type = 'table' and name = ${name}`.execute(db);
  return found.rows.length > 0;
}
