// What the benchmark measures and the limits it checks. One place for every number, so
// the report can print them and a reader can change them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawSchema } from '../../lib/env-schema';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Git-ignored: the report, the logs, the bench database and the floor app's build. */
export const OUT_DIR = path.join(ROOT, 'bench-results');

/** The shopper's cart for every page that needs one (the `cart` cookie: slugs and quantities). */
export const CART = 'mug:2,honey:1';

/** Lighthouse's own mobile user agent (a mid-range Android phone): the shop offers Mir Pay to Android only. */
export const MOBILE_UA =
  'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36';

export const CUSTOMER = { name: 'Иван Петров', phone: '+7 900 123-45-67', email: 'ivan@example.com' };

/**
 * Server-cost runs: fixed connections, fixed duration, loopback only; each run after a warm-up of
 * the same requests, unmeasured (scripts/bench/load.mts says why).
 */
export const LOAD = { connections: 10, durationSeconds: 10, warmUpSeconds: 20 };

/**
 * The CPU budget's rounds (scripts/bench/cpu-rounds.mts): shop and empty app alternating at LOAD's
 * connections, `secondsPerRound` each, after an unmeasured `settleSeconds` each. The median of the
 * counted rounds' ratios is the figure; fewer than `minCounted` counted rounds is a miss. An odd
 * number, so that the median is one round's ratio. `returnsPerSecond`: what each side's return
 * answers at that load (the shop's in about one bank round trip, the empty app's in three), to
 * prepare enough orders.
 */
export const CPU_ROUNDS = {
  rounds: 9,
  secondsPerRound: 4,
  settleSeconds: 3,
  minCounted: 7,
  minRequests: 30,
  returnsPerSecond: { shop: 60, floor: 25 },
};

/**
 * Lighthouse runs per page (the median is reported); `--quick` makes it 1. Five, as Lighthouse's
 * own guidance on variability advises: of three, one run during a pause of the machine (its
 * benchmark index falling by a third) moved a page's median TBT by 150 ms.
 */
export const LIGHTHOUSE_RUNS = 5;

/** Browser journeys per payment flow (each budgeted wait is a p50 over at least BUDGETS.minWaitRuns). */
export const WAIT_RUNS = 20;

/** Orders generated in PostgreSQL for the growth figures; `--scale-orders=N` changes it. */
export const SCALE_ORDERS = 1_000_000;
/** The small database the growth is measured from. */
export const SCALE_SMALL_ORDERS = 1_000;
/** Attempts open (awaiting the shopper) when the reconciler's tick is timed. */
export const SCALE_OPEN_ATTEMPTS = 1_000;

export const BUDGETS = {
  /** First-load JS of every shopper page over the empty App Router page's, gzipped. */
  jsOverEmptyKiB: 15,
  /** Lighthouse TBT of every page over the empty page's, same run. */
  tbtOverEmptyMs: 30,
  /** Lighthouse performance score of every page under the empty page's, same run. */
  scoreUnderEmpty: 0.03,
  cls: 0,
  /** A shopper's wait (p50) over the bare round trips it cannot avoid. */
  waitAllowanceMs: 100,
  minWaitRuns: 20,
  /** The return route's answer while the bank hangs. */
  hangAnswerMs: 3000,
  /** Shop CPU per request over the empty app's making the same gateway calls. */
  cpuOverFloor: 1.3,
  /** Peak RSS of the shop's process, in MB (10^6 bytes: the stricter reading of "400 MB"). */
  peakRssMB: 400,
  /** At SCALE_ORDERS orders: the console's list page (p95 of each way of opening it), its summary (p95), a reconciler tick (p95). */
  listP95Ms: 20,
  summaryP95Ms: 50,
  tickP95Ms: 50,
  /** The return route's p50 at SCALE_ORDERS over its p50 at SCALE_SMALL_ORDERS. */
  returnGrowth: 0.1,
};

/**
 * The variables lib/env.ts's schema reads. The bench sets each one: '' counts as unset there, and
 * an environment value (even '') wins over .env files, so a developer's GATEWAY_URL in the shell or
 * in .env.local can never point the bench at a real bank, nor their SMTP_URL or ALERT_WEBHOOK_URL
 * send its orders' e-mails and alerts. (LOG_LEVEL, read apart, is set in SERVER_SETTINGS.)
 */
export const APP_ENV_VARIABLES: readonly string[] = Object.keys(rawSchema.shape);

/** What the bench server runs with, besides PORT, APP_URL and DATABASE_URL (printed in the report). */
export const SERVER_SETTINGS: Record<string, string> = {
  // Far above what 10 connections for 10 s can send: the checkout run must measure the real
  // path, not the proxy's 429 (the defaults are 30 per client and 10 per client and cart a minute).
  CHECKOUT_RATE_LIMIT: '100000',
  CHECKOUT_CART_RATE_LIMIT: '100000',
  // No background work competing with the measured requests: the reconciler stays off, and the
  // sandbox sends no callback notifications (a real bank's callbacks are not part of these paths).
  RECONCILE_INTERVAL_MS: '0',
  SANDBOX_CALLBACK_ATTEMPTS: '0',
  NEXT_TELEMETRY_DISABLED: '1',
  // One line per gateway call and event, as in production: a developer's LOG_LEVEL=debug would
  // measure the logging.
  LOG_LEVEL: 'info',
};
