// The sandbox's callback notifications over real HTTP: the real gateway client and a phone drive
// orders through every transition, and a tiny node:http receiver plays the merchant's endpoint.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyCallback } from '../../lib/gateway/checksum';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, SANDBOX_CALLBACK_KEY, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

type Hit = { method: string; path: string; params: Record<string, string>; contentType: string | undefined; at: number };
type Responder = (nth: number, res: ServerResponse) => void;

let receiver: Server;
let receiverUrl: string;
let server: SandboxServer;
let client: GatewayClient;
const hits: Hit[] = [];
const responders = new Map<string, Responder>();
let counter = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => void receive(req, res));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startSandboxServer({ callbacks: { url: `${receiverUrl}/default`, attempts: 3, intervalMs: 50 } });
  client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
});
afterAll(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
afterEach(async () => {
  expect((await control({ enabled: true, delayMs: 0, duplicate: 0, hold: false })).status).toBe(200);
});

async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', receiverUrl);
  const query = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString()) : url.searchParams;
  hits.push({
    method: req.method ?? '',
    path: url.pathname,
    params: Object.fromEntries(query),
    contentType: req.headers['content-type'],
    at: Date.now(),
  });
  const respond = responders.get(url.pathname);
  if (respond) return respond(hits.filter((h) => h.path === url.pathname).length, res);
  res.writeHead(200).end('OK');
}

/** A fresh receiver path, so each test sees only its own notifications. */
function endpoint(name: string, respond?: Responder): string {
  const path = `/${name}-${++counter}`;
  if (respond) responders.set(path, respond);
  return path;
}
const hitsAt = (path: string) => hits.filter((h) => h.path === path);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 4000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

async function control(body: unknown, suffix = ''): Promise<Response> {
  return controlFetch(`${server.url}/sandbox/control/callbacks${suffix}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

type OutboxEntry = { state: string; attempts: number; lastStatus: number | null; lastError: string | null; operation: string };
async function outbox(orderId: string, on: SandboxServer = server): Promise<OutboxEntry[]> {
  const response = await controlFetch(`${on.url}/sandbox/control/callbacks?orderId=${orderId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { callbacks: OutboxEntry[] }).callbacks;
}

/** A paid order (one-stage: deposited; two-stage: approved), its notifications sent to `path`. */
async function paidOrder(options: { path?: string; twoStage?: boolean; amount?: number; card?: string } = {}) {
  const orderNumber = `CB-${Date.now().toString(36)}-${++counter}`;
  const register = options.twoStage ? client.registerPreAuth : client.register;
  const { orderId, formUrl } = await register({
    orderNumber,
    amount: options.amount ?? 150_000,
    returnUrl: `${server.url}/checkout/return`,
    pageView: 'MOBILE',
    ...(options.path ? { dynamicCallbackUrl: `${receiverUrl}${options.path}` } : {}),
  });
  await payWithMirPay(formUrl, options.card ?? 'mir-0047');
  return { orderId, orderNumber };
}

function expectSigned(hit: Hit): void {
  expect(verifyCallback(hit.params, SANDBOX_CALLBACK_KEY)).toBe(true);
  expect(hit.params.checksum).toMatch(/^[0-9A-F]{64}$/);
  expect(verifyCallback(hit.params, 'another-key-0123456789abcdef')).toBe(false);
  expect(verifyCallback({ ...hit.params, amount: '1' }, SANDBOX_CALLBACK_KEY)).toBe(false);
}

describe('a notification for every transition', () => {
  it('one-stage: deposited with the amount, then one refunded per refund, signed, by GET', async () => {
    const path = endpoint('one-stage');
    const { orderId, orderNumber } = await paidOrder({ path });
    await client.refund({ orderId, amount: 50_000 });
    await client.refund({ orderId, amount: 20_000 });
    const got = await waitFor(() => hitsAt(path).length >= 3 && hitsAt(path));
    expect(got.map((h) => h.method)).toEqual(['GET', 'GET', 'GET']);
    expect(got.map((h) => h.params)).toEqual([
      { mdOrder: orderId, orderNumber, operation: 'deposited', status: '1', amount: '150000', checksum: expect.any(String) },
      { mdOrder: orderId, orderNumber, operation: 'refunded', status: '1', amount: '50000', checksum: expect.any(String) },
      { mdOrder: orderId, orderNumber, operation: 'refunded', status: '1', amount: '20000', checksum: expect.any(String) },
    ]);
    got.forEach(expectSigned);
    const entries = await outbox(orderId);
    expect(entries.map((e) => [e.operation, e.state, e.attempts, e.lastStatus])).toEqual([
      ['deposited', 'delivered', 1, 200],
      ['refunded', 'delivered', 1, 200],
      ['refunded', 'delivered', 1, 200],
    ]);
  });

  it('two-stage: approved, then deposited with the deposited amount', async () => {
    const path = endpoint('two-stage');
    const { orderId, orderNumber } = await paidOrder({ path, twoStage: true, amount: 99_900 });
    const approved = await waitFor(() => hitsAt(path)[0]);
    expect(approved.params).toEqual({ mdOrder: orderId, orderNumber, operation: 'approved', status: '1', checksum: expect.any(String) });
    expectSigned(approved);
    await client.deposit({ orderId, amount: 99_900 });
    const deposited = await waitFor(() => hitsAt(path)[1]);
    expect(deposited.params).toMatchObject({ mdOrder: orderId, operation: 'deposited', status: '1', amount: '99900' });
    expectSigned(deposited);
  });

  it('reversed: a released hold', async () => {
    const path = endpoint('reverse');
    const { orderId, orderNumber } = await paidOrder({ path, twoStage: true });
    await client.reverse({ orderId });
    const got = await waitFor(() => hitsAt(path).length >= 2 && hitsAt(path));
    expect(got.map((h) => h.params.operation)).toEqual(['approved', 'reversed']);
    expect(got[1]!.params).toEqual({ mdOrder: orderId, orderNumber, operation: 'reversed', status: '1', checksum: expect.any(String) });
    expectSigned(got[1]!);
  });

  it('a declined card attempt sends nothing', async () => {
    const path = endpoint('declined');
    const { orderId } = await paidOrder({ path, card: 'mir-1119' });
    await server.sandbox.callbacks.flush();
    await sleep(150);
    expect(hitsAt(path)).toEqual([]);
    expect(await outbox(orderId)).toEqual([]);
  });

  it('declinedByTimeout: an unpaid order past its lifetime, found expired on the next read', async () => {
    const path = endpoint('expiry');
    const orderNumber = `CB-exp-${++counter}`;
    const { orderId } = await client.register({
      orderNumber,
      amount: 10_000,
      returnUrl: `${server.url}/checkout/return`,
      sessionTimeoutSecs: 60,
      dynamicCallbackUrl: `${receiverUrl}${path}`,
    });
    await controlFetch(`${server.url}/sandbox/control/clock`, { method: 'POST', body: new URLSearchParams({ advanceSeconds: '61' }) });
    expect((await client.getOrderStatusExtended({ orderId })).orderStatus).toBe(6);
    const got = await waitFor(() => hitsAt(path)[0]);
    expect(got.params).toEqual({
      mdOrder: orderId,
      orderNumber,
      operation: 'declinedByTimeout',
      status: '1',
      checksum: expect.any(String),
    });
    expectSigned(got);
    // Read again: the order expired once, so it is notified once.
    await client.getOrderStatusExtended({ orderId });
    await server.sandbox.callbacks.flush();
    expect(hitsAt(path)).toHaveLength(1);
  });
});

describe('where and how', () => {
  it('dynamicCallbackUrl wins over the configured URL', async () => {
    const path = endpoint('dynamic');
    const withDynamic = await paidOrder({ path });
    const withoutDynamic = await paidOrder();
    await waitFor(() => hits.some((h) => h.path === '/default' && h.params.mdOrder === withoutDynamic.orderId));
    await waitFor(() => hitsAt(path)[0]);
    expect(hits.filter((h) => h.params.mdOrder === withDynamic.orderId).map((h) => h.path)).toEqual([path]);
    expect(hits.filter((h) => h.params.mdOrder === withoutDynamic.orderId).map((h) => h.path)).toEqual(['/default']);
  });

  it("method 'POST' sends the same signed parameters as a form body", async () => {
    const path = endpoint('post');
    const postServer = await startSandboxServer({ callbacks: { url: `${receiverUrl}${path}`, method: 'POST' } });
    try {
      const postClient = createGatewayClient({ baseUrl: postServer.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
      const { orderId, formUrl } = await postClient.register({
        orderNumber: `CB-post-${++counter}`,
        amount: 5_000,
        returnUrl: `${postServer.url}/r`,
      });
      await payWithMirPay(formUrl, 'mir-0047');
      const got = await waitFor(() => hitsAt(path)[0]);
      expect(got.method).toBe('POST');
      expect(got.contentType).toBe('application/x-www-form-urlencoded');
      expect(got.params).toMatchObject({ mdOrder: orderId, operation: 'deposited', amount: '5000' });
      expectSigned(got);
    } finally {
      await postServer.close();
    }
  });

  it('a REST answer does not wait for a slow merchant', async () => {
    // The first notification is answered only when the test says so; later ones at once.
    let answer: (() => void) | undefined;
    const path = endpoint('slow', (nth, res) => {
      if (nth === 1) answer = () => res.writeHead(200).end();
      else res.writeHead(200).end();
    });
    const { orderId } = await paidOrder({ path });
    await waitFor(() => answer);
    const started = Date.now();
    await client.refund({ orderId, amount: 1_000 });
    expect(Date.now() - started).toBeLessThan(1000);
    answer!();
    await waitFor(() => hitsAt(path).length >= 2);
  });
});

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
      const { formUrl } = await ownClient.register({ orderNumber: `CB-hang-${++counter}`, amount: 1_000, returnUrl: `${own.url}/r` });
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
        orderNumber: `CB-gone-${++counter}`,
        amount: 1_000,
        returnUrl: `${own.url}/r`,
        dynamicCallbackUrl: `${gone}/gone`,
      });
      await ownClient.decline({ orderId });
      const { formUrl } = await ownClient.register({
        orderNumber: `CB-gone-${++counter}`,
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

async function waitForOutbox(orderId: string, done: (entry: OutboxEntry) => boolean, on: SandboxServer = server): Promise<OutboxEntry> {
  const deadline = Date.now() + 4000;
  for (;;) {
    const entry = (await outbox(orderId, on))[0];
    if (entry && done(entry)) return entry;
    if (Date.now() > deadline) throw new Error(`outbox of ${orderId}: ${JSON.stringify(entry)}`);
    await sleep(30);
  }
}
