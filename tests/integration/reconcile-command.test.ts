// `npm run reconcile` as a merchant's cron would run it: a separate process, configured only by the
// environment, settling a payment nobody came back for.
import { shopContext } from '../../lib/payments/context';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../lib/db/database';
import { freshDatabaseUrl } from '../helpers/test-database';
import { createGatewayClient } from '../../lib/gateway/client';
import { placeOrder } from '../../lib/shop/checkout';
import { latestAttempt } from '../../lib/payments/orders';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

let server: SandboxServer;
let db: Db;
const dir = mkdtempSync(path.join(tmpdir(), 'reconcile-'));
let database: string;

beforeAll(async () => {
  server = await startSandboxServer();
  database = await freshDatabaseUrl(path.join(dir, 'shop.sqlite'));
  db = await openDatabase(database);
});
afterAll(async () => {
  await server.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

it('settles a two-stage payment whose shopper never returned: one deposit, exit code 0', async () => {
  const gateway = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
  const deps = shopContext({ db, gateway, appUrl: 'http://shop.test', gatewayOrigin: new URL(server.url).origin });
  const placed = await placeOrder(deps, {
    cart: [{ slug: 'mug', quantity: 1 }],
    customer: { name: 'Лев', phone: '+79120000004', email: 'lev@example.ru' },
    flow: 'two-stage',
    language: 'ru',
    mobile: true,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await payWithMirPay(placed.formUrl, 'mir-0047');

  const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/reconcile.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      NODE_ENV: 'test',
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GATEWAY_URL: server.restUrl,
      GATEWAY_USERNAME: SANDBOX_AUTH.userName,
      GATEWAY_PASSWORD: SANDBOX_AUTH.password,
      DATABASE_URL: database,
    },
  });
  expect(stdout).toContain('"event":"reconcile.done"');
  expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ examined: 1, changed: 1, errors: 0 });
  const attempt = (await latestAttempt(db, placed.orderId))!;
  expect(attempt.state).toBe('paid');
  const deposits = await controlFetch(`${server.url}/sandbox/control/requests?orderId=${attempt.gateway_order_id}&method=deposit.do`).then(
    (r) => r.json(),
  );
  expect(deposits.requests).toHaveLength(1);
}, 60_000);
