import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rootLogger } from '../../lib/log/logger';
import { createGatewayClient, type GatewayCallRecord, type GatewayClientOptions } from '../../lib/gateway/client';
import {
  GatewayAccessDeniedError,
  GatewayConnectionError,
  GatewayDuplicateOrderError,
  GatewayError,
  GatewayHttpError,
  GatewayOrderNotFoundError,
  GatewayOrderStateError,
  GatewayProtocolError,
  GatewayRejectedError,
  GatewayTimeoutError,
} from '../../lib/gateway/errors';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/gateway/${name}.json`, import.meta.url), 'utf8');
const BASE = 'http://localhost:3000/sandbox/payment/rest/';
const PASSWORD = 'Pa55-w0rd-s3cret';
const TOKEN = 'tok-7f03a928d6dc29950482';
const ORDER_ID = '66c0640d-c88c-76e6-9dfa-c4ff5e34c9d9';
const reply = (body: string, status = 200) => new Response(body, { status, headers: { 'content-type': 'application/json' } });
const ok = () => reply(fixture('deposit-success-numeric'));
const status200 = () => reply(fixture('status-deposited'));
const http500 = () => reply('<html>Internal Server Error</html>', 500);
/** Never answers: rejects with the signal's reason once the client's timeout aborts it. */
const hang = (_: unknown, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

type Step = Response | Error | typeof hang;
type Call = { url: string; body: URLSearchParams; headers: Headers; method: string | undefined };

function setup(steps: Step[], options: Partial<GatewayClientOptions> = {}) {
  const calls: Call[] = [];
  const delays: number[] = [];
  const records: GatewayCallRecord[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      body: new URLSearchParams(String(init?.body)),
      headers: new Headers(init?.headers),
      method: init?.method,
    });
    const step = steps.shift();
    if (step === undefined) throw new Error('test: unexpected extra fetch call');
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(input, init) : step;
  }) as typeof globalThis.fetch;
  const client = createGatewayClient({
    baseUrl: BASE,
    auth: { userName: 'shop-api', password: PASSWORD },
    fetch,
    sleep: async (ms) => void delays.push(ms),
    onCall: (record) => void records.push(record),
    ...options,
  });
  return { client, calls, delays, records };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

const item = {
  positionId: 1,
  name: 'Чайник',
  quantity: { value: 1, measure: 'шт' },
  itemAmount: 150050,
  itemCode: 'K-1',
  itemPrice: 150050,
};
const registerRequest = {
  orderNumber: '42-1',
  amount: 150050,
  returnUrl: 'https://shop.example/return?order=42',
  jsonParams: { shopOrderId: '42' },
  orderBundle: { cartItems: { items: [item] } },
};

afterEach(() => vi.restoreAllMocks());

describe('wire format', () => {
  it('register: POST form-urlencoded to <baseUrl>register.do with credentials, JSON-string params, amount in kopecks', async () => {
    const { client, calls } = setup([reply(fixture('register-success'))]);
    const result = await client.register(registerRequest);
    expect(result.orderId).toBe('61351fbd-ac25-484f-b930-4d0ce4101ab7');
    expect(calls).toHaveLength(1);
    const { url, method, headers, body } = calls[0]!;
    expect([url, method]).toEqual([`${BASE}register.do`, 'POST']);
    expect(headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(body)).toMatchObject({
      userName: 'shop-api',
      password: PASSWORD,
      amount: '150050',
      currency: '643',
      orderNumber: '42-1',
      returnUrl: 'https://shop.example/return?order=42',
      jsonParams: '{"shopOrderId":"42"}',
    });
    expect(body.has('token')).toBe(false);
    expect(JSON.parse(body.get('orderBundle')!)).toEqual(registerRequest.orderBundle);
  });

  it('token auth sends token and no userName/password; baseUrl without slash still resolves', async () => {
    const { client, calls } = setup([ok()], { auth: { token: TOKEN }, baseUrl: BASE.slice(0, -1) });
    await client.deposit({ orderId: ORDER_ID, amount: 100 });
    expect(calls[0]?.url).toBe(`${BASE}deposit.do`);
    expect(Object.fromEntries(calls[0]!.body)).toEqual({ token: TOKEN, orderId: ORDER_ID, amount: '100' });
  });
});

describe('error mapping', () => {
  it.each([
    ['1', 'register', GatewayDuplicateOrderError],
    ['5', 'deposit', GatewayAccessDeniedError],
    ['6', 'deposit', GatewayOrderNotFoundError],
    ['7', 'deposit', GatewayOrderStateError],
    ['4', 'register', GatewayRejectedError],
  ] as const)('errorCode %s on %s → %o', async (code, op, ErrorClass) => {
    const { client, calls } = setup([reply(JSON.stringify({ errorCode: code, errorMessage: 'x' }))]);
    const error = await failure(op === 'register' ? client.register(registerRequest) : client.deposit({ orderId: ORDER_ID, amount: 100 }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.errorCode).toBe(Number(code));
    expect(error.outcomeUnknown).toBe(false);
    expect(error.operation).toBe(op);
    expect(calls).toHaveLength(1);
  });

  it('real error bodies: duplicate order and access denied', async () => {
    const { client } = setup([reply(fixture('error-duplicate-order')), reply(fixture('error-access-denied'))]);
    const duplicate = await failure(client.register(registerRequest));
    expect(duplicate).toBeInstanceOf(GatewayDuplicateOrderError);
    expect(duplicate.message).toContain('Заказ с таким номером уже обработан');
    expect(await failure(client.getOrderStatusExtended({ orderId: ORDER_ID }))).toBeInstanceOf(GatewayAccessDeniedError);
  });

  it.each([
    ['"0"', '"errorCode":"0",'],
    ['0', '"errorCode":0,'],
    ['a missing key', ''],
  ])('errorCode %s reads as success for a status read and an acknowledgement', async (_label, field) => {
    const status = JSON.parse(fixture('status-deposited')) as Record<string, unknown>;
    delete status.errorCode;
    const statusBody = `{${field}${JSON.stringify(status).slice(1)}`;
    const { client } = setup([reply(statusBody), reply(`{${field}"errorMessage":"Success"}`)]);
    await expect(client.getOrderStatusExtended({ orderId: ORDER_ID })).resolves.toMatchObject({ orderStatus: 2 });
    await expect(client.deposit({ orderId: ORDER_ID, amount: 100 })).resolves.toMatchObject({ errorMessage: 'Success' });
  });

  it.each([
    ['"6"', '"6"'],
    ['6', '6'],
  ])('errorCode %s is the same "order not found" as a string or a number', async (_label, value) => {
    const { client } = setup([reply(`{"errorCode":${value},"errorMessage":"Заказ не найден"}`)]);
    const error = await failure(client.getOrderStatusExtended({ orderId: ORDER_ID }));
    expect(error).toBeInstanceOf(GatewayOrderNotFoundError);
    expect(error.errorCode).toBe(6);
  });

  it('numeric errorCode 0 and string "0" are success', async () => {
    const { client } = setup([ok(), reply('{"errorCode":"0","errorMessage":"Успешно"}')]);
    await expect(client.deposit({ orderId: ORDER_ID, amount: 100 })).resolves.toMatchObject({ errorCode: 0 });
    await expect(client.refund({ orderId: ORDER_ID, amount: 100 })).resolves.toMatchObject({ errorCode: '0' });
  });

  it.each([
    ['HTTP 500', () => http500(), GatewayHttpError],
    ['an HTML body', () => reply('<html>'), GatewayProtocolError],
    ['truncated JSON', () => reply(fixture('register-success').slice(0, 40)), GatewayProtocolError],
    ['a 200 without formUrl', () => reply('{"orderId":"61351fbd-ac25-484f-b930-4d0ce4101ab7"}'), GatewayProtocolError],
    ['a fetch TypeError', () => new TypeError('fetch failed'), GatewayConnectionError],
  ] as const)('register with %s → %o, outcome unknown', async (_label, step, ErrorClass) => {
    const { client, calls } = setup([step()]);
    const error = await failure(client.register(registerRequest));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.outcomeUnknown).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('timeout: a fetch that hangs until aborted → GatewayTimeoutError, outcome unknown, not retried', async () => {
    const { client, calls } = setup([hang], { timeoutMs: 50 });
    const error = await failure(client.deposit({ orderId: ORDER_ID, amount: 100 }));
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(error.outcomeUnknown).toBe(true);
    expect(calls).toHaveLength(1);
  });
});

describe('retry rules', () => {
  it('a deposit after HTTP 500 is not retried', async () => {
    const { client, calls, delays } = setup([http500(), ok()]);
    expect(await failure(client.deposit({ orderId: ORDER_ID, amount: 100 }))).toBeInstanceOf(GatewayHttpError);
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('register after a timeout is not retried', async () => {
    const { client, calls } = setup([hang, reply(fixture('register-success'))], { timeoutMs: 50 });
    expect(await failure(client.register(registerRequest))).toBeInstanceOf(GatewayTimeoutError);
    expect(calls).toHaveLength(1);
  });

  it('a status read after a 500 is retried once with a backoff ≥ 250 ms and succeeds', async () => {
    const { client, calls, delays } = setup([http500(), status200()], { random: () => 0 });
    const status = await client.getOrderStatusExtended({ orderId: ORDER_ID });
    expect(status.orderStatus).toBe(2);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.url).toBe(`${BASE}getOrderStatusExtended.do`);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(250);
  });

  it('a status read gives up after 1 + statusRetries attempts, with growing capped backoff', async () => {
    const { client, calls, delays } = setup([http500(), new TypeError('fetch failed'), http500(), http500(), status200()], {
      statusRetries: 3,
      random: () => 0.999,
    });
    expect(await failure(client.getOrderStatusExtended({ orderNumber: '42-1' }))).toBeInstanceOf(GatewayHttpError);
    expect(calls).toHaveLength(4);
    expect(delays).toHaveLength(3);
    for (const delay of delays) expect(delay >= 250 && delay <= 2000).toBe(true);
    expect(delays[2]).toBeGreaterThan(delays[0]!);
  });

  it('default statusRetries is 2 (3 attempts)', async () => {
    const { client, calls } = setup([http500(), http500(), http500(), status200()]);
    expect(await failure(client.getOrderStatusExtended({ orderId: ORDER_ID }))).toBeInstanceOf(GatewayHttpError);
    expect(calls).toHaveLength(3);
  });

  it('a business error (errorCode 6) on a status read is not retried', async () => {
    const { client, calls, delays } = setup([reply(fixture('error-order-not-found')), status200()]);
    expect(await failure(client.getOrderStatusExtended({ orderNumber: '42-1' }))).toBeInstanceOf(GatewayOrderNotFoundError);
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});

describe('request validation happens before the wire', () => {
  it('deposit with amount 0 is refused without a fetch', async () => {
    const { client, calls } = setup([ok()]);
    const error = await failure(Promise.resolve().then(() => client.deposit({ orderId: ORDER_ID, amount: 0 })));
    expect(error.outcomeUnknown).toBe(false);
    expect(error.message).toContain('amount');
    expect(calls).toHaveLength(0);
  });

  it('register with a relative returnUrl is refused without a fetch', async () => {
    const { client, calls } = setup([reply(fixture('register-success'))]);
    await failure(Promise.resolve().then(() => client.register({ ...registerRequest, returnUrl: '/return' })));
    expect(calls).toHaveLength(0);
  });

  it('an invalid request rejects the returned promise instead of throwing synchronously', async () => {
    const { client } = setup([]);
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = client.deposit({ orderId: ORDER_ID, amount: 0 });
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(GatewayError);
  });
});

describe('onCall records', () => {
  it('one masked record per HTTP attempt with operation, ids and outcome', async () => {
    const { client, records } = setup([
      reply(fixture('register-success')),
      http500(),
      status200(),
      reply(fixture('error-order-not-found')),
    ]);
    await client.register(registerRequest, { orderId: 'shop-42' });
    await client.getOrderStatusExtended({ orderId: ORDER_ID });
    await failure(client.deposit({ orderId: ORDER_ID, amount: 100 }));
    expect(records.map((r) => [r.operation, r.attempt, r.outcome])).toEqual([
      ['register', 1, 'ok'],
      ['getOrderStatusExtended', 1, 'unknown'],
      ['getOrderStatusExtended', 2, 'ok'],
      ['deposit', 1, 'rejected'],
    ]);
    expect(records[0]).toMatchObject({ orderId: 'shop-42', orderNumber: '42-1', gatewayOrderId: '61351fbd-ac25-484f-b930-4d0ce4101ab7' });
    expect(records[1]).toMatchObject({ gatewayOrderId: ORDER_ID, httpStatus: 500 });
    expect(records[3]).toMatchObject({ gatewayOrderId: ORDER_ID, errorCode: 6, httpStatus: 200 });
    for (const record of records) {
      expect(JSON.stringify(record)).not.toContain(PASSWORD);
      expect(['***', undefined]).toContain(record.request.password);
    }
  });

  it('token never appears in a record; PANs in responses are masked', async () => {
    const leaky = { ...JSON.parse(fixture('status-deposited')), cardAuthInfo: { pan: '4111111111111111' }, token: TOKEN };
    const { client, records } = setup([reply(JSON.stringify(leaky))], { auth: { token: TOKEN } });
    await client.getOrderStatusExtended({ orderId: ORDER_ID });
    expect(JSON.stringify(records)).not.toContain(TOKEN);
    expect(JSON.stringify(records)).not.toContain('4111111111111111');
    expect(records[0]?.response).toMatchObject({ token: '***', cardAuthInfo: { pan: '411111******1111' } });
  });

  it('a throwing onCall does not change the result', async () => {
    const logged = vi.spyOn(rootLogger(), 'error').mockImplementation(() => {});
    const onCall = (): never => {
      throw new Error('database down');
    };
    const { client } = setup([reply(fixture('register-success')), reply(fixture('error-duplicate-order'))], { onCall });
    await expect(client.register(registerRequest)).resolves.toMatchObject({ orderId: '61351fbd-ac25-484f-b930-4d0ce4101ab7' });
    expect(await failure(client.register(registerRequest))).toBeInstanceOf(GatewayDuplicateOrderError);
    const asyncOnCall = async () => Promise.reject(new Error('async failure'));
    const second = setup([ok()], { onCall: asyncOnCall });
    await expect(second.client.deposit({ orderId: ORDER_ID, amount: 1 })).resolves.toMatchObject({ errorCode: 0 });
    expect(logged.mock.calls.map(([fields]) => fields)).toEqual([
      expect.objectContaining({ event: 'gateway.record_failed', operation: 'register' }),
      expect.objectContaining({ event: 'gateway.record_failed', operation: 'register' }),
      expect.objectContaining({ event: 'gateway.record_failed', operation: 'deposit' }),
    ]);
  });
});
