// The shop's payment journeys on a Pixel 7 through the real sandbox (payment flow steps 1–11): checkout →
// the bank's page → Mir Pay → return → the order page tells the truth. Amounts are matched with \s
// because Intl separates digit groups with no-break spaces.
import { devices, expect, test, type Locator } from '@playwright/test';
import {
  anna,
  checkOut,
  controlFetch,
  enLabels,
  expectOrderState,
  fillContacts,
  gatewayStatus,
  onPaymentPage,
  orderStatus,
  payInMirPay,
  ruLabels,
  sandboxRequests,
  setCart,
  snap,
} from './shop-helpers';

async function expectTappable(target: Locator) {
  const box = await target.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
}

test('one-stage: catalogue → cart → checkout → Mir Pay → paid, with a screenshot of each step', async ({ page, baseURL }, testInfo) => {
  await page.goto('/');
  await snap(page, testInfo, '01-catalogue');
  await page.getByTestId('product-card').filter({ hasText: 'Керамическая кружка' }).click();
  await page.getByLabel('Количество').fill('2');
  await snap(page, testInfo, '02-product');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page.getByTestId('added-to-cart')).toContainText('Добавлено в корзину: 2');
  await page.getByRole('link', { name: 'Перейти в корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await snap(page, testInfo, '03-cart');
  await page.getByRole('link', { name: 'Оформить заказ' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Оформление заказа');
  await expect(page.getByTestId('checkout-total')).toHaveText(/^1\s580\s₽$/);
  await expectTappable(page.getByLabel('Имя', { exact: true }));
  await expectTappable(page.getByTestId('submit'));
  await fillContacts(page, ruLabels);
  await snap(page, testInfo, '04-checkout');
  await page.getByTestId('submit').click();

  const gatewayOrderId = await onPaymentPage(page);
  await expect(page.getByTestId('amount')).toHaveText(/1\s?580\s₽/);
  await snap(page, testInfo, '05-payment-page');
  await page.getByTestId('mirpay-button').click();
  await snap(page, testInfo, '06-mirpay-app');
  await page.getByTestId('mir-card-mir-0047').click();
  await page.getByRole('button', { name: /Оплатить/ }).click();

  await expectOrderState(page, 'paid');
  await expect(orderStatus(page)).toContainText('Оплачено');
  await expect(page.getByTestId('order-total')).toHaveText(/^1\s580\s₽$/);
  await expect(page.locator('main')).not.toContainText(anna.email);
  await expect(page.locator('main')).not.toContainText('912');
  // The money is taken and the cart is emptied in this browser.
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  await snap(page, testInfo, '07-order-paid');

  const status = await gatewayStatus(baseURL!, gatewayOrderId);
  expect(status).toMatchObject({ orderStatus: 2, amount: 158_000, paymentWay: 'MIR_PAY' });
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'register.do')).toBe(1);
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(0);
});

test('two-stage: one deposit.do for the full total, however often the return is opened', async ({ page, browser, baseURL }) => {
  const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'french-press:1,honey:2', twoStage: true });
  await payInMirPay(page, 'mir-2026');
  await expectOrderState(page, 'paid');
  const orderUrl = page.url();
  const total = 249_000 + 2 * 65_000;

  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'registerPreAuth.do')).toBe(1);
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(1);
  const status = await gatewayStatus(baseURL!, gatewayOrderId);
  expect(status.orderStatus).toBe(2);
  expect(status.paymentAmountInfo?.depositedAmount).toBe(total);

  // The bank sent the shopper back to the order page (returnUrl) with its orderId appended, and the
  // page dropped it from the address once shown. Five more returns to that address: still one deposit.
  const orderId = orderUrl.split('/').pop()!;
  expect(new URL(page.url()).search).toBe('');
  const returnUrl = `/orders/${orderId}?orderId=${gatewayOrderId}`;
  for (let i = 0; i < 5; i++) {
    await page.goto(returnUrl);
    await expectOrderState(page, 'paid');
  }
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(1);

  // Mir Pay may bring the shopper back in another browser: no cookies, the same truth.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(`${baseURL}${returnUrl}&orderId=${gatewayOrderId}`);
  await expectOrderState(other, 'paid');
  await expect(other.getByTestId('order-total')).toHaveText(/^3\s790\s₽$/);
  await stranger.close();

  // A different orderId for this order is no return: the page shows the order, the bank is not asked about it.
  const foreign = '00000000-0000-0000-0000-000000000000';
  const forged = await page.request.get(`${returnUrl}&orderId=${foreign}`);
  expect(forged.status()).toBe(200);
  expect(await sandboxRequests(baseURL!, foreign, 'getOrderStatusExtended.do')).toBe(0);
  // Attempts registered before the bank's returnUrl was the order page come back to the old route:
  // it still settles them, and sends the shopper on to the order page.
  const legacy = await page.request.get(`/checkout/return?order=${orderId}&orderId=${gatewayOrderId}`, { maxRedirects: 0 });
  expect(legacy.status()).toBe(303);
  expect(legacy.headers().location).toMatch(new RegExp(`/orders/${orderId}$`));
  expect((await page.request.get(`/checkout/return?order=${orderId}&orderId=${foreign}`, { maxRedirects: 0 })).status()).toBe(400);
  expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(1);
});

test('declined for insufficient funds → try again → paid with a new orderNumber', async ({ page, baseURL }, testInfo) => {
  const first = await checkOut(page, baseURL!, { cart: 'chocolate:3' });
  await payInMirPay(page, 'mir-1119');
  await expectOrderState(page, 'failed');
  await expect(page.getByTestId('order-reason')).toHaveText('Недостаточно средств на карте.');
  await snap(page, testInfo, 'declined');
  // Nothing was paid, so the cart is still there to shop on.
  await expect(page.getByTestId('cart-badge')).toHaveText('3');

  await page.getByRole('button', { name: 'Попробовать снова' }).click();
  const second = await onPaymentPage(page);
  expect(second).not.toBe(first);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');

  const [before, after] = [await gatewayStatus(baseURL!, first), await gatewayStatus(baseURL!, second)];
  expect(before.orderStatus).toBe(6);
  expect(after.orderStatus).toBe(2);
  expect(after.orderNumber).not.toBe(before.orderNumber);
  expect(after.amount).toBe(3 * 21_900);
});

test('without JavaScript, "try again" on a declined order leads to a new payment page', async ({ page, baseURL, browser }) => {
  const first = await checkOut(page, baseURL!, { cart: 'chocolate:1' });
  await payInMirPay(page, 'mir-1119');
  await expectOrderState(page, 'failed');
  const noScript = await browser.newContext({ ...devices['Pixel 7'], javaScriptEnabled: false });
  await noScript.addCookies(await page.context().cookies());
  const plain = await noScript.newPage();
  await plain.goto(page.url());
  await plain.getByRole('button', { name: 'Попробовать снова' }).click();
  // The form's post carries the shop's Origin (the page's referrer policy must allow it), and the
  // shopper lands on the bank's page for a new attempt.
  expect(await onPaymentPage(plain)).not.toBe(first);
  await noScript.close();
});

test('cancel inside Mir Pay → back on the payment page → pay', async ({ page, baseURL }) => {
  const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'green-tea:1' });
  await page.getByTestId('mirpay-button').click();
  await page.getByRole('button', { name: 'Отменить' }).click();
  await expect(page.getByRole('alert')).toContainText('отменена');
  expect(await onPaymentPage(page)).toBe(gatewayOrderId);

  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  expect((await gatewayStatus(baseURL!, gatewayOrderId)).orderStatus).toBe(2);
});

test('back from the payment page and "Pay" again reuses the registered order', async ({ page, baseURL }) => {
  const first = await checkOut(page, baseURL!, { cart: 'mug:1' });
  await page.goBack();
  await expect(page).toHaveURL(/\/checkout$/);
  await fillContacts(page, ruLabels);
  await page.getByTestId('submit').click();
  expect(await onPaymentPage(page)).toBe(first);
  expect(await sandboxRequests(baseURL!, first, 'register.do')).toBe(1);
});

test('contact errors are shown next to the fields, announced, and nothing is registered', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'honey:1');
  await page.goto('/checkout');
  await page.getByLabel('Телефон', { exact: true }).fill('12345');
  await page.getByLabel('Электронная почта', { exact: true }).fill('anna@');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('name-error')).toHaveText('Укажите имя.');
  await expect(page.getByTestId('phone-error')).toHaveText(/Проверьте номер/);
  await expect(page.getByTestId('email-error')).toHaveText(/Проверьте адрес/);
  await expect(page.getByTestId('name-error')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByLabel('Имя', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Телефон', { exact: true })).toHaveValue('12345');
  await expect(page).toHaveURL(/\/checkout$/);
  const registrations = await controlFetch(baseURL!, 'requests?method=register.do').then((r) => r.json());
  await fillContacts(page, ruLabels);
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  const after = await controlFetch(baseURL!, 'requests?method=register.do').then((r) => r.json());
  expect(after.requests.length).toBe(registrations.requests.length + 1);
});

test('a crafted form with a price, amount or quantity does not change the amount sent to the gateway', async ({
  page,
  context,
  baseURL,
}) => {
  await setCart(context, baseURL!, 'mug:1');
  await page.goto('/checkout');
  await fillContacts(page, ruLabels);
  await page.evaluate(() => {
    const form = document.querySelector('[data-testid="checkout-form"]')!;
    for (const [name, value] of [
      ['amount', '100'],
      ['price', '1'],
      ['quantity', '50'],
      ['cart', 'mug:50'],
      ['total', '1'],
    ]) {
      const input = document.createElement('input');
      Object.assign(input, { type: 'hidden', name, value });
      form.append(input);
    }
  });
  await page.getByTestId('submit').click();
  const gatewayOrderId = await onPaymentPage(page);
  expect((await gatewayStatus(baseURL!, gatewayOrderId)).amount).toBe(79_000);
});

test('English: checkout, errors, payment page and order page in English', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'mug:1');
  await context.addCookies([{ name: 'lang', value: 'en', url: baseURL! }]);
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('email-error')).toHaveText('Enter your e-mail.');
  await fillContacts(page, enLabels, { name: 'Anna', phone: '8 (912) 345 67 89', email: 'anna@example.com' });
  await expect(page.getByTestId('submit')).toHaveText(/^Pay RUB\s790$/);
  await page.getByTestId('submit').click();
  const gatewayOrderId = await onPaymentPage(page);
  expect(page.url()).toContain('payment_en.html');
  await payInMirPay(page, 'mir-0047', /Pay/);
  await expectOrderState(page, 'paid');
  await expect(orderStatus(page)).toContainText('Paid');
  expect((await gatewayStatus(baseURL!, gatewayOrderId)).orderDescription).toMatch(/^Order /);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('checkout shows errors, keeps the values, then reaches the payment page', async ({ page, context, baseURL }) => {
    await setCart(context, baseURL!, 'honey:2');
    await page.goto('/checkout');
    await page.getByLabel('Имя', { exact: true }).fill('Анна');
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('phone-error')).toHaveText('Укажите телефон.');
    await expect(page.getByLabel('Имя', { exact: true })).toHaveValue('Анна');
    await fillContacts(page, ruLabels);
    await page.getByTestId('submit').click();
    const gatewayOrderId = await onPaymentPage(page);
    expect((await gatewayStatus(baseURL!, gatewayOrderId)).amount).toBe(2 * 65_000);
  });
});
