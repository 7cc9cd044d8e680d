// Fault injection over real HTTP: the real client against the sandbox told to misbehave. Each fault
// is checked from both ends: the error the client raises, and what the gateway actually did.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import {
  GatewayDuplicateOrderError,
  GatewayError,
  GatewayHttpError,
  GatewayOrderNotFoundError,
  GatewayProtocolError,
  GatewayTimeoutError,
} from '../../lib/gateway/errors';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

let server: SandboxServer;
let client: GatewayClient;
let counter = 0;

beforeAll(async () => {
  server = await startSandboxServer();
  // Short timeout and no status retries: one client call is one HTTP exchange.
  client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 600, statusRetries: 0 });
});
afterEach(async () => {
  await controlFetch(`${server.url}/sandbox/control/faults`, { method: 'DELETE' });
});
afterAll(async () => server.close());

const newOrderNumber = () => `FT-${Date.now().toString(36)}-${++counter}`;

async function addFault(rule: Record<string, unknown>): Promise<{ status: number; body: { rules?: unknown[]; error?: string } }> {
  const response = await controlFetch(`${server.url}/sandbox/control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  return { status: response.status, body: (await response.json()) as { rules?: unknown[]; error?: string } };
}

async function fault(rule: Record<string, unknown>): Promise<void> {
  const { status, body } = await addFault(rule);
  expect(status, body.error).toBe(200);
}

async function rules(): Promise<Array<Record<string, unknown>>> {
  const response = await controlFetch(`${server.url}/sandbox/control/faults`);
  return ((await response.json()) as { rules: Array<Record<string, unknown>> }).rules;
}

async function requests(query: Record<string, string>): Promise<Array<{ method: string; error_code: number }>> {
  const response = await controlFetch(`${server.url}/sandbox/control/requests?${new URLSearchParams(query)}`);
  return ((await response.json()) as { requests: Array<{ method: string; error_code: number }> }).requests;
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

const registration = (orderNumber: string, amount = 10_000) => ({
  orderNumber,
  amount,
  returnUrl: `${server.url}/ok`,
  pageView: 'MOBILE' as const,
});

/** A two-stage order with an open hold, ready for deposit.do. */
async function heldOrder(amount = 25_000): Promise<{ orderId: string; orderNumber: string }> {
  const orderNumber = newOrderNumber();
  const { orderId, formUrl } = await client.registerPreAuth(registration(orderNumber, amount));
  await payWithMirPay(formUrl, 'mir-0047');
  return { orderId, orderNumber };
}

describe('faults that keep the operation from running', () => {
  it('http500 on register.do: HTTP error, outcome unknown, no order, call recorded', async () => {
    await fault({ fault: 'http500', method: 'register.do' });
    const orderNumber = newOrderNumber();
    const error = await failure(client.register(registration(orderNumber)));
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.httpStatus).toBe(500);
    await expect(client.getOrderStatusExtended({ orderNumber })).rejects.toBeInstanceOf(GatewayOrderNotFoundError);
    expect((await requests({ method: 'register.do' })).at(-1)).toMatchObject({ method: 'register.do', error_code: -1 });
    // One-shot: the rule is gone, the same registration now goes through.
    expect(await rules()).toEqual([]);
    await client.register(registration(orderNumber));
  });

  it('malformed on deposit.do: HTML page with 200, protocol error, nothing deposited', async () => {
    const { orderId } = await heldOrder();
    await fault({ fault: 'malformed', method: 'deposit.do', orderId });
    const error = await failure(client.deposit({ orderId, amount: 25_000 }));
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error.outcomeUnknown).toBe(true);
    expect(String(error.raw)).toContain('<html>');
    const status = await client.getOrderStatusExtended({ orderId });
    expect(status.orderStatus).toBe(1);
    expect(status.paymentAmountInfo?.depositedAmount).toBe(0);
    expect(await requests({ orderId, method: 'deposit.do' })).toHaveLength(1);
  });

  it('hang on a status read: the client times out', async () => {
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'hang', method: 'getOrderStatusExtended.do', orderNumber, delayMs: 1500 });
    const started = Date.now();
    const error = await failure(client.getOrderStatusExtended({ orderNumber }));
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error.outcomeUnknown).toBe(true);
    expect(Date.now() - started).toBeLessThan(1400);
    expect((await client.getOrderStatusExtended({ orderNumber })).orderStatus).toBe(0);
  });
});

describe('faults after the operation ran', () => {
  it('lost-response on register.do: timeout, yet the order exists', async () => {
    await fault({ fault: 'lost-response', method: 'register.do', delayMs: 1500 });
    const orderNumber = newOrderNumber();
    const error = await failure(client.register(registration(orderNumber, 4_200)));
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error.outcomeUnknown).toBe(true);
    const status = await client.getOrderStatusExtended({ orderNumber });
    expect(status).toMatchObject({ orderStatus: 0, amount: 4_200 });
    await expect(client.register(registration(orderNumber))).rejects.toBeInstanceOf(GatewayDuplicateOrderError);
  });

  it('lost-response on deposit.do: timeout, yet the money is deposited and the call is recorded', async () => {
    const { orderId } = await heldOrder(25_000);
    await fault({ fault: 'lost-response', method: 'deposit.do', orderId, delayMs: 1500 });
    const error = await failure(client.deposit({ orderId, amount: 25_000 }));
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error.outcomeUnknown).toBe(true);
    const status = await client.getOrderStatusExtended({ orderId });
    expect(status.orderStatus).toBe(2);
    expect(status.paymentAmountInfo?.depositedAmount).toBe(25_000);
    expect(await requests({ orderId, method: 'deposit.do' })).toEqual([expect.objectContaining({ error_code: 0 })]);
  });

  it('truncated on registerPreAuth.do: half a JSON body, protocol error, the order exists', async () => {
    await fault({ fault: 'truncated', method: 'registerPreAuth.do' });
    const orderNumber = newOrderNumber();
    const error = await failure(client.registerPreAuth(registration(orderNumber)));
    expect(error).toBeInstanceOf(GatewayProtocolError);
    expect(error.outcomeUnknown).toBe(true);
    expect(String(error.raw)).toMatch(/^\{"orderId":/);
    expect((await client.getOrderStatusExtended({ orderNumber })).orderStatus).toBe(0);
  });

  it('slow: the answer comes after delayMs and is the normal one', async () => {
    const patient = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000, statusRetries: 0 });
    const orderNumber = newOrderNumber();
    await fault({ fault: 'slow', method: 'register.do', orderNumber, delayMs: 700 });
    const started = Date.now();
    const registered = await patient.register(registration(orderNumber));
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect((await patient.getOrderStatusExtended({ orderId: registered.orderId })).orderStatus).toBe(0);
  });

  it('slow beyond the client timeout: timeout, and the operation still runs', async () => {
    const orderNumber = newOrderNumber();
    await fault({ fault: 'slow', method: 'register.do', orderNumber, delayMs: 900 });
    expect(await failure(client.register(registration(orderNumber)))).toBeInstanceOf(GatewayTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await client.getOrderStatusExtended({ orderNumber })).orderStatus).toBe(0);
  });

  it('foreign-form-url: the order is registered, formUrl points at evil.example', async () => {
    await fault({ fault: 'foreign-form-url' });
    // A global foreign-form-url rule waits for a registration: a status read does not spend it.
    const existing = newOrderNumber();
    await client.register(registration(existing));
    expect(await rules()).toEqual([]);
    await fault({ fault: 'foreign-form-url' });
    await client.getOrderStatusExtended({ orderNumber: existing });
    expect(await rules()).toHaveLength(1);
    const orderNumber = newOrderNumber();
    const registered = await client.registerPreAuth(registration(orderNumber));
    const formUrl = new URL(registered.formUrl);
    expect(formUrl.host).toBe('evil.example');
    expect(formUrl.searchParams.get('mdOrder')).toBe(registered.orderId);
    expect((await client.getOrderStatusExtended({ orderId: registered.orderId })).orderNumber).toBe(orderNumber);
  });
});

describe('matching and consumption', () => {
  it('times: 2 hits two calls, then stops', async () => {
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'http500', method: 'getOrderStatusExtended.do', times: 2 });
    expect(await failure(client.getOrderStatusExtended({ orderNumber }))).toBeInstanceOf(GatewayHttpError);
    expect(await rules()).toMatchObject([{ fault: 'http500', times: 2, used: 1 }]);
    expect(await failure(client.getOrderStatusExtended({ orderNumber }))).toBeInstanceOf(GatewayHttpError);
    expect((await client.getOrderStatusExtended({ orderNumber })).orderStatus).toBe(0);
    expect(await rules()).toEqual([]);
  });

  it('times: 0 lasts until cleared', async () => {
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'malformed', method: 'getOrderStatusExtended.do', orderNumber, times: 0 });
    for (let i = 0; i < 3; i++) {
      expect(await failure(client.getOrderStatusExtended({ orderNumber }))).toBeInstanceOf(GatewayProtocolError);
    }
    expect(await rules()).toMatchObject([{ times: 0, used: 3 }]);
  });

  it('a per-order rule does not hit another order, nor another method', async () => {
    const mine = await heldOrder(10_000);
    const other = await heldOrder(10_000);
    await fault({ fault: 'http500', method: 'deposit.do', orderId: mine.orderId });
    await client.getOrderStatusExtended({ orderId: mine.orderId });
    await client.deposit({ orderId: other.orderId, amount: 10_000 });
    expect((await client.getOrderStatusExtended({ orderId: other.orderId })).paymentAmountInfo?.depositedAmount).toBe(10_000);
    expect(await rules()).toHaveLength(1);
    expect(await failure(client.deposit({ orderId: mine.orderId, amount: 10_000 }))).toBeInstanceOf(GatewayHttpError);
    expect((await client.getOrderStatusExtended({ orderId: mine.orderId })).paymentAmountInfo?.depositedAmount).toBe(0);
  });

  it('a rule by orderNumber also hits calls that name the order by orderId', async () => {
    const { orderId, orderNumber } = await heldOrder(10_000);
    await fault({ fault: 'http500', method: 'deposit.do', orderNumber });
    expect(await failure(client.deposit({ orderId, amount: 10_000 }))).toBeInstanceOf(GatewayHttpError);
    expect(await rules()).toEqual([]);
  });

  it('per-order rules win over global ones', async () => {
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'malformed', method: 'getOrderStatusExtended.do' });
    await fault({ fault: 'http500', method: 'getOrderStatusExtended.do', orderNumber });
    expect(await failure(client.getOrderStatusExtended({ orderNumber }))).toBeInstanceOf(GatewayHttpError);
    expect(await rules()).toMatchObject([{ fault: 'malformed' }]);
  });

  it('concurrent calls consume a times=1 rule exactly once', async () => {
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'http500' });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => client.getOrderStatusExtended({ orderNumber })));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(GatewayHttpError);
    expect(await rules()).toEqual([]);
  });

  it('calls interleaved inside the handler consume a times=2 rule exactly twice', async () => {
    // Over HTTP the requests tend to arrive one after another; started together on the handler,
    // their reads and writes of the rule interleave, which is the race the compare-and-swap closes.
    const orderNumber = newOrderNumber();
    await client.register(registration(orderNumber));
    await fault({ fault: 'http500', method: 'getOrderStatusExtended.do', times: 2 });
    const body = new URLSearchParams({ ...SANDBOX_AUTH, orderNumber }).toString();
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        server.sandbox.handle(new Request(`${server.restUrl}getOrderStatusExtended.do`, { method: 'POST', body })).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(18);
    expect(await rules()).toEqual([]);
  });
});

describe('the control endpoint', () => {
  it('adds (JSON and form), lists, and clears with DELETE or POST …/clear', async () => {
    expect(await rules()).toEqual([]);
    const { body } = await addFault({ fault: 'slow', method: 'deposit.do', orderId: 'abc', times: 3, delayMs: 10 });
    expect(body.rules).toEqual([{ id: 1, fault: 'slow', method: 'deposit.do', orderId: 'abc', times: 3, delayMs: 10, used: 0 }]);
    const form = await controlFetch(`${server.url}/sandbox/control/faults`, {
      method: 'POST',
      body: new URLSearchParams({ fault: 'hang', method: 'register.do', orderNumber: 'N-1', times: '0', delayMs: '' }),
    });
    expect(form.status).toBe(200);
    expect(await rules()).toMatchObject([{ id: 1 }, { id: 2, fault: 'hang', orderNumber: 'N-1', times: 0 }]);

    const deleted = await controlFetch(`${server.url}/sandbox/control/faults`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ rules: [] });
    expect(await rules()).toEqual([]);

    await fault({ fault: 'http500' });
    const cleared = await controlFetch(`${server.url}/sandbox/control/faults/clear`, { method: 'POST' });
    expect(cleared.status).toBe(200);
    expect(await rules()).toEqual([]);
    // DELETE is allowed on this one path only.
    expect((await controlFetch(`${server.url}/sandbox/control/requests`, { method: 'DELETE' })).status).toBe(405);
  });

  it.each([
    [{ fault: 'explode' }, 'fault'],
    [{}, 'fault'],
    [{ fault: 'http500', method: 'pay.do' }, 'method'],
    [{ fault: 'http500', method: 'register' }, 'method'],
    [{ fault: 'http500', times: -1 }, 'times'],
    [{ fault: 'http500', times: 1.5 }, 'times'],
    [{ fault: 'slow', delayMs: 'soon' }, 'delayMs'],
    [{ fault: 'slow', delayMs: 10_000_000 }, 'delayMs'],
    [{ fault: 'foreign-form-url', method: 'deposit.do' }, 'method'],
    [{ fault: 'foreign-form-url', orderId: 'x' }, 'orderId'],
    [{ fault: 'http500', order_id: 'x' }, 'order_id'],
  ])('refuses %j with 400 naming %s', async (rule, field) => {
    const { status, body } = await addFault(rule);
    expect(status).toBe(400);
    expect(body.error).toContain(field);
    expect(await rules()).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await controlFetch(`${server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"fault":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toHaveProperty('error');
  });
});
