// The integration suite again, on PostgreSQL (issue 7): every test database a schema of its own in
// TEST_POSTGRES_URL. Without a reachable PostgreSQL the run is skipped with a message saying so,
// unless REQUIRE_POSTGRES=1 (CI), where that is a failure.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const url = process.env.TEST_POSTGRES_URL || 'postgres://mirpay:mirpay@127.0.0.1:5432/mirpay_test';
const shown = url.replace(/:[^:@/]*@/, ':***@');
const required = process.env.REQUIRE_POSTGRES === '1';

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  // Schemas left by earlier runs: each test file makes its own.
  const { rows } = await client.query("select nspname from pg_namespace where nspname like 'test\\_%'");
  for (const { nspname } of rows) await client.query(`drop schema "${nspname}" cascade`);
  await client.end();
} catch (error) {
  const banner = `PostgreSQL at ${shown} is not reachable (${error.message || error.code}).`;
  if (required) {
    console.error(`\n✗ ${banner} REQUIRE_POSTGRES=1: failing.\n`);
    process.exit(1);
  }
  console.warn(`\n${'='.repeat(78)}\n⚠ SKIPPED: the PostgreSQL integration run. ${banner}\n  Start it with scripts/postgres-test-db.sh (Debian's postgresql 15), or set TEST_POSTGRES_URL.\n${'='.repeat(78)}\n`);
  process.exit(0);
}

console.log(`\nIntegration tests on PostgreSQL (${shown})\n`);
const extra = process.argv.slice(2);
const run = spawnSync('npx', ['vitest', 'run', '--config', 'tests/vitest.postgres.mts', ...extra], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url },
});
process.exit(run.status ?? 1);
