// Whether `select … for update` locks anything. On PostgreSQL it locks the rows until the
// transaction ends. SQLite has no row locks, and every transaction of the shop holds the whole
// database from its start (begin immediate, ./sqlite.ts): there a select made only to take a lock
// is a statement for nothing, on the payment's path.

/** The shop's SQLite adapter says `rowLocks: false` (./sqlite.ts); any other has them. */
export type RowLocksAdapter = { readonly rowLocks: boolean };

/** `db`: a Kysely instance or a transaction of one, of any schema. */
export function hasRowLocks(db: { getExecutor(): { readonly adapter: object } }): boolean {
  return (db.getExecutor().adapter as Partial<RowLocksAdapter>).rowLocks !== false;
}
