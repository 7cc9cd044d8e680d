// What every part of the shop's payment logic works with, built once with its defaults filled:
// the database, the gateway client, the clock, the log, and the few settings that belong to the
// deployment rather than to one call. Routes, the reconciler, scripts and tests all pass one.
import type { Db } from '../db/database';
import type { GatewayClient } from '../gateway/client';
import { eventLog, type EventLog } from '../log/logger';

export type ShopContext = Readonly<{
  db: Db;
  gateway: GatewayClient;
  /** The shop's public origin: the bank sends the shopper back to it. */
  appUrl: string;
  /** Origin of the configured gateway: a formUrl elsewhere is never followed (open-redirect guard). */
  gatewayOrigin: string;
  /** Milliseconds since the epoch; tests move it. */
  clock: () => number;
  /** One structured line per event (the server's pino logger by default: lib/log/logger.ts). */
  log: EventLog;
  /** How long a repeated "Pay" waits for the first one's register.do. */
  registrationWaitMs: number;
  /**
   * How long a gateway call can be in flight at most (two timeouts and a margin): a register.do
   * or deposit.do older than this without an answer is taken as lost, never sooner.
   */
  inFlightMs: number;
  /** The deadline of a status read a shopper waits on (the return, the order page): see SyncPolicy.statusRead. */
  shopperReadMs: number;
  /** Whether alerts are owed to a webhook (ALERT_WEBHOOK_URL): lib/alerts. */
  alertWebhook: boolean;
}>;

export type ShopContextParts = Pick<ShopContext, 'db' | 'gateway'> & Partial<Omit<ShopContext, 'db' | 'gateway'>>;

export function shopContext(parts: ShopContextParts): ShopContext {
  return {
    appUrl: 'http://localhost:3000',
    gatewayOrigin: 'http://localhost:3000',
    clock: Date.now,
    log: eventLog(),
    registrationWaitMs: 10_000,
    inFlightMs: 60_000,
    shopperReadMs: 2500,
    alertWebhook: false,
    ...parts,
  };
}
