// deposit.do, reverse.do, refund.do and decline.do of the sandbox, and its request log
// (docs/gateway-api.md §4, §5, §10, §11; docs/architecture.md §4: deposit above the hold → 7, refund → 4).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriver, RETURN_URL, type Driver, type Json, type Params } from '../helpers/sandbox-driver';

let d: Driver;
beforeEach(async () => {
  d = await createDriver();
});
afterEach(async () => {
  await d.close();
});

const OK = { errorCode: '0', errorMessage: 'Успешно' };
const call = async (method: string, params: Params): Promise<Json> => {
  const { status, body } = await d.rest(method, params);
  expect(status).toBe(200);
  return body;
};
/** Asserts the error envelope: errorCode as a string and a non-empty errorMessage, nothing more. */
const expectError = (body: Json, code: string) => {
  expect(Object.keys(body).sort()).toEqual(['errorCode', 'errorMessage']);
  expect(body.errorCode).toBe(code);
  expect(body.errorMessage).toMatch(/\S/);
};
const held = (amount = 10000) => d.paidOrder({ amount }, true);
const deposited = (amount = 10000) => d.paidOrder({ amount }, false);

describe('deposit.do', () => {
  it('deposits the full hold: status 2, DEPOSITED, depositedAmount, depositedDate', async () => {
    const { orderId } = await held(10000);
    expect(await call('deposit', { orderId, amount: 10000 })).toEqual(OK);
    const status = await d.status(orderId);
    expect(status).toMatchObject({ orderStatus: 2, actionCode: 0 });
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'DEPOSITED', approvedAmount: 10000, depositedAmount: 10000 });
    expect(typeof status.depositedDate).toBe('number');
  });

  it('deposits a part of the hold, and that is final', async () => {
    const { orderId } = await held(10000);
    expect(await call('deposit', { orderId, amount: 6000 })).toEqual(OK);
    const status = await d.status(orderId);
    expect(status.orderStatus).toBe(2);
    expect(status.paymentAmountInfo).toMatchObject({ approvedAmount: 10000, depositedAmount: 6000 });
    expectError(await call('deposit', { orderId, amount: 4000 }), '7');
  });

  it('amount 0 deposits the whole hold', async () => {
    const { orderId } = await held(7777);
    expect(await call('deposit', { orderId, amount: 0 })).toEqual(OK);
    expect((await d.status(orderId)).paymentAmountInfo.depositedAmount).toBe(7777);
  });

  it('refuses more than the hold with "7" and leaves the order held', async () => {
    const { orderId } = await held(10000);
    expectError(await call('deposit', { orderId, amount: 10001 }), '7');
    expect((await d.status(orderId)).orderStatus).toBe(1);
  });

  it('refuses an unpaid order, a second deposit, and a one-stage payment with "7"', async () => {
    const unpaid = await d.register({}, true);
    expectError(await call('deposit', { orderId: unpaid.orderId, amount: 0 }), '7');
    const { orderId } = await held();
    expect(await call('deposit', { orderId, amount: 0 })).toEqual(OK);
    expectError(await call('deposit', { orderId, amount: 0 }), '7');
    const oneStage = await deposited();
    expectError(await call('deposit', { orderId: oneStage.orderId, amount: 0 }), '7');
  });

  // docs/gateway-api.md §4 (C12, Sber classic): errorCode 7 "Неверная сумма депозита (менее одного рубля)".
  it('refuses a deposit of less than one rouble with "7" (amount 0 still means the whole hold)', async () => {
    const { orderId } = await held(10000);
    expectError(await call('deposit', { orderId, amount: 50 }), '7');
    expect((await d.status(orderId)).orderStatus).toBe(1);
  });

  it('answers "6" for an unknown orderId, "4" without amount or orderId, "5" for a bad amount', async () => {
    const { orderId } = await held();
    expectError(await call('deposit', { orderId: '00000000-0000-4000-8000-000000000000', amount: 100 }), '6');
    expectError(await call('deposit', { orderId }), '4');
    expectError(await call('deposit', { amount: 100 }), '4');
    expectError(await call('deposit', { orderId, amount: 'abc' }), '5');
    expect((await d.status(orderId)).orderStatus).toBe(1);
  });

  it('of 10 concurrent deposits exactly one succeeds', async () => {
    const { orderId } = await held(10000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('deposit', { orderId, amount: 0 })));
    expect(answers.filter((a) => a.errorCode === '0')).toHaveLength(1);
    expect(answers.filter((a) => a.errorCode === '7')).toHaveLength(9);
    expect((await d.status(orderId)).paymentAmountInfo.depositedAmount).toBe(10000);
  });

  it('of 10 concurrent partial deposits exactly one succeeds', async () => {
    const { orderId } = await held(10000);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call('deposit', { orderId, amount: 1000 + i })));
    const winners = answers.map((a, i) => (a.errorCode === '0' ? 1000 + i : null)).filter((x) => x !== null);
    expect(winners).toHaveLength(1);
    expect((await d.status(orderId)).paymentAmountInfo.depositedAmount).toBe(winners[0]);
  });
});

describe('reverse.do', () => {
  it('reverses a hold: status 3, REVERSED; a second reverse is "7"', async () => {
    const { orderId } = await held();
    expect(await call('reverse', { orderId })).toEqual(OK);
    const status = await d.status(orderId);
    expect(status.orderStatus).toBe(3);
    expect(status.paymentAmountInfo.paymentState).toBe('REVERSED');
    expect(status.paymentAmountInfo.depositedAmount).toBe(0);
    expectError(await call('reverse', { orderId }), '7');
    expectError(await call('deposit', { orderId, amount: 0 }), '7');
  });

  it('reverses a one-stage payment on the same day', async () => {
    const { orderId } = await deposited();
    expect(await call('reverse', { orderId })).toEqual(OK);
    expect((await d.status(orderId)).orderStatus).toBe(3);
  });

  it('refuses a one-stage payment two days later, a deposited two-stage one, and an unpaid order', async () => {
    const oneStage = await deposited();
    const twoStage = await held();
    expect(await call('deposit', { orderId: twoStage.orderId, amount: 0 })).toEqual(OK);
    const unpaid = await d.register();
    expectError(await call('reverse', { orderId: unpaid.orderId }), '7');
    expect((await d.status(unpaid.orderId)).orderStatus).toBe(0);
    expectError(await call('reverse', { orderId: twoStage.orderId }), '7');
    await d.advanceClock(2 * 86400);
    expectError(await call('reverse', { orderId: oneStage.orderId }), '7');
    expect((await d.status(oneStage.orderId)).orderStatus).toBe(2);
  });

  it('answers "6" for an unknown order', async () => {
    expectError(await call('reverse', { orderId: '00000000-0000-4000-8000-000000000000' }), '6');
  });
});

describe('refund.do', () => {
  it('two partial refunds: status 4, refundedAmount is the sum, refunds[] lists both', async () => {
    const { orderId } = await deposited(10000);
    expect(await call('refund', { orderId, amount: 3000 })).toEqual(OK);
    let status = await d.status(orderId);
    expect(status.orderStatus).toBe(4);
    expect(status.paymentAmountInfo).toMatchObject({ paymentState: 'REFUNDED', depositedAmount: 10000, refundedAmount: 3000 });
    expect(await call('refund', { orderId, amount: 2500 })).toEqual(OK);
    status = await d.status(orderId);
    expect(status.orderStatus).toBe(4);
    expect(status.paymentAmountInfo.refundedAmount).toBe(5500);
    expect(status.refunds).toHaveLength(2);
    expect(status.refunds.map((r: Json) => r.amount)).toEqual([3000, 2500]);
    for (const refund of status.refunds as Json[]) expect(typeof refund.date).toBe('number');
    expect(typeof status.refundedDate).toBe('number');
  });

  it('refuses more than what remains with "7", then accepts exactly the rest', async () => {
    const { orderId } = await deposited(10000);
    expect(await call('refund', { orderId, amount: 6000 })).toEqual(OK);
    expectError(await call('refund', { orderId, amount: 4001 }), '7');
    expect((await d.status(orderId)).paymentAmountInfo.refundedAmount).toBe(6000);
    expect(await call('refund', { orderId, amount: 4000 })).toEqual(OK);
    expectError(await call('refund', { orderId, amount: 1 }), '7');
  });

  it('limits refunds to a partial deposit', async () => {
    const { orderId } = await held(10000);
    await call('deposit', { orderId, amount: 4000 });
    expectError(await call('refund', { orderId, amount: 4001 }), '7');
    expect(await call('refund', { orderId, amount: 4000 })).toEqual(OK);
  });

  it('refuses a held (not deposited), an unpaid and a reversed order with "7"', async () => {
    const hold = await held();
    expectError(await call('refund', { orderId: hold.orderId, amount: 100 }), '7');
    const unpaid = await d.register();
    expectError(await call('refund', { orderId: unpaid.orderId, amount: 100 }), '7');
    await call('reverse', { orderId: hold.orderId });
    expectError(await call('refund', { orderId: hold.orderId, amount: 100 }), '7');
  });

  it('answers "4" without amount, "6" for an unknown order', async () => {
    const { orderId } = await deposited();
    expectError(await call('refund', { orderId }), '4');
    expectError(await call('refund', { orderId: '00000000-0000-4000-8000-000000000000', amount: 100 }), '6');
  });

  it('concurrent refunds never exceed the deposited amount', async () => {
    const { orderId } = await deposited(10000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('refund', { orderId, amount: 3000 })));
    expect(answers.filter((a) => a.errorCode === '0')).toHaveLength(3);
    const status = await d.status(orderId);
    expect(status.paymentAmountInfo.refundedAmount).toBe(9000);
    expect(status.refunds).toHaveLength(3);
  });
});

describe('decline.do', () => {
  it('declines a created order: status 6, DECLINED; the page then shows the final state', async () => {
    const { orderId, formUrl } = await d.register();
    expect(await call('decline', { orderId })).toEqual(OK);
    const status = await d.status(orderId);
    expect(status.orderStatus).toBe(6);
    expect(status.paymentAmountInfo.paymentState).toBe('DECLINED');
    expect((await d.open(formUrl)).html).toContain('data-testid="final-state"');
    expectError(await call('decline', { orderId }), '7');
  });

  it('declines by orderNumber', async () => {
    const { orderId, orderNumber } = await d.register();
    expect(await call('decline', { orderNumber })).toEqual(OK);
    expect((await d.status(orderId)).orderStatus).toBe(6);
  });

  it('refuses a paid order with "7", and answers "4"/"6" for missing/unknown orders', async () => {
    const { orderId } = await deposited();
    expectError(await call('decline', { orderId }), '7');
    expect((await d.status(orderId)).orderStatus).toBe(2);
    expectError(await call('decline', {}), '4');
    expectError(await call('decline', { orderId: '00000000-0000-4000-8000-000000000000' }), '6');
  });
});

describe('duplicate orderNumber messages and the request log', () => {
  it('words "1" by whether the earlier order was paid', async () => {
    await d.register({ orderNumber: 'U-1' });
    expect((await d.rest('register', { orderNumber: 'U-1', amount: 100, returnUrl: RETURN_URL })).body.errorMessage).toBe(
      'Заказ с таким номером был зарегистрирован, но не был оплачен',
    );
    await d.paidOrder({ orderNumber: 'P-1' });
    expect((await d.rest('register', { orderNumber: 'P-1', amount: 100, returnUrl: RETURN_URL })).body.errorMessage).toBe(
      'Заказ с таким номером уже обработан',
    );
  });

  it('GET /sandbox/control/requests lists the deposit calls of an order', async () => {
    const { orderId } = await held(10000);
    const other = await held(10000);
    await call('deposit', { orderId, amount: 20000 });
    await call('deposit', { orderId, amount: 0 });
    await call('deposit', { orderId: other.orderId, amount: 0 });
    await d.status(orderId);
    const rows = await d.requests({ orderId, method: 'deposit.do' });
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.method, r.order_id, r.error_code])).toEqual([
      ['deposit.do', orderId, 7],
      ['deposit.do', orderId, 0],
    ]);
    const all = await d.requests({ orderId });
    expect(all.map((r) => r.method)).toEqual(['registerPreAuth.do', 'deposit.do', 'deposit.do', 'getOrderStatusExtended.do']);
  });
});
