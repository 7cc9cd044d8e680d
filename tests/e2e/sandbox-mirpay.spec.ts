// The sandbox's Mir Pay flow on an Android phone (Pixel 7): payment flow steps 3–8.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { registerOrder, sandboxClient } from './gateway-helpers';

async function snap(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test('Mir Pay: tap, pick a card, arrive at returnUrl with orderId and lang', async ({ page, baseURL }, testInfo) => {
  const order = await registerOrder(baseURL!, { twoStage: true });
  await page.goto(order.formUrl);
  await expect(page.getByTestId('amount')).toHaveText(/2\s?490\s₽/);
  await snap(page, testInfo, '1-payment-page');

  await page.getByTestId('mirpay-button').click();
  await expect(page).toHaveURL(/\/sandbox\/mirpay\/inapp\//);
  await snap(page, testInfo, '2-mirpay-app');

  await page.getByTestId('mir-card-mir-2026').click();
  await page.getByRole('button', { name: /Оплатить/ }).click();
  await page.waitForURL(/result=ok/);
  const url = new URL(page.url());
  expect(url.searchParams.get('orderId')).toBe(order.orderId);
  expect(url.searchParams.get('lang')).toBe('ru');
  await snap(page, testInfo, '3-returned');

  const status = await sandboxClient(baseURL!).getOrderStatusExtended({ orderId: order.orderId });
  expect(status.orderStatus).toBe(1);
  expect(status.paymentWay).toBe('MIR_PAY');
});

test('Mir Pay: the no-funds card lands on failUrl with actionCode 116', async ({ page, baseURL }) => {
  const order = await registerOrder(baseURL!);
  await page.goto(order.formUrl);
  await page.getByTestId('mirpay-button').click();
  await page.getByTestId('mir-card-mir-1119').click();
  await page.getByRole('button', { name: /Оплатить/ }).click();
  await page.waitForURL(/result=fail/);
  expect(new URL(page.url()).searchParams.get('orderId')).toBe(order.orderId);
  const status = await sandboxClient(baseURL!).getOrderStatusExtended({ orderId: order.orderId });
  expect(status).toMatchObject({ orderStatus: 0, actionCode: 116 });
});

test('Mir Pay: cancel in the app returns to the payment page, then paying works', async ({ page, baseURL }) => {
  const order = await registerOrder(baseURL!, { language: 'en' });
  await page.goto(order.formUrl);
  await page.getByTestId('mirpay-button').click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(order.formUrl);
  await expect(page.getByRole('alert')).toContainText('cancelled');

  await page.getByTestId('mirpay-button').click();
  await page.getByRole('button', { name: /Pay/ }).click();
  await page.waitForURL(/result=ok/);
  expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
  const status = await sandboxClient(baseURL!).getOrderStatusExtended({ orderId: order.orderId });
  expect(status.orderStatus).toBe(2);
});
