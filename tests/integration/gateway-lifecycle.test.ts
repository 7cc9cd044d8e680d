// The real gateway client against the real sandbox over real HTTP: full one-stage and two-stage
// life cycles, with the payment page and the Mir Pay app driven over HTTP as a phone would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayCallRecord, type GatewayClient } from '../../lib/gateway/client';
import {
  GatewayOrderNotFoundError,
  GatewayOrderStateError,
  GatewayDuplicateOrderError,
  GatewayAccessDeniedError,
} from '../../lib/gateway/errors';
import { payWithMirPay } from '../helpers/phone';
import { SANDBOX_AUTH, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

let server: SandboxServer;
let client: GatewayClient;
const records: GatewayCallRecord[] = [];
let counter = 0;

beforeAll(async () => {
  server = await startSandboxServer();
  client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000, onCall: (r) => void records.push(r) });
});
afterAll(async () => server.close());

const newOrderNumber = () => `IT-${Date.now().toString(36)}-${++counter}`;

describe('one-stage life cycle: register → Mir Pay → status → refund', () => {
  it('ends deposited, then refunded, with every call recorded', async () => {
    const orderNumber = newOrderNumber();
    const registered = await client.register(
      {
        orderNumber,
        amount: 150_000,
        returnUrl: `${server.url}/checkout/return?order=abc`,
        pageView: 'MOBILE',
        language: 'ru',
        description: 'Кофе и чай',
        jsonParams: { shopOrderId: 'abc' },
      },
      { orderId: 'abc' },
    );
    expect(new URL(registered.formUrl).host).toBe(new URL(server.url).host);

    const returnedTo = await payWithMirPay(registered.formUrl, 'mir-0047');
    expect(returnedTo.pathname).toBe('/checkout/return');
    expect(returnedTo.searchParams.get('order')).toBe('abc');
    expect(returnedTo.searchParams.get('orderId')).toBe(registered.orderId);
    expect(returnedTo.searchParams.get('lang')).toBe('ru');

    const status = await client.getOrderStatusExtended({ orderId: registered.orderId });
    expect(status.orderStatus).toBe(2);
    expect(status.paymentAmountInfo?.depositedAmount).toBe(150_000);
    expect(status.paymentWay).toBe('MIR_PAY');
    expect(status.cardAuthInfo?.paymentSystem).toBe('MIR');
    expect(status.merchantOrderParams).toEqual([{ name: 'shopOrderId', value: 'abc' }]);

    // A deposit on a one-stage order is refused: it is already deposited.
    await expect(client.deposit({ orderId: registered.orderId, amount: 150_000 })).rejects.toBeInstanceOf(GatewayOrderStateError);

    await client.refund({ orderId: registered.orderId, amount: 50_000 });
    const refunded = await client.getOrderStatusExtended({ orderNumber });
    expect(refunded.orderStatus).toBe(4);
    expect(refunded.paymentAmountInfo?.refundedAmount).toBe(50_000);
    await expect(client.refund({ orderId: registered.orderId, amount: 100_001 })).rejects.toBeInstanceOf(GatewayOrderStateError);

    const mine = records.filter((r) => r.orderNumber === orderNumber || r.gatewayOrderId === registered.orderId);
    expect(mine.map((r) => r.operation)).toEqual([
      'register',
      'getOrderStatusExtended',
      'deposit',
      'refund',
      'getOrderStatusExtended',
      'refund',
    ]);
    expect(mine[0]!.orderId).toBe('abc');
    expect(JSON.stringify(mine)).not.toContain(SANDBOX_AUTH.password);
  });
});

describe('two-stage life cycle: registerPreAuth → Mir Pay → status → deposit → status → refund (payment flow steps 1–11)', () => {
  it('holds, deposits exactly the amount, then refunds', async () => {
    const registered = await client.registerPreAuth({
      orderNumber: newOrderNumber(),
      amount: 99_900,
      returnUrl: `${server.url}/checkout/return?order=two`,
      failUrl: `${server.url}/checkout/return?order=two&failed=1`,
      pageView: 'MOBILE',
      language: 'en',
    });
    const returnedTo = await payWithMirPay(registered.formUrl, 'mir-2026');
    expect(returnedTo.searchParams.get('failed')).toBeNull();
    expect(returnedTo.searchParams.get('lang')).toBe('en');

    const held = await client.getOrderStatusExtended({ orderId: registered.orderId });
    expect(held.orderStatus).toBe(1);
    expect(held.paymentAmountInfo).toMatchObject({ paymentState: 'APPROVED', approvedAmount: 99_900, depositedAmount: 0 });

    const ack = await client.deposit({ orderId: registered.orderId, amount: 99_900 });
    expect(Number(ack.errorCode)).toBe(0);
    const deposited = await client.getOrderStatusExtended({ orderId: registered.orderId });
    expect(deposited.orderStatus).toBe(2);
    expect(deposited.paymentAmountInfo?.depositedAmount).toBe(99_900);

    await expect(client.deposit({ orderId: registered.orderId, amount: 99_900 })).rejects.toBeInstanceOf(GatewayOrderStateError);
    await client.refund({ orderId: registered.orderId, amount: 99_900 });
    expect((await client.getOrderStatusExtended({ orderId: registered.orderId })).orderStatus).toBe(4);
  });

  it('a declined Mir Pay card lands on failUrl and the order stays open with actionCode 116', async () => {
    const registered = await client.registerPreAuth({
      orderNumber: newOrderNumber(),
      amount: 10_000,
      returnUrl: `${server.url}/ok`,
      failUrl: `${server.url}/fail`,
      pageView: 'MOBILE',
    });
    const returnedTo = await payWithMirPay(registered.formUrl, 'mir-1119');
    expect(returnedTo.pathname).toBe('/fail');
    const status = await client.getOrderStatusExtended({ orderId: registered.orderId });
    expect(status).toMatchObject({ orderStatus: 0, actionCode: 116 });
    await expect(client.deposit({ orderId: registered.orderId, amount: 10_000 })).rejects.toBeInstanceOf(GatewayOrderStateError);
    await client.reverse({ orderId: registered.orderId }).catch((error: unknown) => expect(error).toBeInstanceOf(GatewayOrderStateError));
    await client.decline({ orderId: registered.orderId });
    expect((await client.getOrderStatusExtended({ orderId: registered.orderId })).orderStatus).toBe(6);
  });

  it('a hold can be reversed once', async () => {
    const registered = await client.registerPreAuth({ orderNumber: newOrderNumber(), amount: 5_000, returnUrl: `${server.url}/ok` });
    await payWithMirPay(registered.formUrl, 'mir-0047');
    await client.reverse({ orderId: registered.orderId });
    expect((await client.getOrderStatusExtended({ orderId: registered.orderId })).orderStatus).toBe(3);
    await expect(client.reverse({ orderId: registered.orderId })).rejects.toBeInstanceOf(GatewayOrderStateError);
  });
});

describe('refusals over the wire', () => {
  it('maps the bank’s error codes to typed errors', async () => {
    const orderNumber = newOrderNumber();
    await client.register({ orderNumber, amount: 100, returnUrl: `${server.url}/ok` });
    await expect(client.register({ orderNumber, amount: 100, returnUrl: `${server.url}/ok` })).rejects.toBeInstanceOf(
      GatewayDuplicateOrderError,
    );
    await expect(client.getOrderStatusExtended({ orderId: '00000000-0000-0000-0000-000000000000' })).rejects.toBeInstanceOf(
      GatewayOrderNotFoundError,
    );
    const stranger = createGatewayClient({ baseUrl: server.restUrl, auth: { userName: 'sandbox-api', password: 'wrong' } });
    await expect(stranger.getOrderStatusExtended({ orderNumber })).rejects.toBeInstanceOf(GatewayAccessDeniedError);
  });
});
