// The embedded default (docs/architecture.md §6): Kysely over better-sqlite3, a file under .data/ or
// ":memory:" for tests.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite, { type Database as SqliteDatabase, type Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type SelectModifierNode,
  type SqliteDialectConfig,
} from 'kysely';
import type { RowLocksAdapter } from './row-locks';

const ROW_LOCKS = new Set(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare', 'NoWait', 'SkipLocked']);

/**
 * SQLite has no row locks: one writer holds the whole database, so a claim written as
 * `FOR UPDATE SKIP LOCKED` for PostgreSQL is already exclusive here. The compiler leaves the
 * clauses out (all a select's end modifiers are row locks), so the shop keeps one query for both
 * dialects. Done while compiling, which visits every node anyway: a plugin had to walk each
 * query's tree once more to find them.
 */
class SqliteCompilerWithoutRowLocks extends SqliteQueryCompiler {
  protected override sortSelectModifiers(modifiers: SelectModifierNode[]): ReadonlyArray<SelectModifierNode> {
    return super.sortSelectModifiers(modifiers.filter((m) => m.modifier === undefined || !ROW_LOCKS.has(m.modifier)));
  }
}

/**
 * Every transaction of the shop writes, so each takes the write lock when it begins. Another
 * process may write the same file (`npm run reconcile` from cron beside the server): a deferred
 * transaction that read first and wrote after that process had committed could not write at all
 * (SQLITE_BUSY_SNAPSHOT, "database is locked" at once, which busy_timeout does not wait out); one
 * that begins immediate waits its turn.
 */
class SqliteDriverBeginningImmediate extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ShopSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SqliteDriverBeginningImmediate(this.#config);
  }

  override createQueryCompiler(): QueryCompiler {
    return new SqliteCompilerWithoutRowLocks();
  }

  override createAdapter(): DialectAdapter {
    return new SqliteAdapterWithoutRowLocks();
  }
}

/** Says so to ./row-locks.ts (by a field: `instanceof` fails across the copies of Kysely Next bundles). */
class SqliteAdapterWithoutRowLocks extends SqliteAdapter implements RowLocksAdapter {
  readonly rowLocks = false;
}

/** Accepts a plain path, "file:<path>" or ":memory:". */
export function sqlitePathOf(databaseUrl: string): string {
  return databaseUrl.replace(/^file:(\/\/)?/, '');
}

export function openSqlite<T>(databaseUrl: string): Kysely<T> {
  const path = sqlitePathOf(databaseUrl);
  if (path !== ':memory:') createPrivately(path);
  const sqlite = new SQLite(path);
  // WAL lets readers work while a writer commits; busy_timeout waits for a lock instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // SQLite gives the -wal and -shm files the database file's mode, but through the umask; set
  // them here too (they exist now that WAL is on), and the mode of files an older version made.
  if (path !== ':memory:')
    for (const file of [path, `${path}-wal`, `${path}-shm`])
      if (existsSync(/*turbopackIgnore: true*/ file)) chmodSync(/*turbopackIgnore: true*/ file, OWNER_ONLY_FILE);
  return new Kysely<T>({ dialect: new ShopSqliteDialect({ database: withStatementCache(sqlite) }) });
}

// The database holds customers' names, phones and e-mails: readable by the server's user only,
// whatever the umask (0022, the usual one, would leave them readable by every local user).
const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;

/**
 * Creates the database's directory (0700) and file (0600) before SQLite opens it. Only a directory
 * made here has its mode set: an existing one (say /var/lib, or /tmp) is the administrator's.
 */
function createPrivately(path: string): void {
  const dir = dirname(resolve(path));
  const created = mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  // mkdir's mode goes through the umask, and `created` is the topmost directory made: every one
  // from there down to the database's own is new.
  if (created) {
    for (let made = dir; made.length >= created.length; made = dirname(made)) chmodSync(/*turbopackIgnore: true*/ made, OWNER_ONLY_DIR);
  }
  closeSync(openSync(/*turbopackIgnore: true*/ path, 'a', OWNER_ONLY_FILE));
  chmodSync(/*turbopackIgnore: true*/ path, OWNER_ONLY_FILE);
}

/** Distinct statements the shop and the sandbox run: a few hundred at most. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh, and preparing costs more than running the small statements
 * the shop makes (a CPU profile of checkout put it at a third of the SQLite time). The same SQL
 * text always gets the same prepared statement back; SQLite re-prepares one itself if the schema
 * changes under it. Safe because nothing streams (a statement is done with when its call returns).
 */
function withStatementCache(sqlite: SqliteDatabase) {
  const cache = new Map<string, Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string): Statement {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
