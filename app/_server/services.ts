// The server's long-lived services, built once per process from the environment, with the work
// that runs in the background: the reconciler and, with the sandbox on, its callback dispatcher.
// Kept on globalThis so that dev-mode module reloads do not open a second database.
import 'server-only';
import { getEnv } from '@/lib/env';
import type { Db } from '@/lib/db/database';
import { postgresPoolOf } from '@/lib/db/postgres';
import type { GatewayClient } from '@/lib/gateway/client';
import { createSandbox, type Sandbox } from '@/lib/sandbox/handler';
import type { CheckoutDeps, PaymentFlow } from '@/lib/shop/checkout';
import { startReconciler } from '@/lib/shop/reconciler';
import { openShop, reconcilerOptionsOf } from '@/lib/shop/runtime';
import { createCheckoutLimits, createLoginThrottle, type CheckoutLimits, type LimitStore, type LoginThrottle } from '@/lib/web/abuse-limits';

type Services = {
  db: Db;
  gateway: GatewayClient;
  sandbox: Sandbox | undefined;
  /** What lib/shop's checkout needs; also a SyncDeps. */
  checkout: CheckoutDeps;
  paymentFlow: PaymentFlow;
  /** "Pay" per client and cart, and the console's log-in throttle: shared by all instances on PostgreSQL. */
  limits: { checkout: CheckoutLimits; login: LoginThrottle };
};

const holder = globalThis as typeof globalThis & { __shopServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__shopServices ??= build();
  return holder.__shopServices;
}

async function build(): Promise<Services> {
  const env = getEnv();
  const checkout = await openShop(env);
  const sandbox = env.sandbox.enabled
    ? createSandbox({
        db: checkout.db,
        merchant: env.sandbox.merchant,
        merchantName: env.sandbox.merchantName,
        credentials: env.sandbox.credentials,
        publicUrl: env.appUrl,
        callbacks: env.sandbox.callback,
      })
    : undefined;
  // Both timers are unref'd and live as long as the process, like these services. The
  // dispatcher also delivers notifications left over from before a restart.
  sandbox?.callbacks.start();
  if (env.reconcileIntervalMs > 0) startReconciler(checkout, env.reconcileIntervalMs, reconcilerOptionsOf(env));
  const pool = postgresPoolOf(checkout.db);
  const store: LimitStore = pool ? { kind: 'postgres', pool } : { kind: 'memory' };
  const limits = { checkout: createCheckoutLimits(store, env.checkoutRateLimit), login: createLoginThrottle(store) };
  return { db: checkout.db, gateway: checkout.gateway, sandbox, checkout, paymentFlow: env.paymentFlow, limits };
}
