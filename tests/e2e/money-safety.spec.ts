// Exactly-once money through the real server (docs/reliability.md #1, #22, #19): hundreds of
// concurrent returns, the bank's callback alone, and the shopper who never comes back.
import { expect, test, type Page } from '@playwright/test';
import { RECONCILER_URL } from './servers';
import {
  checkOut,
  clearFaults,
  gatewayStatus,
  orderStatus,
  payAndVanish,
  payInMirPay,
  sandboxControl,
  sandboxRequests,
  waitFor,
} from './shop-helpers';

async function twoStageHold(page: Page, baseURL: string, cart = 'french-press:1') {
  const gatewayOrderId = await checkOut(page, baseURL, { cart, twoStage: true });
  const orderId = await payAndVanish(page);
  return { gatewayOrderId, orderId, returnPath: `/orders/${orderId}?orderId=${gatewayOrderId}` };
}

test.describe('with callbacks off', () => {
  test.beforeEach(async ({ baseURL }) => {
    for (const url of [baseURL!, RECONCILER_URL]) await sandboxControl(url, 'callbacks', { enabled: false });
  });
  test.afterEach(async ({ baseURL }) => {
    for (const url of [baseURL!, RECONCILER_URL]) {
      await sandboxControl(url, 'callbacks', { enabled: true });
      await clearFaults(url);
    }
  });

  for (const hits of [50, 200]) {
    test(`#1 ${hits} concurrent returns of one approved two-stage order: one deposit.do, no 5xx`, async ({ page, baseURL }) => {
      const { gatewayOrderId, returnPath } = await twoStageHold(page, baseURL!);
      expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(0);
      const started = Date.now();
      const latencies: number[] = [];
      const statuses = await Promise.all(
        Array.from({ length: hits }, async () => {
          const begin = Date.now();
          // Node's fetch, not Playwright's request context, which queues requests on a few sockets.
          const response = await fetch(`${baseURL}${returnPath}`, { redirect: 'manual' });
          await response.arrayBuffer();
          latencies.push(Date.now() - begin);
          return response.status;
        }),
      );
      expect(statuses.filter((status) => status >= 500)).toHaveLength(0);
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(1);
      const status = await gatewayStatus(baseURL!, gatewayOrderId);
      expect(status.orderStatus).toBe(2);
      expect(status.paymentAmountInfo?.depositedAmount).toBe(249_000);
      latencies.sort((a, b) => a - b);
      console.info(
        `${hits} concurrent returns: 1 deposit.do, 0 5xx, p95 ${latencies[Math.floor(hits * 0.95) - 1]} ms, all in ${Date.now() - started} ms`,
      );
    });
  }

  test('#22 the shopper never returns and no callback comes: the reconciler takes the money within two intervals', async ({ page }) => {
    const { gatewayOrderId } = await twoStageHold(page, RECONCILER_URL);
    const took = await waitFor(async () => (await sandboxRequests(RECONCILER_URL, gatewayOrderId, 'deposit.do')) === 1, 2 * 1000 + 1500);
    await waitFor(async () => (await gatewayStatus(RECONCILER_URL, gatewayOrderId)).orderStatus === 2, 2000);
    console.info(`never returned: deposited by the reconciler ${took} ms after the payment (interval 1000 ms)`);
  });

  test('#19 deposit.do refused once: the order shows "payment confirmed" (held), then the reconciler deposits once more, charged once', async ({
    page,
  }) => {
    const gatewayOrderId = await checkOut(page, RECONCILER_URL, { cart: 'mug:1', twoStage: true });
    await sandboxControl(RECONCILER_URL, 'faults', { fault: 'http500', method: 'deposit.do', orderId: gatewayOrderId });
    await payInMirPay(page, 'mir-0047');
    await page.waitForURL(/\/orders\//);
    // The hold is secured while its capture is retried: the shopper sees "payment confirmed".
    await expect(orderStatus(page)).toHaveAttribute('data-state', 'held');
    // The claim is re-sent only once it is older than two gateway timeouts (no call can still be in flight).
    await expect(orderStatus(page)).toHaveAttribute('data-state', 'paid', { timeout: 15_000 });
    expect(await sandboxRequests(RECONCILER_URL, gatewayOrderId, 'deposit.do')).toBe(2);
    expect((await gatewayStatus(RECONCILER_URL, gatewayOrderId)).paymentAmountInfo?.depositedAmount).toBe(79_000);
  });
});

test("the bank's callback alone completes a two-stage payment (no return, no page, reconciler off)", async ({ page, baseURL }) => {
  const { gatewayOrderId } = await twoStageHold(page, baseURL!, 'honey:1');
  const took = await waitFor(async () => (await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')) === 1, 5000);
  expect((await gatewayStatus(baseURL!, gatewayOrderId)).paymentAmountInfo?.depositedAmount).toBe(65_000);
  console.info(`callback-driven deposit ${took} ms after the payment`);
});
