// The integration suite on PostgreSQL: run by scripts/vitest-postgres.mjs, which checks the
// database is there and sets TEST_DATABASE_URL (tests/helpers/test-database.ts reads it).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default defineConfig({
  ...base,
  test: { ...base.test, name: 'postgres', include: ['tests/integration/**/*.test.ts'] },
});
