// Delivery at checkout on each phone profile: the courier's price in the totals and on "Pay",
// address errors next to the fields with everything typed kept, the amount the bank is asked for,
// and the order page; then pickup without JavaScript.
import { expect, test, type Page } from '@playwright/test';
import { expectOrderState, fillContacts, onPaymentPage, payInMirPay, ruLabels, setCart } from './shop-helpers';

async function fillAddress(page: Page, address: { city: string; street: string; house: string; flat: string }) {
  await page.getByLabel('Город', { exact: true }).fill(address.city);
  await page.getByLabel('Улица', { exact: true }).fill(address.street);
  await page.getByLabel('Дом', { exact: true }).fill(address.house);
  await page.getByLabel('Квартира или офис', { exact: true }).fill(address.flat);
}

test('courier: 300 ₽ on top of 1 580 ₽, address errors keep what was typed, the bank is asked for 1 880 ₽', async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  await setCart(context, baseURL!, 'mug:2');
  await page.goto('/checkout');
  await expect(page.getByTestId('checkout-total')).toHaveText(/^1\s580\s₽$/);
  await expect(page.getByTestId('pickup-point')).toBeVisible();
  await expect(page.getByLabel('Город', { exact: true })).toBeHidden();

  await page.getByTestId('delivery-courier').check();
  await expect(page.getByTestId('pickup-point')).toBeHidden();
  await expect(page.getByTestId('delivery-price')).toHaveText(/^300\s₽$/);
  await expect(page.getByTestId('checkout-total')).toHaveText(/^1\s880\s₽$/);
  await expect(page.getByTestId('submit')).toHaveText(/^Оплатить 1\s880\s₽$/);

  await fillContacts(page, ruLabels);
  await fillAddress(page, { city: 'Москва', street: 'Тверская', house: '', flat: '12' });
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('house-error')).toHaveText('Укажите номер дома.');
  await expect(page.getByLabel('Дом', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Улица', { exact: true })).toHaveValue('Тверская');
  await expect(page.getByTestId('delivery-courier')).toBeChecked();
  await expect(page.getByTestId('submit')).toHaveText(/1\s880\s₽$/);
  await testInfo.attach(`delivery-courier-error-${testInfo.project.name}`, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });

  await page.getByLabel('Дом', { exact: true }).fill('7');
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  await expect(page.getByTestId('amount')).toHaveText(/1\s?880\s₽/);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  await expect(page.getByTestId('order-delivery')).toHaveText(/^Доставка курьером\s*300\s₽$/);
  await expect(page.getByTestId('order-address')).toHaveText('Адрес доставки: Москва, Тверская, 7, 12');
  await expect(page.getByTestId('order-total')).toHaveText(/^1\s880\s₽$/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('pickup is free and shows the shop; the courier fields appear when chosen, and an error keeps them', async ({
    page,
    context,
    baseURL,
  }) => {
    await setCart(context, baseURL!, 'honey:1');
    await page.goto('/checkout');
    await expect(page.getByTestId('pickup-point')).toContainText('Мясницкая');
    await page.getByTestId('delivery-courier').check();
    await expect(page.getByLabel('Город', { exact: true })).toBeVisible();
    await fillContacts(page, ruLabels);
    await fillAddress(page, { city: 'Казань', street: '', house: '3', flat: '' });
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('street-error')).toHaveText('Укажите улицу.');
    await expect(page.getByLabel('Город', { exact: true })).toHaveValue('Казань');
    await expect(page.getByTestId('delivery-courier')).toBeChecked();
    await expect(page.getByTestId('submit')).toHaveText(/^Оплатить 950\s₽$/);

    await page.getByTestId('delivery-pickup').check();
    await page.getByTestId('submit').click();
    await onPaymentPage(page);
    await expect(page.getByTestId('amount')).toHaveText(/650\s₽/);
  });
});
