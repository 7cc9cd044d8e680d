// register.do / registerPreAuth.do / getOrderStatusExtended.do of the sandbox, through its HTTP
// interface (docs/gateway-api.md §1.3–§1.4, §2, §3, §10).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, createDriver, PUBLIC_URL, RETURN_URL, UUID, type Driver } from '../helpers/sandbox-driver';

let d: Driver;
beforeEach(async () => {
  d = await createDriver();
});
afterEach(async () => {
  await d.close();
});

const base = { orderNumber: 'N-1', amount: 10000, returnUrl: RETURN_URL };

/** Asserts the bank's error envelope: HTTP 200, errorCode as a string, an errorMessage, nothing else. */
async function expectError(method: string, params: Record<string, string | number>, code: string, opts: { auth?: boolean } = {}) {
  const { status, body } = await d.rest(method, params, opts);
  expect(status).toBe(200);
  expect(body.errorCode).toBe(code);
  expect(typeof body.errorMessage).toBe('string');
  expect(body.errorMessage.length).toBeGreaterThan(0);
  expect(body.orderId).toBeUndefined();
  expect(body.formUrl).toBeUndefined();
  return body;
}

describe.each(['register', 'registerPreAuth'])('%s.do', (method) => {
  it('answers {orderId, formUrl} with no errorCode, as JSON over HTTP 200', async () => {
    const { status, contentType, body } = await d.rest(method, { ...base, pageView: 'MOBILE' });
    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/json/);
    expect(Object.keys(body).sort()).toEqual(['formUrl', 'orderId']);
    expect(body.orderId).toMatch(UUID);
    expect(body.formUrl).toBe(
      `${PUBLIC_URL}/sandbox/payment/merchants/demo-shop/mobile_payment_ru.html?mdOrder=${body.orderId}&pageView=MOBILE`,
    );
  });

  it('builds a desktop English formUrl for pageView=DESKTOP and language=en', async () => {
    const { body } = await d.rest(method, { ...base, pageView: 'DESKTOP', language: 'en' });
    expect(body.formUrl).toBe(`${PUBLIC_URL}/sandbox/payment/merchants/demo-shop/payment_en.html?mdOrder=${body.orderId}`);
  });

  it('accepts the parameters as a GET query string', async () => {
    const { status, body } = await d.rest(method, base, { via: 'GET' });
    expect(status).toBe(200);
    expect(body.errorCode).toBeUndefined();
    expect(body.orderId).toMatch(UUID);
    expect((await d.status(body.orderId)).orderNumber).toBe('N-1');
  });

  it('refuses a duplicate orderNumber with "1" and does not return the old order', async () => {
    const first = await d.rest(method, base);
    const second = await expectError(method, base, '1');
    expect(JSON.stringify(second)).not.toContain(first.body.orderId);
  });

  it.each(['orderNumber', 'amount', 'returnUrl'])('answers "4" when %s is missing', async (name) => {
    const params: Record<string, string | number> = { ...base };
    delete params[name];
    await expectError(method, params, '4');
  });

  it('answers "4" for a relative returnUrl', async () => {
    await expectError(method, { ...base, returnUrl: '/checkout/return' }, '4');
  });

  it('answers "5" for a wrong password, "4" without userName, "5" for a wrong token', async () => {
    await expectError(method, { ...base, userName: AUTH.userName, password: 'nope' }, '5', { auth: false });
    await expectError(method, { ...base, password: AUTH.password }, '4', { auth: false });
    await expectError(method, { ...base, token: 'not-the-token' }, '5', { auth: false });
  });

  it.each(['abc', '0', '-5', '12.50'])('answers "5" for amount=%s', async (amount) => {
    await expectError(method, { ...base, amount }, '5');
  });

  it('answers "3" for currency 840 and accepts 643', async () => {
    await expectError(method, { ...base, currency: 840 }, '3');
    const { body } = await d.rest(method, { ...base, currency: 643 });
    expect(body.orderId).toMatch(UUID);
  });

  it('answers "5" for jsonParams that are not a JSON object', async () => {
    await expectError(method, { ...base, jsonParams: '{"a":' }, '5');
    await expectError(method, { ...base, jsonParams: '[1,2]' }, '5');
  });

  it('words errorMessage in English for language=en, Russian by default', async () => {
    const en = await expectError(method, { ...base, password: 'nope', userName: AUTH.userName, language: 'en' }, '5', { auth: false });
    expect(en.errorMessage).toBe('Access denied');
    const ru = await expectError(method, { ...base, password: 'nope', userName: AUTH.userName }, '5', { auth: false });
    expect(ru.errorMessage).toBe('Доступ запрещён');
  });

  it('does not record a refused order: the orderNumber stays free', async () => {
    await expectError(method, { ...base, currency: 840 }, '3');
    const { body } = await d.rest(method, base);
    expect(body.orderId).toMatch(UUID);
  });
});

describe('token authentication', () => {
  it('accepts the configured token and refuses another one', async () => {
    const t = await createDriver({ credentials: { token: 'tok-sandbox-1234' } });
    try {
      const good = await t.rest('register', { ...base, token: 'tok-sandbox-1234' }, { auth: false });
      expect(good.body.orderId).toMatch(UUID);
      const bad = await t.rest('register', { ...base, orderNumber: 'N-2', token: 'tok-other' }, { auth: false });
      expect(bad.body).toEqual({ errorCode: '5', errorMessage: 'Доступ запрещён' });
      // userName/password are not accepted when the sandbox is configured with a token.
      const login = await t.rest('register', { ...base, orderNumber: 'N-3' });
      expect(login.body.errorCode).toBe('5');
    } finally {
      await t.close();
    }
  });
});

describe('getOrderStatusExtended.do', () => {
  it('describes a fresh order with the field set of docs/gateway-api.md §3.5(a)', async () => {
    const before = Date.now();
    const { orderId } = await d.register({
      orderNumber: 'ORD-7',
      amount: 12345,
      description: 'Two mugs',
      jsonParams: JSON.stringify({ shopOrderId: '42', channel: 'web' }),
    });
    const body = await d.status(orderId);
    expect(Object.keys(body).sort()).toEqual(
      [
        'errorCode',
        'errorMessage',
        'orderNumber',
        'orderStatus',
        'actionCode',
        'actionCodeDescription',
        'amount',
        'currency',
        'date',
        'orderDescription',
        'merchantOrderParams',
        'transactionAttributes',
        'attributes',
        'terminalId',
        'paymentAmountInfo',
        'bankInfo',
        'chargeback',
      ].sort(),
    );
    expect(body).toMatchObject({
      errorCode: '0',
      errorMessage: 'Успешно',
      orderNumber: 'ORD-7',
      orderStatus: 0,
      actionCode: -100,
      actionCodeDescription: '',
      amount: 12345,
      currency: '643',
      orderDescription: 'Two mugs',
      // The driver's requests carry no X-Forwarded-For: the sandbox sees the loopback address.
      transactionAttributes: [{ name: 'merchantIp', value: '127.0.0.1' }],
      attributes: [{ name: 'mdOrder', value: orderId }],
      chargeback: false,
    });
    expect(body.merchantOrderParams).toEqual(
      expect.arrayContaining([
        { name: 'shopOrderId', value: '42' },
        { name: 'channel', value: 'web' },
      ]),
    );
    expect(body.merchantOrderParams).toHaveLength(2);
    expect(typeof body.date).toBe('number');
    expect(body.date).toBeGreaterThanOrEqual(before);
    expect(body.date).toBeLessThanOrEqual(Date.now());
    expect(body.paymentAmountInfo).toEqual({
      paymentState: 'CREATED',
      approvedAmount: 0,
      depositedAmount: 0,
      refundedAmount: 0,
      feeAmount: 0,
      totalAmount: 12345,
    });
    expect(body.bankInfo).toEqual({ bankCountryCode: 'UNKNOWN', bankCountryName: '<Неизвестно>' });
    expect(body.cardAuthInfo).toBeUndefined();
    expect(body.ip).toBeUndefined();
  });

  it('finds the order by orderNumber, and orderId wins when both are given', async () => {
    const a = await d.register({ orderNumber: 'A-1' });
    const b = await d.register({ orderNumber: 'B-1' });
    const byNumber = (await d.rest('getOrderStatusExtended', { orderNumber: 'A-1' })).body;
    expect(byNumber.attributes).toEqual([{ name: 'mdOrder', value: a.orderId }]);
    const both = (await d.rest('getOrderStatusExtended', { orderId: b.orderId, orderNumber: 'A-1' })).body;
    expect(both.orderNumber).toBe('B-1');
  });

  it('answers "6" with empty merchantOrderParams and attributes for an unknown orderId', async () => {
    const { status, body } = await d.rest('getOrderStatusExtended', { orderId: '9d9b693d-8b57-7f03-a928-d6dc29950482' });
    expect(status).toBe(200);
    expect(body).toEqual({ errorCode: '6', errorMessage: 'Заказ не найден', merchantOrderParams: [], attributes: [] });
  });

  it('answers "4" when neither orderId nor orderNumber is given, "5" for wrong credentials', async () => {
    const missing = (await d.rest('getOrderStatusExtended', {})).body;
    expect(missing.errorCode).toBe('4');
    expect(typeof missing.errorMessage).toBe('string');
    const { orderId } = await d.register();
    const denied = (await d.rest('getOrderStatusExtended', { orderId, ...AUTH, password: 'x', language: 'en' }, { auth: false })).body;
    expect(denied).toEqual({ errorCode: '5', errorMessage: 'Access denied' });
  });

  it('answers in English for language=en', async () => {
    const { orderId } = await d.register();
    const body = await d.status(orderId, { language: 'en' });
    expect(body.errorMessage).toBe('Success');
  });
});

describe('routing', () => {
  it('answers 404 for unknown paths outside the REST base (methods inside it: sandbox-fidelity.test.ts)', async () => {
    expect((await d.page('/sandbox/nothing-here')).status).toBe(404);
    expect((await d.page('/payment/rest/register.do')).status).toBe(404);
    expect((await d.page('/sandbox/payment/merchants/other-shop/payment_ru.html?mdOrder=x')).status).toBe(404);
  });

  it('answers 404 on the payment page for an unknown mdOrder', async () => {
    const res = await d.open('/sandbox/payment/merchants/demo-shop/payment_ru.html?mdOrder=00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(404);
  });
});
