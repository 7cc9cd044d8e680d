import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // better-sqlite3 is a native addon: forks isolate it more reliably than threads.
    pool: 'forks',
    // Vitest's default is one worker fewer than the machine has cores: one on a 2-core CI machine,
    // where these tests spend most of their time waiting on sockets and timers (the suite used 0.9
    // of a core). At least three: the SQLite run took 82 s there instead of 145.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
