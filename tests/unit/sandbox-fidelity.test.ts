// What a real answer carries beyond the basics (docs/gateway-api.md §3.2–§3.6, §5): getOrderStatus.do's
// old shape, the refusal of methods the sandbox does not emulate, refund.do with amount=0,
// externalRefundId and receipt lines, full refunds[] items, secureAuthInfo, merchantIp, the
// payer's ip, decline.do's actionCode and errorCode as a number.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriver, VISA_OK, type Driver, type Json, type Params } from '../helpers/sandbox-driver';

let d: Driver;
beforeEach(async () => {
  d = await createDriver();
});
afterEach(async () => {
  await d.close();
});

const call = async (method: string, params: Params, language?: 'en'): Promise<Json> => {
  const { status, contentType, body } = await d.rest(method, language ? { ...params, language } : params);
  expect(status).toBe(200);
  expect(contentType).toMatch(/^application\/json/);
  return body;
};

const BUNDLE = {
  cartItems: {
    items: [
      { positionId: 1, name: 'Кружка', quantity: { value: 2, measure: 'шт' }, itemAmount: 6000, itemCode: 'mug', itemPrice: 3000 },
      { positionId: 2, name: 'Мёд', quantity: { value: 1, measure: 'шт' }, itemAmount: 4000, itemCode: 'honey', itemPrice: 4000 },
    ],
  },
};

describe('getOrderStatus.do (the old status method)', () => {
  it('answers a paid order in the old shape, capitalised keys included', async () => {
    const { orderId, orderNumber } = await d.paidOrder({ amount: 10000, clientId: 'c-1' });
    const body = await call('getOrderStatus', { orderId });
    expect(body).toMatchObject({
      ErrorCode: '0',
      ErrorMessage: 'Успешно',
      OrderStatus: 2,
      OrderNumber: orderNumber,
      Pan: '411111**1111',
      expiration: '203412',
      cardholderName: 'IVAN IVANOV',
      Amount: 10000,
      currency: '643',
      authCode: 2,
      depositAmount: 10000,
      Ip: '127.0.0.1',
      clientId: 'c-1',
    });
    expect(body.approvalCode).toMatch(/^\d{6}$/);
    expect(typeof body.date).toBe('number');
    expect(body).not.toHaveProperty('errorCode');
  });

  it('an unpaid order has no card fields; a declined one is ErrorCode 2 with its data', async () => {
    const { orderId } = await d.register();
    const created = await call('getOrderStatus', { orderId });
    expect(created).toMatchObject({ ErrorCode: '0', OrderStatus: 0 });
    expect(created).not.toHaveProperty('Pan');
    await call('decline', { orderId });
    const declined = await call('getOrderStatus', { orderId }, 'en');
    expect(declined).toMatchObject({ ErrorCode: '2', OrderStatus: 6 });
    expect(declined.ErrorMessage).toMatch(/declined/);
  });

  it('its errors: 5 without orderId or with wrong credentials, 6 for an unknown order, in the old keys', async () => {
    expect(await call('getOrderStatus', {})).toEqual({ ErrorCode: '5', ErrorMessage: '[orderId] не задан' });
    expect(await call('getOrderStatus', { orderId: '00000000-0000-4000-8000-000000000000' }, 'en')).toEqual({
      ErrorCode: '6',
      ErrorMessage: 'Wrong order number',
    });
    const { body } = await d.rest('getOrderStatus', { userName: 'sandbox-api', password: 'wrong', orderId: 'x' }, { auth: false });
    expect(body).toEqual({ ErrorCode: '5', ErrorMessage: 'Доступ запрещён' });
  });
});

describe('methods the sandbox does not emulate', () => {
  for (const method of ['getBindings', 'unBindCard', 'paymentOrderBinding', 'addParams', 'verifyEnrollment', 'paymentOrder']) {
    it(`${method}.do: HTTP 200, JSON, errorCode 5, message in the request's language`, async () => {
      const ru = await call(method, { orderId: 'x' });
      expect(ru).toEqual({ errorCode: '5', errorMessage: `Доступ запрещён: метод ${method}.do недоступен` });
      const en = await call(method, { orderId: 'x' }, 'en');
      expect(en).toEqual({ errorCode: '5', errorMessage: `Access denied: method ${method}.do is not available` });
    });
  }

  it('any other path under /payment/rest/, by GET or POST, is the same JSON refusal, never a 404', async () => {
    for (const path of ['/sandbox/payment/rest/mir/paymentDirect.do', '/sandbox/payment/rest/nothing', '/sandbox/payment/rest/']) {
      const response = await d.handle(`${path}?language=en&userName=sandbox-api&password=sandbox-password`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as Json;
      expect(body.errorCode).toBe('5');
      expect(body.errorMessage).toMatch(/^Access denied/);
    }
  });

  it('repeats only a plain method name', async () => {
    const response = await d.handle(`/sandbox/payment/rest/${'x'.repeat(100)}%3Cb%3E.do?userName=sandbox-api&password=sandbox-password`);
    expect(((await response.json()) as Json).errorMessage).toBe('Доступ запрещён: метод ….do недоступен');
  });

  it('is recorded in the request log like any call', async () => {
    await call('getBindings', { clientId: 'c' });
    expect(await d.requests({ method: 'getBindings.do' })).toHaveLength(1);
  });
});

describe('refund.do', () => {
  it('amount=0 refunds everything still refundable; depositedAmount keeps the captured amount', async () => {
    const { orderId } = await d.paidOrder({ amount: 10000 });
    expect((await call('refund', { orderId, amount: 2500 })).errorCode).toBe('0');
    expect((await call('refund', { orderId, amount: 0 })).errorCode).toBe('0');
    const status = await d.status(orderId);
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'REFUNDED', depositedAmount: 10000, refundedAmount: 10000 });
    expect(status.refunds.map((r: Json) => r.amount)).toEqual([2500, 7500]);
    // Nothing left: a further amount=0 is refused like any refund over the deposit.
    expect((await call('refund', { orderId, amount: 0 })).errorCode).toBe('7');
  });

  it('refunds[] items carry referenceNumber, approvalCode, actionCode and the externalRefundId sent', async () => {
    const { orderId } = await d.paidOrder({ amount: 10000 });
    await call('refund', { orderId, amount: 1000, externalRefundId: 'r-1' });
    await call('refund', { orderId, amount: 500 });
    const [first, second] = (await d.status(orderId)).refunds as Json[];
    expect(first).toMatchObject({ amount: 1000, externalRefundId: 'r-1', actionCode: 0 });
    expect(first!.referenceNumber).toMatch(/^\d{12}$/);
    expect(first!.approvalCode).toMatch(/^\d{6}$/);
    expect(typeof first!.date).toBe('number');
    expect(second).not.toHaveProperty('externalRefundId');
  });

  it('a repeated externalRefundId replays the first refund; with another amount it is refused', async () => {
    const { orderId } = await d.paidOrder({ amount: 10000 });
    expect((await call('refund', { orderId, amount: 1000, externalRefundId: 'r-1' })).errorCode).toBe('0');
    expect((await call('refund', { orderId, amount: 1000, externalRefundId: 'r-1' })).errorCode).toBe('0');
    expect((await call('refund', { orderId, amount: 2000, externalRefundId: 'r-1' })).errorCode).toBe('5');
    expect((await d.status(orderId)).paymentAmountInfo.refundedAmount).toBe(1000);
    expect((await call('refund', { orderId, amount: 1000, externalRefundId: 'x'.repeat(33) })).errorCode).toBe('5');
  });

  it('refundItems: lines of the registered cart, no more than is left of each, adding up to the amount', async () => {
    const { orderId } = await d.paidOrder({ amount: 10000, orderBundle: JSON.stringify(BUNDLE) });
    const mug = (value: number) => ({
      positionId: 1,
      name: 'Кружка',
      quantity: { value, measure: 'шт' },
      itemAmount: 3000 * value,
      itemCode: 'mug',
    });
    const refund = (amount: number, items: unknown[]) => call('refund', { orderId, amount, refundItems: JSON.stringify({ items }) });
    expect((await refund(3000, [mug(1)])).errorCode).toBe('0');
    // The sum must match the amount.
    expect((await refund(2000, [mug(1)])).errorCode).toBe('5');
    // A position the cart does not have.
    expect((await refund(3000, [{ ...mug(1), positionId: 9 }])).errorCode).toBe('5');
    // Only one mug is left.
    expect((await refund(6000, [mug(2)])).errorCode).toBe('5');
    expect((await call('refund', { orderId, amount: 100, refundItems: '{"items":"no"}' })).errorCode).toBe('5');
    expect((await refund(3000, [mug(1)])).errorCode).toBe('0');
    expect((await d.status(orderId)).paymentAmountInfo.refundedAmount).toBe(6000);
  });

  it("accepts Sber ecom's orderBundle.cartItems as the refund's lines", async () => {
    const { orderId } = await d.paidOrder({ amount: 10000, orderBundle: JSON.stringify(BUNDLE) });
    const bundle = { cartItems: { items: [{ positionId: 2, name: 'Мёд', quantity: { value: 1, measure: 'шт' }, itemAmount: 4000 }] } };
    expect((await call('refund', { orderId, amount: 4000, orderBundle: JSON.stringify(bundle) })).errorCode).toBe('0');
    expect((await call('refund', { orderId, amount: 4000, orderBundle: JSON.stringify(bundle) })).errorCode).toBe('5');
  });
});

describe('fields of getOrderStatusExtended.do', () => {
  it('a card payment: cardholderName from the form, secureAuthInfo, the payer ip, merchantIp', async () => {
    const { orderId, formUrl } = await d.register();
    await d.page(formUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.7' },
      body: new URLSearchParams({ ...VISA_OK, cardholder: 'Anna Petrova' }).toString(),
    });
    const status = await d.status(orderId);
    expect(status.ip).toBe('203.0.113.7');
    expect(status.transactionAttributes).toEqual([{ name: 'merchantIp', value: '127.0.0.1' }]);
    expect(status.cardAuthInfo.cardholderName).toBe('ANNA PETROVA');
    expect(status.cardAuthInfo.secureAuthInfo.eci).toBe(5);
    expect(status.cardAuthInfo.secureAuthInfo.threeDSInfo.cavv).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    // The same on every read.
    expect((await d.status(orderId)).cardAuthInfo.secureAuthInfo).toEqual(status.cardAuthInfo.secureAuthInfo);
  });

  it('a Mir Pay payment has no card 3-D Secure block', async () => {
    const { orderId, formUrl } = await d.register();
    await d.payWithMirPay(formUrl, 'mir-0047');
    const status = await d.status(orderId);
    expect(status.orderStatus).toBe(2);
    expect(status.cardAuthInfo).not.toHaveProperty('secureAuthInfo');
  });

  it('after decline.do: status 6 with actionCode 4005 "declined by merchant"', async () => {
    const { orderId } = await d.register();
    await call('decline', { orderId });
    const status = await d.status(orderId, { language: 'en' });
    expect(status).toMatchObject({ orderStatus: 6, actionCode: 4005 });
    expect((await d.status(orderId)).actionCodeDescription).toBe('Отклонено магазином');
  });
});

describe('errorCode as a number (SANDBOX_ERROR_CODE_TYPE=number)', () => {
  it('sends errorCode and ErrorCode as JSON numbers, successes and errors alike', async () => {
    const numeric = await createDriver({ numericErrorCodes: true });
    try {
      const { orderId } = await numeric.paidOrder({ amount: 10000 });
      expect((await numeric.status(orderId)).errorCode).toBe(0);
      expect((await numeric.rest('refund', { orderId, amount: 20000 })).body.errorCode).toBe(7);
      expect((await numeric.rest('getOrderStatus', { orderId })).body.ErrorCode).toBe(0);
      expect((await numeric.rest('getBindings', {})).body.errorCode).toBe(5);
    } finally {
      await numeric.close();
    }
  });
});

describe('refund.do with one externalRefundId at once', () => {
  it('ten concurrent calls make one refund', async () => {
    const { orderId } = await d.paidOrder({ amount: 10000 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('refund', { orderId, amount: 1000, externalRefundId: 'same' })),
    );
    expect(answers.every((a) => a.errorCode === '0')).toBe(true);
    const status = await d.status(orderId);
    expect(status.paymentAmountInfo.refundedAmount).toBe(1000);
    expect(status.refunds).toHaveLength(1);
  });
});
