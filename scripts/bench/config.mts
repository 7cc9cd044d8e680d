// What the benchmark measures and the limits it checks. One place for every number, so
// the report can print them and a reader can change them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Git-ignored: the report, the logs, the bench database and the floor app's build. */
export const OUT_DIR = path.join(ROOT, 'bench-results');

/** The shopper's cart for every page that needs one (the `cart` cookie: slugs and quantities). */
export const CART = 'mug:2,honey:1';

/** Lighthouse's own mobile user agent (a mid-range Android phone): the shop offers Mir Pay to Android only. */
export const MOBILE_UA =
  'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36';

export const CUSTOMER = { name: 'Иван Петров', phone: '+7 900 123-45-67', email: 'ivan@example.com' };

/** Server-cost runs: fixed connections, fixed duration, loopback only. */
export const LOAD = { connections: 10, durationSeconds: 10 };

export const LIGHTHOUSE_RUNS = 3;

export const BUDGETS = {
  /** First-load JS of every shopper page over the empty App Router page, gzipped. */
  jsOverFloorKiB: 15,
  performanceScore: 0.95,
  cls: 0,
  tbtMs: 100,
  /** Checkout submission p50 over the bare register.do p50. */
  checkoutRatio: 1.5,
  /** Return route (first hit) p50 over the bare getOrderStatusExtended + deposit + getOrderStatusExtended p50. */
  returnRatio: 1.3,
  /** Peak RSS of the server process, in MB (10^6 bytes: the stricter reading of "400 MB"). */
  peakRssMB: 400,
};

/** The variables lib/env.ts reads. The bench sets each one: '' counts as unset there, and an
 * environment value (even '') wins over .env files, so a developer's GATEWAY_URL in the shell or
 * in .env.local can never point the bench at a real bank. */
export const APP_ENV_VARIABLES = [
  'PORT',
  'APP_URL',
  'GATEWAY_URL',
  'GATEWAY_USERNAME',
  'GATEWAY_PASSWORD',
  'GATEWAY_TOKEN',
  'GATEWAY_TIMEOUT_MS',
  'GATEWAY_STATUS_RETRIES',
  'DATABASE_URL',
  'SANDBOX_ENABLED',
  'SANDBOX_MERCHANT',
  'SANDBOX_MERCHANT_NAME',
  'PAYMENT_FLOW',
  'CALLBACK_KEY',
  'RECONCILE_INTERVAL_MS',
  'MERCHANT_PASSWORD',
  'CHECKOUT_RATE_LIMIT',
  'CHECKOUT_CART_RATE_LIMIT',
  'SANDBOX_CALLBACK_URL',
  'SANDBOX_CALLBACK_ATTEMPTS',
  'SANDBOX_CALLBACK_INTERVAL_MS',
] as const;

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
};
