// Two processes writing one database at once: on SQLite, the shop beside `npm run reconcile` from
// cron (RECONCILE_INTERVAL_MS=0); on PostgreSQL, instances behind a balancer. Every move of every
// payment must land: a writer waits for the other, never fails. (On SQLite a transaction that read
// before it wrote could not write once the other process had committed meanwhile: "database is
// locked" at once, SQLITE_BUSY_SNAPSHOT, which waiting does not cure.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db/database';
import { freshDatabaseUrl, testDialect } from '../helpers/test-database';

const dir = mkdtempSync(path.join(tmpdir(), 'two-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROUNDS = 150;

it(`two processes taking payments through their moves at once both finish every one (${testDialect})`, async () => {
  const url = await freshDatabaseUrl(path.join(dir, 'shop.sqlite'));
  // Migrated here, so that neither writer spends its start on it.
  await (await openDatabase(url)).destroy();
  // Both start writing at the same moment, once both have started up.
  const startAt = String(Date.now() + 4000);
  const writer = () =>
    promisify(execFile)('npx', ['tsx', 'tests/helpers/busy-writer.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        DATABASE_URL: url,
        ROUNDS: String(ROUNDS),
        START_AT: startAt,
      },
    });
  const results = (await Promise.all([writer(), writer()])).map(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!));
  expect(results).toEqual([{ paid: ROUNDS }, { paid: ROUNDS }]);
  const db = await openDatabase(url);
  const events = await db
    .selectFrom('payment_events')
    .select(({ fn }) => fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  expect(Number(events.count)).toBe(2 * ROUNDS * 4);
}, 60_000);
