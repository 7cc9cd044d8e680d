// The integration suite again, on PostgreSQL: every test database a schema of its own
// (tests/helpers/test-database.ts). Skipped with a banner when PostgreSQL is not reachable, unless
// REQUIRE_POSTGRES=1 (scripts/test-postgres.mjs).
import { spawnSync } from 'node:child_process';
import { shownUrl, TEST_POSTGRES_URL, testPostgres } from './test-postgres.mjs';

const client = await testPostgres('the integration tests on PostgreSQL', 'test_');
if (!client) process.exit(0);
await client.end();

console.log(`\nIntegration tests on PostgreSQL (${shownUrl(TEST_POSTGRES_URL)})\n`);
const run = spawnSync('npx', ['vitest', 'run', '--config', 'tests/vitest.postgres.mts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: TEST_POSTGRES_URL },
});
process.exit(run.status ?? 1);
