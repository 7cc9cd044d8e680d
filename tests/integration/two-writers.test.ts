// Two processes writing one database at once: on SQLite, the shop beside `npm run reconcile` from
// cron (RECONCILE_INTERVAL_MS=0); on PostgreSQL, instances behind a balancer. Every move of every
// payment must land: a writer waits for the other, never fails. (On SQLite a transaction that read
// before it wrote could not write once the other process had committed meanwhile: "database is
// locked" at once, SQLITE_BUSY_SNAPSHOT, which waiting does not cure.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db/database';
import { freshDatabaseUrl, testDialect } from '../helpers/test-database';

const dir = mkdtempSync(path.join(tmpdir(), 'two-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROUNDS = 150;

type Writer = { ready: Promise<void>; done: Promise<{ paid: number; error?: string }> };

/** tests/helpers/busy-writer.ts in a process of its own: ready once its database is open. */
function startWriter(url: string, go: string): Writer {
  const child = spawn('npx', ['tsx', 'tests/helpers/busy-writer.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', DATABASE_URL: url, ROUNDS: String(ROUNDS), GO: go },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ paid: number; error?: string }>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`busy-writer exited ${code}: ${output}`)),
    ),
  );
  return { ready, done };
}

it(`two processes taking payments through their moves at once both finish every one (${testDialect})`, async () => {
  const url = await freshDatabaseUrl(path.join(dir, 'shop.sqlite'));
  // Migrated here, so that neither writer spends its start on it.
  await (await openDatabase(url)).destroy();
  // Both start writing at the same moment, once both have started up.
  const go = path.join(dir, 'go');
  const writers = [startWriter(url, go), startWriter(url, go)];
  // A writer that dies before it is ready fails the test here rather than leave it waiting.
  await Promise.all(writers.map((writer) => Promise.race([writer.ready, writer.done])));
  writeFileSync(go, '');
  const results = await Promise.all(writers.map((writer) => writer.done));
  expect(results).toEqual([{ paid: ROUNDS }, { paid: ROUNDS }]);
  const db = await openDatabase(url);
  const events = await db
    .selectFrom('payment_events')
    .select(({ fn }) => fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  expect(Number(events.count)).toBe(2 * ROUNDS * 4);
}, 60_000);
