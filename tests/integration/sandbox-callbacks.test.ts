// The sandbox's callback notifications over real HTTP: which transitions notify, signed how, sent
// where and by which method (the receiver and the sandbox: tests/helpers/callback-receiver.ts).
import { describe, expect, it } from 'vitest';
import { createGatewayClient } from '../../lib/gateway/client';
import {
  client,
  endpoint,
  expectSigned,
  hits,
  hitsAt,
  nextId,
  outbox,
  paidOrder,
  receiverUrl,
  server,
  sleep,
  setUpCallbackReceiver,
  waitFor,
} from '../helpers/callback-receiver';
import { payWithMirPay } from '../helpers/phone';
import { controlFetch, SANDBOX_AUTH, startSandboxServer } from '../helpers/sandbox-server';

setUpCallbackReceiver();

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
    const orderNumber = `CB-exp-${nextId()}`;
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
        orderNumber: `CB-post-${nextId()}`,
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
