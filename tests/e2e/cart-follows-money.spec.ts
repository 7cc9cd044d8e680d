// The cart follows the money, not the route: the order page's own poll reads the bank a moment
// before the shopper confirms in Mir Pay, and the return that follows must still empty the cart,
// so that "Оформить заказ" → "Оплатить" cannot register the same goods a second time.
import { devices, expect, test, type Browser } from '@playwright/test';
import { checkOut, expectOrderState, orderStatus, payWithoutComingBack, sandboxRequests } from './shop-helpers';

for (const twoStage of [false, true]) {
  test(`${twoStage ? 'two' : 'one'}-stage: the poll fired just before Mir Pay confirms → after the return the cart is empty`, async ({
    page,
    baseURL,
  }) => {
    const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'chocolate:2,honey:2', twoStage });
    const orderId = (await page.context().cookies()).find((c) => c.name === 'checkout')!.value;
    await page.getByTestId('mirpay-button').click();
    await page.getByTestId('mir-card-mir-0047').click();
    // The order page, open in another tab of this browser, polls now: the bank still says "not paid".
    const poll = await page.request.get(`/api/orders/${orderId}`);
    expect(((await poll.json()) as { state: string }).state).toBe('processing');
    await page.getByRole('button', { name: /Оплатить/ }).click();
    await expectOrderState(page, 'paid');
    await expect(page.getByTestId('cart-badge')).toHaveCount(0);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('cart');
    await page.goto('/cart');
    await expect(page.getByText('Корзина пуста')).toBeVisible();
    expect(await sandboxRequests(baseURL!, gatewayOrderId, twoStage ? 'registerPreAuth.do' : 'register.do')).toBe(1);
  });
}

test('paid while the order page watched: its poll empties the cart and the badge follows', async ({ page, baseURL, browser }) => {
  await checkOut(page, baseURL!, { cart: 'chocolate:1' });
  const paymentPage = page.url();
  const orderId = (await page.context().cookies()).find((c) => c.name === 'checkout')!.value;
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('cart-badge')).toHaveText('1');
  await payElsewhere(browser, paymentPage);
  await expect(orderStatus(page)).toHaveAttribute('data-state', 'paid', { timeout: 10_000 });
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  // The order page needs no "order N is paid" notice about itself.
  await expect(page.getByTestId('paid-notice')).toHaveCount(0);
});

test('"order N is paid" shows on other pages, not on that order\'s own page or its e-mails\' page', async ({ page, baseURL, browser }) => {
  await checkOut(page, baseURL!, { cart: 'chocolate:1' });
  const paymentPage = page.url();
  const orderId = (await page.context().cookies()).find((c) => c.name === 'checkout')!.value;
  await payElsewhere(browser, paymentPage);
  const notice = page.getByTestId('paid-notice');
  await page.goto('/cart');
  await expect(notice).toBeVisible();
  for (const own of [`/orders/${orderId}/mail`, `/orders/${orderId}`]) {
    await page.goto(own);
    await expect(page.locator('main')).toBeVisible();
    await expect(notice).toHaveCount(0);
  }
  await page.goto('/cart');
  await expect(notice).toBeVisible();
});

/** The payment page opened in another phone's browser and paid there; nobody follows the return. */
async function payElsewhere(browser: Browser, paymentPage: string) {
  const other = await browser.newContext({ ...devices['Pixel 7'] });
  const page = await other.newPage();
  await page.goto(paymentPage);
  await payWithoutComingBack(page);
  await other.close();
}
