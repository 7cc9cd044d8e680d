// A bank that fails (docs/reliability.md #13–#18), injected by the sandbox: the shopper gets a clear,
// retryable message with the cart kept, is never sent to a foreign host, is never charged twice,
// and no order is lost. The e2e servers time gateway calls out after 3 s (tests/e2e-env.json).
import { expect, test, type Page } from '@playwright/test';
import {
  checkOut,
  clearFaults,
  expectOrderState,
  fillContacts,
  gatewayStatus,
  onPaymentPage,
  payInMirPay,
  ruLabels,
  sandboxControl,
  sandboxRequests,
  setCart,
} from './shop-helpers';

const UNAVAILABLE = 'Банк сейчас не отвечает. Деньги не списаны, корзина сохранена';
const REFUSED = 'Банк не принял заказ. Деньги не списаны, корзина сохранена';

test.afterEach(async ({ baseURL }) => clearFaults(baseURL!));

/** `whilePending`: "Pay" notes in session storage what it says while disabled (the page is gone afterwards). */
async function submitCheckout(page: Page, whilePending = false) {
  await page.goto('/checkout');
  await fillContacts(page, ruLabels);
  if (whilePending)
    await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="submit"]')!;
      new MutationObserver(() => button.disabled && sessionStorage.setItem('pay-while-pending', button.textContent ?? '')).observe(button, {
        attributes: true,
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
  await page.getByTestId('submit').click();
}

async function expectRetryableFailure(page: Page, text: string) {
  await expect(page.getByTestId('checkout-error')).toContainText(text, { timeout: 10_000 });
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  await expect(page.getByLabel('Имя', { exact: true })).toHaveValue('Анна Иванова');
  await expect(page.getByTestId('submit')).toBeEnabled();
}

for (const fault of ['http500', 'malformed', 'truncated'] as const) {
  test(`#13/#16 register.do answers ${fault}: a retryable message, then "Pay" again works`, async ({ page, context, baseURL }) => {
    await setCart(context, baseURL!, 'honey:2');
    await sandboxControl(baseURL!, 'faults', { fault, method: 'register.do' });
    await submitCheckout(page);
    await expectRetryableFailure(page, UNAVAILABLE);
    await page.getByTestId('submit').click();
    const gatewayOrderId = await onPaymentPage(page);
    expect((await gatewayStatus(baseURL!, gatewayOrderId)).amount).toBe(130_000);
  });
}

test('#15 a bank that never answers: the button waits, the timeout gives a retryable message', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'honey:2');
  await sandboxControl(baseURL!, 'faults', { fault: 'hang', method: 'register.do', delayMs: 10_000 });
  const started = Date.now();
  await submitCheckout(page, true);
  // While the post waits, the page it was sent from still shows, and a locator would wait for the
  // navigation to end: the page notes what "Pay" says once it is disabled, in this tab's session
  // storage, which the page the post ends on still reads.
  await expectRetryableFailure(page, UNAVAILABLE);
  expect(await page.evaluate(() => sessionStorage.getItem('pay-while-pending'))).toBe('Переходим к оплате…');
  await expectRetryableFailure(page, UNAVAILABLE);
  const waited = Date.now() - started;
  expect(waited).toBeGreaterThanOrEqual(3000);
  expect(waited).toBeLessThan(8000);
});

test('"Pay", once sent, works again when the page is shown from the back-forward cache', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'honey:2');
  await page.goto('/checkout');
  await fillContacts(page, ruLabels);
  // The post is sent and the page left as it was: what a browser keeps in its back-forward cache.
  // Chromium keeps no page sent with no-store there (Safari does), so the post is stopped after
  // the page's own handler has run, and the restore is the event the browser fires on it.
  await page.evaluate(() => window.addEventListener('submit', (event) => event.preventDefault()));
  const pay = page.getByTestId('submit');
  const label = await pay.textContent();
  await pay.click();
  await expect(pay).toBeDisabled();
  await expect(pay).toHaveText('Переходим к оплате…');
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })));
  await expect(pay).toBeDisabled();
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await expect(pay).toBeEnabled();
  await expect(pay).toHaveText(label!);
  await expect(page).toHaveURL(/\/checkout$/);
});

test('#16 a formUrl on a foreign host is never followed', async ({ page, context, baseURL }) => {
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).hostname.endsWith('evil.example')) foreign.push(request.url());
  });
  await setCart(context, baseURL!, 'honey:2');
  await sandboxControl(baseURL!, 'faults', { fault: 'foreign-form-url' });
  await submitCheckout(page);
  await expectRetryableFailure(page, REFUSED);
  expect(foreign).toEqual([]);
});

test('#14 register.do done but its answer lost: a retryable message; "Pay" again registers a new attempt, paid once', async ({
  page,
  context,
  baseURL,
}) => {
  await setCart(context, baseURL!, 'honey:2');
  await sandboxControl(baseURL!, 'faults', { fault: 'lost-response', method: 'register.do', delayMs: 10_000 });
  await submitCheckout(page);
  await expectRetryableFailure(page, UNAVAILABLE);
  await page.getByTestId('submit').click();
  const gatewayOrderId = await onPaymentPage(page);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  const status = await gatewayStatus(baseURL!, gatewayOrderId);
  expect(status.orderNumber).toMatch(/-2$/);
  expect(status.amount).toBe(130_000);
});

test('#17 deposit.do done but its answer lost: the status read settles it, paid, one deposit', async ({ page, baseURL }) => {
  const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'french-press:1', twoStage: true });
  await sandboxControl(baseURL!, 'faults', { fault: 'lost-response', method: 'deposit.do', orderId: gatewayOrderId, delayMs: 10_000 });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(1);
  expect((await gatewayStatus(baseURL!, gatewayOrderId)).paymentAmountInfo?.depositedAmount).toBe(249_000);
});

test('a status read that fails once is retried by the client: the return still ends paid', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'mug:1');
  await submitCheckout(page);
  const gatewayOrderId = await onPaymentPage(page);
  await sandboxControl(baseURL!, 'faults', { fault: 'http500', method: 'getOrderStatusExtended.do', orderId: gatewayOrderId });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
});
