// One cart, one payment: Mir Pay hands the shopper back to another browser, and the one that
// started checkout still has the cart. "Pay" there again must not silently pay twice: checkout
// says the goods are paid, links the order, and registers nothing unless the shopper confirms.
import { expect, test } from '@playwright/test';
import { ordersInSqlite } from './attack-helpers';
import { fillContacts, onPaymentPage, payAndVanish, ruLabels, setCart } from './shop-helpers';

test('"Pay" for goods this browser already paid in another one: told so, nothing registered unless "Buy again"', async ({ page, browser, baseURL }) => {
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
  await back.goto(`${baseURL}/checkout/return?order=${orderId}&orderId=${gatewayOrderId}`);
  await expect(back.getByTestId('order-status')).toHaveAttribute('data-state', 'paid');
  await other.close();

  // The first browser still holds the cart: checkout says the goods are paid, with the order's link.
  await page.goto('/checkout');
  await expect(page.getByTestId('earlier-order')).toContainText('уже оплачен');
  await expect(page.getByTestId('earlier-order').getByRole('link')).toHaveAttribute('href', `/orders/${orderId}`);
  await fillContacts(page, ruLabels, buyer);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('checkout-error')).toContainText('уже оплачены');
  expect(ordersInSqlite('e2e', buyer.email)).toBe(1);

  // A deliberate second purchase still works.
  await page.getByLabel('Купить ещё раз').check();
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  expect(ordersInSqlite('e2e', buyer.email)).toBe(2);
});
