// Two shop instances on one PostgreSQL and one sandbox: what must happen once happens
// once however the load balancer splits the traffic. A hosts the sandbox; both reconcile every 3 s.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { SCALE_A_URL as A, SCALE_B_URL as B, SCALE_MERCHANT_PASSWORD } from '../e2e/servers';
import { guessAll, pay } from '../e2e/attack-helpers';
import { logIn, setMode } from '../e2e/merchant-helpers';
import { checkOut, gatewayStatus, payAndVanish, sandboxControl, sandboxRequests, waitFor } from '../e2e/shop-helpers';
import { E2E_ENV, ROOT } from '../e2e/web-server';

const database = new pg.Pool({ connectionString: process.env.SCALE_DATABASE_URL, max: 2 });

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  // Only returns, reconcilers and the merchant move money here: no callback joins the race.
  await sandboxControl(A, 'callbacks', { enabled: false });
});
test.afterAll(async () => {
  await sandboxControl(A, 'callbacks', { enabled: true });
  await database.end();
});

/** A two-stage order (PAYMENT_FLOW on both instances) paid, the shopper gone before the return. */
async function holdVanished(page: Page, shop: string, cart: string) {
  const gatewayOrderId = await checkOut(page, shop, { cart });
  const orderId = await payAndVanish(page);
  return { gatewayOrderId, orderId, returnPath: `/orders/${orderId}?orderId=${gatewayOrderId}` };
}

/** `hits` returns at once, alternating between the instances; the statuses and latencies. */
async function returnsAcrossBoth(returnPath: string, hits: number) {
  const latencies: number[] = [];
  const statuses = await Promise.all(
    Array.from({ length: hits }, async (_, i) => {
      const begin = Date.now();
      const response = await fetch(`${i % 2 ? B : A}${returnPath}`, { redirect: 'manual' });
      await response.arrayBuffer();
      latencies.push(Date.now() - begin);
      return response.status;
    }),
  );
  latencies.sort((x, y) => x - y);
  return { statuses, p95: latencies[Math.floor(hits * 0.95) - 1] };
}

async function shopperState(shop: string, orderId: string): Promise<string> {
  return ((await (await fetch(`${shop}/api/orders/${orderId}`)).json()) as { state: string }).state;
}

test('200 concurrent returns split across both instances: exactly one deposit.do, no 5xx', async ({ page }) => {
  const { gatewayOrderId, orderId, returnPath } = await holdVanished(page, B, 'french-press:1');
  const started = Date.now();
  const { statuses, p95 } = await returnsAcrossBoth(returnPath, 200);
  expect(statuses.filter((status) => status >= 500)).toHaveLength(0);
  expect(new Set(statuses)).toEqual(new Set([200]));
  // The returns answered after one status read; the hold's deposit follows their answers. Once it
  // is there, a moment more for any second one to show up: there must be none.
  await waitFor(async () => (await sandboxRequests(A, gatewayOrderId, 'deposit.do')) > 0, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await sandboxRequests(A, gatewayOrderId, 'deposit.do')).toBe(1);
  expect((await gatewayStatus(A, gatewayOrderId)).paymentAmountInfo?.depositedAmount).toBe(249_000);
  expect(await shopperState(A, orderId)).toBe('paid');
  expect(await shopperState(B, orderId)).toBe('paid');
  console.info(`PostgreSQL, 2 instances: 200 concurrent returns → 1 deposit.do, 0 5xx, p95 ${p95} ms, all in ${Date.now() - started} ms`);
});

test('both instances reconciling at once: every stuck hold deposited exactly once', async ({ browser }) => {
  const holds: Awaited<ReturnType<typeof holdVanished>>[] = [];
  for (const [i, cart] of ['mug:1', 'honey:1', 'mug:2', 'honey:2'].entries()) {
    const page = await browser.newPage();
    holds.push(await holdVanished(page, i % 2 ? B : A, cart));
    await page.close();
  }
  const took = await waitFor(async () => {
    const states = await Promise.all(holds.map(async (hold) => (await gatewayStatus(A, hold.gatewayOrderId)).orderStatus));
    return states.every((state) => state === 2);
  }, 20_000);
  // Another tick of each reconciler: a second deposit would show now.
  await new Promise((resolve) => setTimeout(resolve, 3500));
  for (const hold of holds) {
    expect(await sandboxRequests(A, hold.gatewayOrderId, 'deposit.do')).toBe(1);
    expect(await shopperState(A, hold.orderId)).toBe('paid');
  }
  const ticks = (name: string) =>
    readFileSync(path.join(ROOT, `.data/${name}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"event":"reconcile.tick"'));
  const [a, b] = [ticks('scale-a'), ticks('scale-b')];
  expect(a.length + b.length).toBeGreaterThan(0);
  console.info(
    `PostgreSQL, 2 reconcilers: ${holds.length} stuck holds deposited once each within ${took} ms; ticks with work: A ${a.length}, B ${b.length}`,
  );
});

/** A page of its own on `shop`, logged in to the console. */
async function merchantOn(browser: Browser, shop: string) {
  const page = await browser.newPage({ baseURL: shop });
  await logIn(page, SCALE_MERCHANT_PASSWORD);
  return page;
}

test('a merchant capture on B racing the shopper returns on both: one deposit.do, one consistent result', async ({ page, browser }) => {
  const merchant = await merchantOn(browser, B);
  // Manual until the race starts, so no reconciler takes the hold first.
  await setMode(merchant, 'manual');
  const { gatewayOrderId, orderId, returnPath } = await holdVanished(page, A, 'french-press:1');
  await merchant.goto(`/merchant/orders/${orderId}`);
  const capture = merchant.getByTestId('capture-form');
  await capture.locator('input[name="amount"]').fill('1000,00');
  const settings = await merchantOn(browser, A);
  await setMode(settings, 'on-return');

  await Promise.all([capture.getByRole('button', { name: 'Списать' }).click(), returnsAcrossBoth(returnPath, 20)]);
  await expect(merchant.getByTestId('action-result')).toBeVisible();
  await waitFor(async () => (await gatewayStatus(A, gatewayOrderId)).orderStatus === 2, 10_000);

  expect(await sandboxRequests(A, gatewayOrderId, 'deposit.do')).toBe(1);
  const deposited = (await gatewayStatus(A, gatewayOrderId)).paymentAmountInfo?.depositedAmount;
  const { rows } = await database.query(
    `select a.state, a.deposited_amount, o.state as operation from payment_attempts a left join merchant_operations o on o.attempt_id = a.id where a.order_id = $1`,
    [orderId],
  );
  const [row] = rows as { state: string; deposited_amount: string | number; operation: string | null }[];
  expect(row?.state).toBe('paid');
  expect(Number(row?.deposited_amount)).toBe(deposited);
  if (deposited === 100_000) {
    expect(row?.operation).toBe('done');
    await expect(merchant.getByTestId('action-result')).toHaveAttribute('role', 'status');
  } else {
    expect(deposited).toBe(249_000);
    // The return deposited first: the capture was refused before or at its claim, never sent.
    expect(row?.operation ?? 'not recorded').not.toBe('done');
    await expect(merchant.getByTestId('action-result')).toHaveAttribute('role', 'alert');
  }
  console.info(
    `PostgreSQL, capture vs return: ${deposited === 100_000 ? 'the merchant' : 'the shopper'} won; 1 deposit.do of ${deposited}`,
  );
  await merchant.close();
  await settings.close();
});

test('the abuse limits are one budget for both instances: "Pay" per cart and the log-in throttle', async () => {
  // "Pay" for one cart from one client, alternating between A and B: the cart's limit a minute in all, not on each.
  const email = 'bot-scale@example.ru';
  const perCart = Number(E2E_ENV.CHECKOUT_CART_RATE_LIMIT);
  await pay(A, 'green-tea:7', email, perCart + 6, (i) => ({
    shop: i % 2 ? B : A,
    headers: { 'x-forwarded-for': '192.0.2.50' },
  }));
  const orders = Number((await database.query('select count(*) as n from orders where customer_email = $1', [email])).rows[0].n);
  expect(orders).toBe(perCart);
  // Password guesses from one client, all at once, split between A and B: 10 checked in all.
  const { checked, refused } = await guessAll(
    [A, B],
    Array.from({ length: 16 }, () => '192.0.2.51'),
  );
  expect(checked).toHaveLength(10);
  expect(refused).toHaveLength(6);
  console.info(
    `PostgreSQL, shared limits: ${orders} orders of ${perCart + 6} "Pay" and ${checked.length} checked passwords of 16 across two instances`,
  );
});
