// Contract of every method and field between the shop's real client (lib/gateway) and the sandbox,
// over real HTTP, with errorCode sent as a string (the default) and as a number (as some banks
// send it): the client must read both, and a missing key, alike. Methods the client does not
// speak (getOrderStatus.do, the ones the sandbox does not emulate) are called as raw HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import {
  GatewayAccessDeniedError,
  GatewayOrderNotFoundError,
  GatewayOrderStateError,
  GatewayRejectedError,
} from '../../lib/gateway/errors';
import { VISA_OK } from '../helpers/sandbox-driver';
import { SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

const BUNDLE = {
  cartItems: {
    items: [
      { positionId: 1, name: 'Кружка', quantity: { value: 2, measure: 'шт' }, itemAmount: 6000, itemCode: 'mug', itemPrice: 3000 },
      { positionId: 2, name: 'Мёд', quantity: { value: 1, measure: 'шт' }, itemAmount: 4000, itemCode: 'honey', itemPrice: 4000 },
    ],
  },
};

describe.each([
  ['a string', false],
  ['a number', true],
] as const)('errorCode as %s', (_label, numericErrorCodes) => {
  let server: SandboxServer;
  let client: GatewayClient;
  let counter = 0;
  beforeAll(async () => {
    server = await startSandboxServer({ numericErrorCodes });
    client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000, statusRetries: 0 });
  });
  afterAll(async () => server.close());

  const orderNumber = () => `GC-${numericErrorCodes ? 'n' : 's'}-${Date.now().toString(36)}-${++counter}`;
  const register = (preAuth = false, extra: Record<string, unknown> = {}) =>
    (preAuth ? client.registerPreAuth : client.register)({
      orderNumber: orderNumber(),
      amount: 10000,
      returnUrl: `${server.url}/back`,
      ...extra,
    });
  /** Pays on the sandbox's card form as a phone would, from a given address. */
  async function payByCard(formUrl: string, cardholder: string): Promise<void> {
    const response = await fetch(formUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.23' },
      body: new URLSearchParams({ ...VISA_OK, cardholder }),
    });
    expect(response.status).toBe(303);
  }
  async function raw(method: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const response = await fetch(`${server.restUrl}${method}.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...SANDBOX_AUTH, ...params }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return (await response.json()) as Record<string, unknown>;
  }
  const code = (value: number) => (numericErrorCodes ? value : String(value));

  it('register → card → status with the fields a real answer carries', async () => {
    const { orderId, formUrl } = await register(false, { orderBundle: BUNDLE });
    await payByCard(formUrl, 'Anna Petrova');
    const status = await client.getOrderStatusExtended({ orderId });
    expect(status.errorCode).toBe(code(0));
    expect(status).toMatchObject({ orderStatus: 2, ip: '198.51.100.23' });
    expect(status.transactionAttributes).toEqual([{ name: 'merchantIp', value: '127.0.0.1' }]);
    expect(status.cardAuthInfo).toMatchObject({ cardholderName: 'ANNA PETROVA', maskedPan: '411111**1111', secureAuthInfo: { eci: 5 } });
  });

  it('refund by receipt lines, then the rest; refunds[] items in full; depositedAmount unchanged', async () => {
    const { orderId, formUrl } = await register(false, { orderBundle: BUNDLE });
    await payByCard(formUrl, 'Anna Petrova');
    const mug = BUNDLE.cartItems.items[0]!;
    await client.refund({
      orderId,
      amount: 3000,
      refundItems: { items: [{ ...mug, quantity: { value: 1, measure: 'шт' }, itemAmount: 3000 }] },
    });
    // Two mugs were bought and one is refunded: two more are refused by the bank.
    const refused = await client
      .refund({ orderId, amount: 6000, refundItems: { items: [{ ...mug, itemAmount: 6000 }] } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRejectedError);
    await client.refund({ orderId, amount: 7000 });
    const status = await client.getOrderStatusExtended({ orderId });
    expect(status.orderStatus).toBe(4);
    expect(status.paymentAmountInfo).toMatchObject({ depositedAmount: 10000, refundedAmount: 10000 });
    expect(status.refunds).toHaveLength(2);
    for (const refund of status.refunds ?? []) {
      expect(refund).toMatchObject({
        actionCode: 0,
        referenceNumber: expect.stringMatching(/^\d{12}$/),
        approvalCode: expect.stringMatching(/^\d{6}$/),
      });
    }
  });

  it('the client refuses refundItems that do not add up to the amount before anything is sent', async () => {
    const mug = BUNDLE.cartItems.items[0]!;
    await expect(
      client.refund({ orderId: '00000000-0000-4000-8000-000000000000', amount: 100, refundItems: { items: [mug] } }),
    ).rejects.toThrow(/refundItems/);
  });

  it('two-stage: registerPreAuth → deposit → reverse refused; decline of another → 4005', async () => {
    const held = await register(true);
    await payByCard(held.formUrl, 'Ivan Ivanov');
    expect((await client.getOrderStatusExtended({ orderId: held.orderId })).orderStatus).toBe(1);
    const deposited = await client.deposit({ orderId: held.orderId, amount: 10000 });
    expect(deposited.errorCode).toBe(code(0));
    expect(await client.reverse({ orderId: held.orderId }).catch((e: unknown) => e)).toBeInstanceOf(GatewayOrderStateError);
    const unpaid = await register();
    await client.decline({ orderId: unpaid.orderId });
    const declined = await client.getOrderStatusExtended({ orderId: unpaid.orderId });
    expect(declined).toMatchObject({ orderStatus: 6, actionCode: 4005 });
  });

  it('business errors map to the same classes whatever the type of errorCode', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await client.getOrderStatusExtended({ orderId: unknown }).catch((e: unknown) => e)).toBeInstanceOf(GatewayOrderNotFoundError);
    const stranger = createGatewayClient({ baseUrl: server.restUrl, auth: { userName: 'x-api', password: 'wrong' }, timeoutMs: 5000 });
    expect(await stranger.getOrderStatusExtended({ orderId: unknown }).catch((e: unknown) => e)).toBeInstanceOf(GatewayAccessDeniedError);
  });

  it('concurrent refunds: one per externalRefundId, and never above the deposit (on either database)', async () => {
    const { orderId, formUrl } = await register();
    await payByCard(formUrl, 'Ivan Ivanov');
    const same = await Promise.all(Array.from({ length: 6 }, () => raw('refund', { orderId, amount: '1000', externalRefundId: 'once' })));
    expect(same.every((answer) => String(answer.errorCode) === '0')).toBe(true);
    const many = await Promise.all(Array.from({ length: 6 }, () => raw('refund', { orderId, amount: '3000' })));
    expect(many.filter((answer) => String(answer.errorCode) === '0')).toHaveLength(3);
    const status = await client.getOrderStatusExtended({ orderId });
    expect(status.paymentAmountInfo?.refundedAmount).toBe(10000);
    expect(status.refunds).toHaveLength(4);
  });

  it('getOrderStatus.do answers in the old shape; unknown methods are a JSON refusal', async () => {
    const { orderId, formUrl } = await register();
    await payByCard(formUrl, 'Ivan Ivanov');
    expect(await raw('getOrderStatus', { orderId })).toMatchObject({
      ErrorCode: code(0),
      OrderStatus: 2,
      Pan: '411111**1111',
      Ip: '198.51.100.23',
    });
    expect(await raw('getBindings', { clientId: 'c', language: 'en' })).toEqual({
      errorCode: code(5),
      errorMessage: 'Access denied: method getBindings.do is not available',
    });
  });
});
