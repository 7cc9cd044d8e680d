// How cost grows with work: the shop on PostgreSQL (a schema of its own in BENCH_DATABASE_URL),
// first with SCALE_SMALL_ORDERS orders, then with `orders` generated in bulk (scale-data.mts). On
// each: the return route's p50 as a shopper meets it (a shop server on that database, paying
// through the bench's bank); on the big one also the console's list page and summary, a reconciler
// tick with SCALE_OPEN_ATTEMPTS open attempts, and the database's bytes per order.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../../lib/db/database';
import type { Database } from '../../lib/db/schema';
import { shopEnvFor, type Bank } from './bank.mjs';
import { benchClient } from './gateway-baseline.mjs';
import { generateOpenAttempts, generateOrders, shopTableBytes } from './scale-data.mjs';
import { timeListPages, timeReconcilerTick, timeSummary, type Timed } from './scale-queries.mjs';
import { SCALE_OPEN_ATTEMPTS, SCALE_SMALL_ORDERS } from './config.mjs';
import { startServer } from './server.mjs';
import { comeBack, payByCard, placeOrder, readCheckoutForm, withRetry } from './shopper.mjs';
import { percentile } from './stats.mjs';

const SCHEMA = 'bench_scale';
/** Returns timed on each database: distinct one-stage orders paid by card, each returned to once. */
const RETURNS = 30;

export type ReturnFigure = { orders: number; runs: number; p50: number; p95: number };
export type Scale = {
  orders: number;
  generationSeconds: number;
  bytesPerOrder: number;
  list: Timed[];
  summary: Timed;
  tick: Timed & { examined: number };
  returnSmall: ReturnFigure;
  returnBig: ReturnFigure;
};

export async function measureScale(options: {
  databaseUrl: string;
  orders: number;
  bank: Bank;
  port: number;
  log: (line: string) => void;
}): Promise<Scale> {
  const { bank, log } = options;
  await resetSchema(options.databaseUrl);
  const url = new URL(options.databaseUrl);
  url.searchParams.set('options', `-c search_path=${SCHEMA}`);
  const databaseUrl = url.toString();
  const db = await openDatabase(databaseUrl);
  // The bulk inserts on a connection of their own, without the shop's 15 s statement timeout
  // (lib/db/postgres.ts): on a busy machine a batch can take longer, and that is not the shop's cost.
  const bulk = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }) });
  try {
    const now = Date.now();
    await generateOrders(bulk, 1, SCALE_SMALL_ORDERS, options.orders, now);
    await sql`analyze`.execute(db);
    const shop = await startServer('scale-shop', { port: options.port, env: { ...shopEnvFor(bank), DATABASE_URL: databaseUrl } });
    try {
      const returnSmall = await timeReturns(shop.base, bank, SCALE_SMALL_ORDERS);
      log(`  return route at ${SCALE_SMALL_ORDERS} orders: p50 ${returnSmall.p50.toFixed(1)} ms, p95 ${returnSmall.p95.toFixed(1)} ms`);
      const started = performance.now();
      const batch = 50_000;
      for (let from = SCALE_SMALL_ORDERS + 1; from <= options.orders; from += batch) {
        const to = Math.min(options.orders, from + batch - 1);
        await generateOrders(bulk, from, to, options.orders, now);
        log(`  generated ${to.toLocaleString('en')} orders (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
      const openedAt = Date.now();
      await generateOpenAttempts(db, SCALE_OPEN_ATTEMPTS, openedAt, 0);
      await sql`vacuum analyze`.execute(bulk);
      const generationSeconds = (performance.now() - started) / 1000;
      const bytesPerOrder = (await shopTableBytes(db)) / (await countOrders(db));
      log(
        `  ${options.orders.toLocaleString('en')} orders in ${generationSeconds.toFixed(0)} s; ${bytesPerOrder.toFixed(0)} database bytes per order`,
      );
      const list = await timeListPages(db);
      for (const t of list) log(`  ${t.name}: p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
      const summaryTimed = await timeSummary(db, Date.now());
      log(`  summary: p50 ${summaryTimed.p50.toFixed(1)} ms, p95 ${summaryTimed.p95.toFixed(1)} ms`);
      // The ticks run as if 5 s after the open attempts were last read (the reconciler's interval is 30 s).
      const tick = await timeReconcilerTick(db, benchClient(bank.restUrl), () => openedAt + 5_000);
      log(
        `  reconciler tick with ${SCALE_OPEN_ATTEMPTS} open attempts: p50 ${tick.p50.toFixed(1)} ms, p95 ${tick.p95.toFixed(1)} ms (${tick.examined} attempts synced over the timed ticks)`,
      );
      const returnBig = await timeReturns(shop.base, bank, options.orders);
      log(
        `  return route at ${options.orders.toLocaleString('en')} orders: p50 ${returnBig.p50.toFixed(1)} ms, p95 ${returnBig.p95.toFixed(1)} ms`,
      );
      return { orders: options.orders, generationSeconds, bytesPerOrder, list, summary: summaryTimed, tick, returnSmall, returnBig };
    } finally {
      await shop.stop();
    }
  } finally {
    await bulk.destroy();
    await db.destroy();
    // A million orders take about 4.5 GB: left behind, every run's would stay on the tests' database.
    await dropSchema(options.databaseUrl);
  }
}

async function resetSchema(databaseUrl: string): Promise<void> {
  await dropSchema(databaseUrl, `CREATE SCHEMA ${SCHEMA}`);
}

async function dropSchema(databaseUrl: string, ...then: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const statement of [`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`, ...then]) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function countOrders(db: Db): Promise<number> {
  return Number((await sql<{ n: number }>`select count(*) as n from orders`.execute(db)).rows[0]?.n ?? 0);
}

/** Orders placed and paid by card beforehand; then each one's return, one at a time, timed from here. */
async function timeReturns(base: string, bank: Bank, orders: number): Promise<ReturnFigure> {
  const form = await withRetry(() => readCheckoutForm(base), []);
  const returns: string[] = [];
  for (let i = 0; i < RETURNS + 3; i++) {
    returns.push(await withRetry(async () => payByCard((await placeOrder(base, form, 'one-stage', bank.base)).formUrl), []));
  }
  const samples: number[] = [];
  for (const [i, returnUrl] of returns.entries()) {
    const started = performance.now();
    await comeBack(base, returnUrl);
    // The first few warm the route's code and the connection pool.
    if (i >= 3) samples.push(performance.now() - started);
  }
  return { orders, runs: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
