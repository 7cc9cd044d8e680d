// The PostgreSQL the tests use (TEST_POSTGRES_URL, else the one scripts/postgres-test-db.sh makes):
// reachable, or a visible "skipped" banner, or, with REQUIRE_POSTGRES=1 (CI), a failure.
import pg from 'pg';

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || 'postgres://mirpay:mirpay@127.0.0.1:5432/mirpay_test';
export const shownUrl = (url) => url.replace(/:[^:@/]*@/, ':***@');

/**
 * Connects, drops the schemas an earlier run left with `schemaPrefix`, and returns a client for
 * more set-up; undefined (after the banner) when PostgreSQL is not there and not required.
 */
export async function testPostgres(what, schemaPrefix) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    const banner = `PostgreSQL at ${shownUrl(TEST_POSTGRES_URL)} is not reachable (${error.message || error.code}).`;
    if (process.env.REQUIRE_POSTGRES === '1') {
      console.error(`\n✗ ${what}: ${banner} REQUIRE_POSTGRES=1, so this is a failure.\n`);
      process.exit(1);
    }
    console.warn(
      `\n${'='.repeat(78)}\n⚠ SKIPPED: ${what}. ${banner}\n  Start it with scripts/postgres-test-db.sh (Debian's postgresql 15), or set TEST_POSTGRES_URL.\n${'='.repeat(78)}\n`,
    );
    return undefined;
  }
  const { rows } = await client.query('select nspname from pg_namespace where starts_with(nspname, $1)', [schemaPrefix]);
  for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  return client;
}

/** TEST_POSTGRES_URL with its search_path set to `schema`. */
export function urlWithSchema(schema) {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
