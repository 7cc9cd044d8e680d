// Every page a shopper can reach, checked with axe on each phone profile (a 412-px Pixel 7 and a
// 320-px small phone): no serious or critical violation, in each state the page can be in: empty
// and filled cart, checkout before and after an invalid submit (courier fields shown), an order
// pending, paid and declined, its e-mail, "my orders" and "find my orders", the bank's payment
// page and Mir Pay app, and the not-found pages. All of axe's rules run; none is disabled.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { checkOut, expectOrderState, fillContacts, orderStatus, payInMirPay, ruLabels, setCart } from './shop-helpers';

/** No serious or critical violation on the page as it is now (one line each if any), and no sideways scroll. */
async function expectAccessible(page: Page, what: string) {
  // Animations settle first: axe reads colours mid-transition as low contrast.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  // After a link's navigation Next applies the new page's metadata when it has streamed in: for a
  // moment between the two the document has no title (seen once on a pending order's page, whose
  // state shows at once). Every shopper page has one: waiting for it is checking it.
  await expect(page, `${what}: a title`).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`);
  expect.soft(serious, `${what} at ${page.url()}`).toEqual([]);
  // A page wider than the phone is a rough edge axe does not see (and a zoomed-out page on a phone).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect.soft(overflow, `${what}: sideways scroll`).toBeLessThanOrEqual(0);
}

// Each test runs axe on many pages; on a loaded machine one run takes seconds.
test.describe.configure({ timeout: 120_000 });

test('catalogue, product, unknown product, empty cart and an address with no page, in Russian and English', async ({
  page,
  context,
  baseURL,
}) => {
  for (const lang of ['ru', 'en']) {
    await context.addCookies([{ name: 'lang', value: lang, url: baseURL! }]);
    await page.goto('/');
    await expectAccessible(page, `catalogue (${lang})`);
    await page.goto('/products/mug');
    await expectAccessible(page, `product (${lang})`);
    await page.goto('/products/no-such-thing');
    await expectAccessible(page, `unknown product (${lang})`);
    await page.goto('/cart');
    await expectAccessible(page, `empty cart (${lang})`);
    await page.goto('/checkout');
    await expectAccessible(page, `checkout with an empty cart (${lang})`);
    await page.goto('/no-such-page');
    await expectAccessible(page, `an address with no page (${lang})`);
  }
});

test('cart with items; checkout, its errors and the courier fields; the payment page and Mir Pay app', async ({
  page,
  context,
  baseURL,
}) => {
  await setCart(context, baseURL!, 'mug:2,honey:1');
  await page.goto('/cart');
  await expectAccessible(page, 'cart with items');
  await page.goto('/checkout');
  await expectAccessible(page, 'checkout');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('checkout-error')).toBeVisible();
  await expectAccessible(page, 'checkout after an invalid submit');
  await page.getByTestId('delivery-courier').check();
  await fillContacts(page, ruLabels);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('city-error')).toBeVisible();
  await expectAccessible(page, 'checkout, courier, address errors');
  await page.getByTestId('delivery-pickup').check();
  await page.getByTestId('submit').click();
  await page.waitForURL(/\/sandbox\/payment\//);
  await expectAccessible(page, 'payment page');
  await page.getByTestId('mirpay-button').click();
  await expect(page).toHaveURL(/\/sandbox\/mirpay\/inapp\//);
  await expectAccessible(page, 'Mir Pay app');
});

test('orders: pending, paid with its e-mail, declined; my orders, find my orders, an unknown order', async ({ page, baseURL }) => {
  await page.goto('/orders');
  await expectAccessible(page, 'my orders, none yet');

  // Pending: "Pay" was tapped, the bank's page is open and nothing is paid yet.
  await checkOut(page, baseURL!, { cart: 'honey:1' });
  await page.goto('/orders');
  await page.getByTestId('my-order').first().getByRole('link').click();
  await expect(orderStatus(page)).toHaveAttribute('data-state', 'processing');
  await expectAccessible(page, 'order page, pending');

  await checkOut(page, baseURL!, { cart: 'chocolate:1' });
  await payInMirPay(page, 'mir-1119');
  await expectOrderState(page, 'failed');
  await expectAccessible(page, 'order page, declined');

  await checkOut(page, baseURL!, { cart: 'mug:1' });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  await expectAccessible(page, 'order page, paid');
  // Followed by its address: the paid notice may slide over the link at the moment of a tap.
  await page.goto((await page.getByTestId('order-mail-link').getAttribute('href'))!);
  await expect(page).toHaveURL(/\/mail$/);
  await expectAccessible(page, 'order e-mail');

  await page.goto('/orders');
  await expect(page.getByTestId('my-order')).toHaveCount(3);
  await expectAccessible(page, 'my orders');
  const form = page.getByTestId('find-orders-form');
  await form.getByLabel('Электронная почта').fill('anna@example.ru');
  await form.getByTestId('submit').click();
  await expect(page.getByTestId('find-orders-result')).toBeVisible();
  await expectAccessible(page, 'find my orders, answered');

  await page.goto(`/orders/${'A'.repeat(22)}`);
  await expectAccessible(page, 'unknown order');
});
