// PostgreSQL for several shop instances behind a load balancer (README "PostgreSQL"): the same
// Kysely code over a `pg` pool.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { rootLogger } from '../log/logger';

export type PostgresOptions = {
  /** Connections per instance; the server's max_connections is shared by all instances. */
  poolMax?: number;
};

const INT8 = 20;
const NUMERIC = 1700;

// bigint columns hold kopecks and epoch milliseconds, and count()/sum() come back as int8 or
// numeric: all far below 2^53, so numbers, as better-sqlite3 returns them, not strings.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** The URL without its password, for logs and error messages. */
export function redactedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// Kysely hides its pool; what else must share the connections (the abuse limits' counters) asks
// here. A property under a registered symbol rather than a module-level map: bundlers and test
// runners may load this module more than once, and each copy would have a map of its own.
const POOL = Symbol.for('mirpay.postgres-pool');

/** The pool under a database opened by openPostgres; undefined for SQLite. */
export function postgresPoolOf(db: object): pg.Pool | undefined {
  return (db as { [POOL]?: pg.Pool })[POOL];
}

export function openPostgres<T>(databaseUrl: string, options: PostgresOptions = {}): Kysely<T> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolMax ?? 10,
    // A request waits at most this long for a free connection, then fails with a clear error
    // instead of queueing forever behind a stuck database.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // No statement of ours runs long; one that does is stuck on a lock and must not hold a
    // request (or a reconciler tick) for ever.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: 'mirpay-shop',
    types,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the
  // pool opens a new one on next use.
  pool.on('error', (error) => rootLogger().error({ event: 'db.pool_error', error: error.message }));
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
  Object.defineProperty(db, POOL, { value: pool });
  return db;
}
