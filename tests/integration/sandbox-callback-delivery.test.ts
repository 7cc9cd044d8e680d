// The sandbox's callback delivery over real HTTP: retries after failures, timeouts and unreachable
// merchants, and the test controls (off, duplicates, hold and release, delay, settings).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../lib/gateway/client';
import {
  client,
  control,
  endpoint,
  hitsAt,
  nextId,
  outbox,
  type OutboxEntry,
  paidOrder,
  receiverUrl,
  server,
  sleep,
  setUpCallbackReceiver,
  waitFor,
  waitForOutbox,
} from '../helpers/callback-receiver';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, startSandboxServer } from '../helpers/sandbox-server';
import { openTestDatabase } from '../helpers/test-database';

setUpCallbackReceiver();

describe('retries', () => {
  it('resends after anything but 200: 500, 500, then 200 makes three deliveries', async () => {
    const path = endpoint('flaky', (nth, res) => void res.writeHead(nth <= 2 ? 500 : 200).end());
    const { orderId } = await paidOrder({ path });
    await waitFor(() => hitsAt(path).length >= 3);
    const got = hitsAt(path);
    expect(got.map((h) => h.params.checksum)).toEqual(Array(3).fill(got[0]!.params.checksum));
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(45);
    await sleep(200);
    expect(hitsAt(path)).toHaveLength(3);
    expect((await outbox(orderId)).map((e) => [e.state, e.attempts, e.lastStatus])).toEqual([['delivered', 3, 200]]);
  });

  it('gives up after `attempts` failures, and records it', async () => {
    const path = endpoint('down', (_nth, res) => void res.writeHead(503).end());
    const { orderId } = await paidOrder({ path });
    const failed = await waitForOutbox(orderId, (e) => e.state === 'failed');
    expect(failed).toMatchObject({ attempts: 3, lastStatus: 503 });
    await sleep(250);
    expect(hitsAt(path)).toHaveLength(3);
  });

  it('a merchant that never answers is timed out after about 5 s and counts as a failure', async () => {
    // A server of its own: its dispatcher is busy with the silent merchant meanwhile.
    const path = endpoint('silent-merchant', () => undefined);
    const own = await startSandboxServer({ callbacks: { url: `${receiverUrl}${path}`, attempts: 1 } });
    try {
      const ownClient = createGatewayClient({ baseUrl: own.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
      const { formUrl } = await ownClient.register({ orderNumber: `CB-hang-${nextId()}`, amount: 1_000, returnUrl: `${own.url}/r` });
      await payWithMirPay(formUrl, 'mir-0047');
      await waitFor(() => hitsAt(path)[0]);
      const started = Date.now();
      await own.sandbox.callbacks.flush();
      const entries = (await (await controlFetch(`${own.url}/sandbox/control/callbacks`)).json()) as { callbacks: OutboxEntry[] };
      expect(entries.callbacks).toMatchObject([
        { state: 'failed', attempts: 1, lastStatus: null, lastError: expect.stringContaining('5000 ms') },
      ]);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      await own.close();
    }
  });

  it('an unreachable endpoint counts as a failure too', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // dynamicCallbackUrl must be on the merchant's site: here the gone one is.
    const gone = `http://127.0.0.1:${port}`;
    const own = await startSandboxServer({ callbacks: { url: `${receiverUrl}/default` }, returnOrigins: [gone] });
    try {
      const ownClient = createGatewayClient({ baseUrl: own.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
      const { orderId } = await ownClient.register({
        orderNumber: `CB-gone-${nextId()}`,
        amount: 1_000,
        returnUrl: `${own.url}/r`,
        dynamicCallbackUrl: `${gone}/gone`,
      });
      await ownClient.decline({ orderId });
      const { formUrl } = await ownClient.register({
        orderNumber: `CB-gone-${nextId()}`,
        amount: 1_000,
        returnUrl: `${own.url}/r`,
        dynamicCallbackUrl: `${gone}/gone`,
      });
      await payWithMirPay(formUrl, 'mir-0047');
      const paidId = new URL(formUrl).searchParams.get('mdOrder')!;
      const failed = await waitForOutbox(paidId, (e) => e.state === 'failed', own);
      expect(failed).toMatchObject({ attempts: 3, lastStatus: null });
      expect(failed.lastError).toBeTruthy();
      // decline.do is not a callback operation of the base set.
      expect(await outbox(orderId, own)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('test controls', () => {
  it('enabled=false: the bank never calls back', async () => {
    expect((await control({ enabled: false })).status).toBe(200);
    const path = endpoint('silent');
    const { orderId } = await paidOrder({ path });
    await server.sandbox.callbacks.flush();
    await sleep(150);
    expect(hitsAt(path)).toEqual([]);
    expect(await outbox(orderId)).toEqual([]);
  });

  it('duplicate=2 sends each notification three times', async () => {
    expect((await control({ duplicate: 2 })).status).toBe(200);
    const path = endpoint('dup');
    await paidOrder({ path });
    await waitFor(() => hitsAt(path).length >= 3);
    await sleep(150);
    const got = hitsAt(path);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((h) => JSON.stringify(h.params))).size).toBe(1);
  });

  it('hold keeps notifications queued; release reverse delivers them newest first', async () => {
    expect((await control({ hold: true })).status).toBe(200);
    const path = endpoint('held');
    const { orderId } = await paidOrder({ path });
    await client.refund({ orderId, amount: 100 });
    await client.refund({ orderId, amount: 200 });
    await server.sandbox.callbacks.flush();
    await sleep(150);
    expect(hitsAt(path)).toEqual([]);
    expect((await outbox(orderId)).map((e) => e.state)).toEqual(['held', 'held', 'held']);

    const released = await control({ order: 'reverse' }, '/release');
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({ released: 3 });
    const got = await waitFor(() => hitsAt(path).length >= 3 && hitsAt(path));
    expect(got.map((h) => `${h.params.operation}:${h.params.amount}`)).toEqual(['refunded:200', 'refunded:100', 'deposited:150000']);
  });

  it('delayMs holds delivery back', async () => {
    expect((await control({ delayMs: 400 })).status).toBe(200);
    const path = endpoint('late');
    await paidOrder({ path });
    const paidAt = Date.now();
    await sleep(150);
    expect(hitsAt(path)).toEqual([]);
    const got = await waitFor(() => hitsAt(path)[0]);
    expect(got.at - paidAt).toBeGreaterThanOrEqual(250);
  });

  it('settings persist and read back; bad input is a 400', async () => {
    const changed = await control({ delayMs: 10, duplicate: 1 });
    expect(await changed.json()).toEqual({ settings: { enabled: true, delayMs: 10, duplicate: 1, hold: false } });
    const listed = (await (await controlFetch(`${server.url}/sandbox/control/callbacks?orderId=none`)).json()) as Record<string, unknown>;
    expect(listed).toEqual({ settings: { enabled: true, delayMs: 10, duplicate: 1, hold: false }, callbacks: [] });
    for (const bad of ['{not json', { delayMs: -1 }, { duplicate: 1.5 }, { enabled: 'no' }, { surprise: true }, []]) {
      const response = await control(bad);
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBeTruthy();
    }
    expect((await control({ order: 'sideways' }, '/release')).status).toBe(400);
  });

  it('a sandbox built without callbacks answers the controls with 409', async () => {
    const plain = await startSandboxServer();
    try {
      expect((await controlFetch(`${plain.url}/sandbox/control/callbacks`)).status).toBe(409);
      expect((await controlFetch(`${plain.url}/sandbox/control/callbacks`, { method: 'POST', body: '{}' })).status).toBe(409);
    } finally {
      await plain.close();
    }
  });
});

describe('the dispatcher at rest', () => {
  /** Queries the sandbox runs while nothing happens, for 400 ms after it starts. */
  async function idleQueries(attempts: number): Promise<number> {
    const base = await openTestDatabase();
    let queries = 0;
    const counted = base.withPlugin({
      transformQuery: (args) => (queries++, args.node),
      transformResult: async (args) => args.result,
    });
    // What the database module marks an instance with (its PostgreSQL pool) stays with the copy.
    for (const mark of Object.getOwnPropertySymbols(base)) Reflect.set(counted, mark, Reflect.get(base, mark));
    const own = await startSandboxServer({ callbacks: { url: `${receiverUrl}/rest`, attempts }, db: counted });
    try {
      queries = 0;
      await sleep(400);
      return queries;
    } finally {
      await own.close();
      await base.destroy();
    }
  }

  it('with nothing queued it does not poll: at most its first run (2 queries), where polling every 50 ms made 7', async () => {
    expect(await idleQueries(3)).toBeLessThanOrEqual(2);
  });

  it('with SANDBOX_CALLBACK_ATTEMPTS=0 nothing can be sent, so it does not run at all', async () => {
    expect(await idleQueries(0)).toBe(0);
  });
});
