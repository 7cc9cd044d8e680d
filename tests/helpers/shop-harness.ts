// The shop's payment logic wired to a real sandbox over HTTP, as integration tests need it: an
// in-memory database, the real gateway client recording every call, and the log lines it writes.
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../lib/db/database';
import { freshDatabaseUrl } from './test-database';
import { createGatewayClient, type GatewayCallRecord, type GatewayClient } from '../../lib/gateway/client';
import { shopContext, type ShopContext } from '../../lib/payments/context';
import { SANDBOX_AUTH, startSandboxServer, type SandboxServer } from './sandbox-server';

export type ShopHarness = {
  server: SandboxServer;
  db: Db;
  gateway: GatewayClient;
  deps: ShopContext;
  calls: GatewayCallRecord[];
  logs: string[];
  /**
   * The same database as another shop instance would see it: its own connection pool on
   * PostgreSQL; on SQLite in memory there is only one, so `db` itself. Closed with the harness.
   */
  openAnotherInstance(): Promise<Db>;
  /** How many `operation` calls (e.g. 'deposit') the shop made for this gateway order. */
  count(operation: string, gatewayOrderId: string): number;
};

/** Starts the harness before the file's tests and stops it after; read its fields inside tests. */
export function setUpShopHarness(client: { timeoutMs?: number; statusRetries?: number } = {}): ShopHarness {
  const harness = { calls: [] as GatewayCallRecord[], logs: [] as string[] } as ShopHarness;
  harness.count = (operation, gatewayOrderId) =>
    harness.calls.filter((c) => c.operation === operation && c.gatewayOrderId === gatewayOrderId).length;
  let databaseUrl = '';
  const others: Db[] = [];
  harness.openAnotherInstance = async () => {
    if (databaseUrl === ':memory:') return harness.db;
    const other = await openDatabase(databaseUrl);
    others.push(other);
    return other;
  };
  beforeAll(async () => {
    harness.server = await startSandboxServer();
    databaseUrl = await freshDatabaseUrl();
    harness.db = await openDatabase(databaseUrl);
    harness.gateway = createGatewayClient({
      baseUrl: harness.server.restUrl,
      auth: SANDBOX_AUTH,
      timeoutMs: client.timeoutMs ?? 5000,
      statusRetries: client.statusRetries,
      onCall: (record) => void harness.calls.push(record),
    });
    harness.deps = shopContext({
      db: harness.db,
      gateway: harness.gateway,
      appUrl: 'http://shop.test',
      gatewayOrigin: new URL(harness.server.url).origin,
      log: (event, fields) => void harness.logs.push(JSON.stringify({ event, ...fields })),
    });
  });
  afterAll(async () => {
    await harness.server.close();
    await Promise.all(others.map((db) => db.destroy()));
    await harness.db.destroy();
  });
  return harness;
}
