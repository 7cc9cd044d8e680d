// The server's long-lived services, built once per process from the environment, with the work
// that runs in the background: the reconciler and, with the sandbox on, its callback dispatcher.
// Kept on globalThis so that dev-mode module reloads do not open a second database.
import 'server-only';
import { getEnv } from '@/lib/env';
import type { Db } from '@/lib/db/database';
import { postgresPoolOf } from '@/lib/db/postgres';
import type { GatewayAuth, GatewayClient } from '@/lib/gateway/client';
import { createSandbox, type Sandbox } from '@/lib/sandbox/handler';
import type { CheckoutDeps, PaymentFlow } from '@/lib/shop/checkout';
import { startReconciler } from '@/lib/shop/reconciler';
import { openShop, reconcilerOptionsOf } from '@/lib/shop/runtime';
import { createCheckoutLimits, createLoginThrottle, type CheckoutLimits, type LimitStore, type LoginThrottle } from '@/lib/web/abuse-limits';
import { controlAccess } from './sandbox-control-access';

/** What the merchant console shows of the sandbox's API while it is on (the "Sandbox API" section). */
export type SandboxApi = Readonly<{ restUrl: string; credentials: GatewayAuth; callbackKey: string }>;

type Services = {
  db: Db;
  gateway: GatewayClient;
  sandbox: Sandbox | undefined;
  /** What lib/shop's checkout needs; also a SyncDeps. */
  checkout: CheckoutDeps;
  paymentFlow: PaymentFlow;
  /** "Pay" per client and cart, and the console's log-in throttle: shared by all instances on PostgreSQL. */
  limits: { checkout: CheckoutLimits; login: LoginThrottle };
  /** The key the callback route checks notifications with (configured, demo or stored). */
  callbackKey: string | undefined;
  sandboxApi: SandboxApi | undefined;
};

const holder = globalThis as typeof globalThis & { __shopServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__shopServices ??= build();
  return holder.__shopServices;
}

async function build(): Promise<Services> {
  const env = getEnv();
  const { secrets, ...checkout } = await openShop(env);
  const sandbox = env.sandbox.enabled
    ? createSandbox({
        db: checkout.db,
        merchant: env.sandbox.merchant,
        merchantName: env.sandbox.merchantName,
        credentials: secrets.sandboxCredentials,
        publicUrl: env.appUrl,
        callbacks: { ...env.sandbox.callback, key: secrets.sandboxCallbackKey },
        returnOrigins: env.sandbox.returnOrigins,
        authorizeControl: controlAccess(env.sandbox.controlToken),
        latency: env.sandbox.latency,
      })
    : undefined;
  const sandboxApi = sandbox && {
    restUrl: `${env.appUrl}/sandbox/payment/rest/`,
    credentials: secrets.sandboxCredentials,
    callbackKey: secrets.sandboxCallbackKey,
  };
  // Both timers are unref'd and live as long as the process, like these services. The
  // dispatcher also delivers notifications left over from before a restart.
  sandbox?.callbacks.start();
  if (env.reconcileIntervalMs > 0) startReconciler(checkout, env.reconcileIntervalMs, reconcilerOptionsOf(env));
  const pool = postgresPoolOf(checkout.db);
  const store: LimitStore = pool ? { kind: 'postgres', pool } : { kind: 'memory' };
  const limits = { checkout: createCheckoutLimits(store, env.checkoutRateLimit), login: createLoginThrottle(store) };
  return { db: checkout.db, gateway: checkout.gateway, sandbox, checkout, paymentFlow: env.paymentFlow, callbackKey: secrets.callbackKey, sandboxApi, limits };
}
