// The integration suite on PostgreSQL: run by scripts/vitest-postgres.mjs, which checks the
// database is there and sets TEST_DATABASE_URL (tests/helpers/test-database.ts reads it).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default defineConfig({
  ...base,
  // One worker: this run is bound by PostgreSQL's own CPU, which more workers only crowd (two took
  // 177 s where one takes 160 s on a 2-core machine, and a reconciler interval test then missed).
  test: {
    ...base.test,
    name: 'postgres',
    include: ['tests/integration/**/*.test.ts'],
    maxWorkers: 1,
    setupFiles: ['tests/helpers/drop-test-schemas.ts'],
  },
});
