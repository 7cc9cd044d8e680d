// The shop's long-lived parts built from the configuration: one database, the gateway credentials
// and callback key (lib/payments/secrets.ts), one gateway client that records every call, and the
// reconciler's settings. Used by the server (app/_server/services.ts) and by `npm run reconcile`.
import { shopContext, type ShopContext } from './context';
import { openDatabase } from '../db/database';
import { insertGatewayCall, logFieldsOf } from '../db/gateway-calls';
import { gatewayOrigin, type Env } from '../env';
import { eventLog } from '../log/logger';
import { metrics } from '../metrics/metrics';
import { createGatewayClient } from '../gateway/client';
import type { ReconcileOptions } from './reconciler';
import { resolveSecrets, type ShopSecrets } from './secrets';

/** What lib/shop's checkout needs, and the secrets resolved against the database. */
export type OpenedShop = ShopContext & { secrets: ShopSecrets };

export async function openShop(env: Env): Promise<OpenedShop> {
  const db = await openDatabase(env.databaseUrl, { poolMax: env.databasePoolMax });
  const secrets = await resolveSecrets(env, db);
  const log = eventLog();
  const gateway = createGatewayClient({
    baseUrl: env.gateway.baseUrl,
    auth: secrets.gatewayAuth,
    timeoutMs: env.gateway.timeoutMs,
    statusRetries: env.gateway.statusRetries,
    onCall: async (record) => {
      const { gatewayCalls, gatewayLatency } = metrics();
      gatewayCalls.inc({ operation: record.operation, outcome: record.outcome });
      gatewayLatency.observe({ operation: record.operation }, record.durationMs / 1000);
      log('gateway.call', logFieldsOf(record), record.outcome === 'ok' ? 'info' : 'warn');
      await insertGatewayCall(db, record);
    },
  });
  // A register.do or deposit.do is taken as lost only once no call can still be in flight: two
  // gateway timeouts (each call's timeout covers its whole exchange) and a second of margin.
  const inFlightMs = 2 * env.gateway.timeoutMs + 1000;
  return {
    ...shopContext({
      db,
      gateway,
      log,
      appUrl: env.appUrl,
      gatewayOrigin: gatewayOrigin(env),
      inFlightMs,
      alertWebhook: env.alertWebhook !== undefined,
    }),
    secrets,
  };
}

/** Each attempt read at most once per half interval (and at least every 30 s). */
export function reconcilerOptionsOf(env: Env, intervalMs = env.reconcileIntervalMs): ReconcileOptions {
  return { minIntervalMs: Math.min(30_000, Math.floor(intervalMs / 2)), holdLifetimeMs: env.holdLifetimeDays * 86_400_000 };
}
