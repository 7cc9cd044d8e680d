// The server's long-lived services, built once per process from the environment.
// Kept on globalThis so that dev-mode module reloads do not open a second database.
import 'server-only';
import { getEnv } from '@/lib/env';
import { openDatabase, type Db } from '@/lib/db/database';
import { insertGatewayCall, logLineOf } from '@/lib/db/gateway-calls';
import { createGatewayClient, type GatewayClient } from '@/lib/gateway/client';
import { createSandbox, type Sandbox } from '@/lib/sandbox/handler';
import type { CheckoutDeps, PaymentFlow } from '@/lib/shop/checkout';

type Services = {
  db: Db;
  gateway: GatewayClient;
  sandbox: Sandbox | undefined;
  /** What lib/shop's checkout needs; also a SyncDeps. */
  checkout: CheckoutDeps;
  paymentFlow: PaymentFlow;
};

const holder = globalThis as typeof globalThis & { __shopServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__shopServices ??= build();
  return holder.__shopServices;
}

async function build(): Promise<Services> {
  const env = getEnv();
  const db = await openDatabase(env.databaseUrl);
  const gateway = createGatewayClient({
    baseUrl: env.gateway.baseUrl,
    auth: env.gateway.auth,
    timeoutMs: env.gateway.timeoutMs,
    statusRetries: env.gateway.statusRetries,
    onCall: async (record) => {
      console.info(logLineOf(record));
      await insertGatewayCall(db, record);
    },
  });
  const sandbox = env.sandbox.enabled
    ? createSandbox({
        db,
        merchant: env.sandbox.merchant,
        merchantName: env.sandbox.merchantName,
        credentials: env.sandbox.credentials,
        publicUrl: env.appUrl,
        callbacks: env.sandbox.callback,
      })
    : undefined;
  // Delivers queued notifications, including ones left over from before a restart. Its timer is
  // unref'd and lives as long as the process, like these services (one per process, see holder).
  sandbox?.callbacks.start();
  const checkout = { db, gateway, appUrl: env.appUrl, gatewayOrigin: new URL(env.gateway.baseUrl).origin };
  return { db, gateway, sandbox, checkout, paymentFlow: env.paymentFlow };
}
