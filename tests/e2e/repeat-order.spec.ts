// One cart, one payment: Mir Pay hands the shopper back to another browser. The one that started
// checkout empties its cart on its next page and says the order is paid; and if the shopper puts
// the same goods in again, "Pay" must not silently pay twice: checkout says the goods are paid,
// links the order, and registers nothing unless the shopper confirms.
import { expect, test } from '@playwright/test';
import { ordersInSqlite } from './attack-helpers';
import { MAIN_SERVER } from './servers';
import { fillContacts, onPaymentPage, orderStatus, payAndVanish, ruLabels, setCart } from './shop-helpers';

test('paid in another browser: this one empties its cart with a notice; "Pay" for the same goods again is told so, nothing registered unless "Buy again"', async ({
  page,
  browser,
  baseURL,
}) => {
  const buyer = { name: 'Повтор Тестов', phone: '+7 912 000-11-22', email: 'repeat-order@example.ru' };
  await setCart(page.context(), baseURL!, 'chocolate:3');
  await page.goto('/checkout');
  await fillContacts(page, ruLabels, buyer);
  await page.getByTestId('submit').click();
  const gatewayOrderId = await onPaymentPage(page);
  const orderId = await payAndVanish(page);

  // Mir Pay returns the shopper into another browser, which the payment's return settles.
  const other = await browser.newContext();
  const back = await other.newPage();
  await back.goto(`${baseURL}/orders/${orderId}?orderId=${gatewayOrderId}`);
  await expect(orderStatus(back)).toHaveAttribute('data-state', 'paid');
  await other.close();

  // The first browser's next page, prerendered or not: the cart is empty, the order said paid, with its link.
  await page.goto('/cart');
  await expect(page.getByText('Корзина пуста')).toBeVisible();
  const notice = page.getByTestId('paid-notice');
  await expect(notice).toContainText(/Заказ [\w-]+ оплачен/);
  await expect(notice.getByRole('link')).toHaveAttribute('href', `/orders/${orderId}`);
  await page.goto('/');
  await expect(notice).toBeVisible();
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  await notice.getByRole('button').click();
  await expect(notice).toHaveCount(0);
  await page.reload();
  await expect(notice).toHaveCount(0);

  // The shopper puts the same goods in again: checkout says they are paid, with the order's link.
  await setCart(page.context(), baseURL!, 'chocolate:3');
  await page.goto('/checkout');
  await expect(page.getByTestId('earlier-order')).toContainText('уже оплачен');
  await expect(page.getByTestId('earlier-order').getByRole('link')).toHaveAttribute('href', `/orders/${orderId}`);
  await fillContacts(page, ruLabels, buyer);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('checkout-error')).toContainText('уже оплачены');
  expect(ordersInSqlite(MAIN_SERVER, buyer.email)).toBe(1);

  // A deliberate second purchase still works.
  await page.getByLabel('Купить ещё раз').check();
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  expect(ordersInSqlite(MAIN_SERVER, buyer.email)).toBe(2);
});
