import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acknowledgementSchema, envelopeSchema, registerResponseSchema, statusResponseSchema } from '../../lib/gateway/schemas';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/gateway/${name}.json`, import.meta.url), 'utf8'));

type Expected = {
  name: string;
  orderNumber: string;
  orderStatus: number;
  actionCode: number;
  amount: number;
  paymentState: string;
  approved: number;
  deposited: number;
  refunded: number;
  mdOrder: string;
};

const statusFixtures: Expected[] = [
  {
    name: 'status-created',
    orderNumber: '4',
    orderStatus: 0,
    actionCode: -100,
    amount: 100,
    paymentState: 'CREATED',
    approved: 0,
    deposited: 0,
    refunded: 0,
    mdOrder: '9d9b693d-8b57-7f03-a928-d6dc29950482',
  },
  {
    name: 'status-approved',
    orderNumber: '999999__14',
    orderStatus: 1,
    actionCode: 0,
    amount: 100,
    paymentState: 'APPROVED',
    approved: 100,
    deposited: 0,
    refunded: 0,
    mdOrder: 'e51f45c1-8411-7a83-aa2c-12b900151068',
  },
  {
    name: 'status-deposited',
    orderNumber: '837',
    orderStatus: 2,
    actionCode: 0,
    amount: 550000,
    paymentState: 'DEPOSITED',
    approved: 550000,
    deposited: 550000,
    refunded: 0,
    mdOrder: '66c0640d-c88c-76e6-9dfa-c4ff5e34c9d9',
  },
  {
    name: 'status-declined-timeout',
    orderNumber: '96',
    orderStatus: 6,
    actionCode: -2007,
    amount: 35000,
    paymentState: 'DECLINED',
    approved: 0,
    deposited: 0,
    refunded: 0,
    mdOrder: '9d5ec036-b573-7aa3-9d54-27a501fa9b92',
  },
  {
    name: 'status-declined-issuer',
    orderNumber: '837',
    orderStatus: 6,
    actionCode: 116,
    amount: 550000,
    paymentState: 'DECLINED',
    approved: 0,
    deposited: 0,
    refunded: 0,
    mdOrder: '66c0640d-c88c-76e6-9dfa-c4ff5e34c9d9',
  },
];

describe('statusResponseSchema on the docs/gateway-api.md §3.5 examples', () => {
  it.each(statusFixtures)('parses $name', (expected) => {
    const status = statusResponseSchema.parse(fixture(expected.name));
    expect(status.orderNumber).toBe(expected.orderNumber);
    expect(status.orderStatus).toBe(expected.orderStatus);
    expect(status.actionCode).toBe(expected.actionCode);
    expect(status.amount).toBe(expected.amount);
    expect(status.currency).toBe('643');
    expect(status.paymentAmountInfo).toMatchObject({
      paymentState: expected.paymentState,
      approvedAmount: expected.approved,
      depositedAmount: expected.deposited,
      refundedAmount: expected.refunded,
    });
    expect(status.attributes.find((a) => a.name === 'mdOrder')?.value).toBe(expected.mdOrder);
    expect(Number.isInteger(status.date)).toBe(true);
  });

  it('keeps the card details of an approved order and defaults a missing actionCodeDescription', () => {
    const approved = statusResponseSchema.parse(fixture('status-approved'));
    expect(approved.cardAuthInfo).toMatchObject({ pan: '544714XXXXXX5619', approvalCode: '094923', expiration: '202202' });
    expect(approved.errorMessage).toBeUndefined();

    const raw = fixture('status-created') as Record<string, unknown>;
    delete raw.actionCodeDescription;
    expect(statusResponseSchema.parse(raw).actionCodeDescription).toBe('');
  });

  it('accepts numeric fields sent as strings and a numeric expiration', () => {
    const raw = fixture('status-deposited') as Record<string, unknown>;
    const parsed = statusResponseSchema.parse({
      ...raw,
      orderStatus: '2',
      actionCode: '0',
      amount: '550000',
      currency: 643,
      cardAuthInfo: { maskedPan: '411111**1111', expiration: 202412 },
    });
    expect(parsed).toMatchObject({ orderStatus: 2, actionCode: 0, amount: 550000, currency: '643' });
    expect(parsed.cardAuthInfo?.expiration).toBe('202412');
  });

  it('a declined-by-issuer order carries no approvalCode', () => {
    const declined = statusResponseSchema.parse(fixture('status-declined-issuer'));
    expect(declined.cardAuthInfo?.approvalCode).toBeUndefined();
    expect(declined.actionCodeDescription).not.toBe('');
  });

  it('rejects the "order not found" envelope (no orderStatus): the client must look at errorCode first', () => {
    expect(statusResponseSchema.safeParse(fixture('error-order-not-found')).success).toBe(false);
  });

  it('rejects a non-integer orderStatus', () => {
    const raw = fixture('status-created') as Record<string, unknown>;
    expect(statusResponseSchema.safeParse({ ...raw, orderStatus: 'paid' }).success).toBe(false);
    expect(statusResponseSchema.safeParse({ ...raw, orderStatus: 1.5 }).success).toBe(false);
  });
});

describe('registerResponseSchema', () => {
  it('parses the §2.2 success example', () => {
    expect(registerResponseSchema.parse(fixture('register-success'))).toEqual({
      orderId: '61351fbd-ac25-484f-b930-4d0ce4101ab7',
      formUrl: 'https://3dsec.sberbank.ru/payment/merchants/kinohod/payment_ru.html?mdOrder=61351fbd-ac25-484f-b930-4d0ce4101ab7',
    });
  });

  it('accepts a success that also carries errorCode 0', () => {
    const raw = fixture('register-success') as Record<string, unknown>;
    expect(registerResponseSchema.safeParse({ ...raw, errorCode: 0 }).success).toBe(true);
    expect(registerResponseSchema.safeParse({ ...raw, errorCode: '0' }).success).toBe(true);
  });

  it('rejects a response without formUrl, with a relative formUrl, or without orderId', () => {
    const raw = fixture('register-success') as Record<string, string>;
    expect(registerResponseSchema.safeParse({ orderId: raw.orderId }).success).toBe(false);
    expect(registerResponseSchema.safeParse({ ...raw, formUrl: '/payment/merchants/x/payment_ru.html' }).success).toBe(false);
    expect(registerResponseSchema.safeParse({ formUrl: raw.formUrl }).success).toBe(false);
    expect(registerResponseSchema.safeParse(fixture('error-duplicate-order')).success).toBe(false);
  });
});

describe('errorCode in the envelope: string, number or absent', () => {
  it.each([
    ['error-duplicate-order', '1', 'Заказ с таким номером уже обработан'],
    ['error-order-not-found', '6', 'Заказ не найден'],
    ['error-access-denied', '5', 'Access denied'],
    ['deposit-success-numeric', 0, 'Success'],
  ] as const)('%s → errorCode %j', (name, errorCode, errorMessage) => {
    const envelope = envelopeSchema.parse(fixture(name));
    expect(envelope.errorCode).toBe(errorCode);
    expect(envelope.errorMessage).toBe(errorMessage);
  });

  it('absent errorCode (register success) is allowed', () => {
    expect(envelopeSchema.parse(fixture('register-success')).errorCode).toBeUndefined();
  });

  it('keeps unknown envelope fields (loose object)', () => {
    expect(envelopeSchema.parse(fixture('error-order-not-found'))).toMatchObject({ merchantOrderParams: [], attributes: [] });
  });

  it('acknowledgement accepts both "0" and 0', () => {
    expect(acknowledgementSchema.parse({ errorCode: '0', errorMessage: 'Успешно' }).errorCode).toBe('0');
    expect(acknowledgementSchema.parse(fixture('deposit-success-numeric')).errorCode).toBe(0);
  });

  it('rejects errorCode of any other JSON type', () => {
    expect(envelopeSchema.safeParse({ errorCode: null }).success).toBe(false);
    expect(envelopeSchema.safeParse({ errorCode: true }).success).toBe(false);
    expect(envelopeSchema.safeParse({ errorCode: ['1'] }).success).toBe(false);
  });
});
