// On a desktop browser the payment page offers no Mir Pay (Android only) and takes a test card.
import { expect, test } from '@playwright/test';
import { registerOrder, sandboxClient } from './gateway-helpers';

test('@desktop no Mir Pay button; pays with the test card 4111 1111 1111 1111', async ({ page, baseURL }) => {
  const order = await registerOrder(baseURL!, { pageView: 'DESKTOP' });
  await page.goto(order.formUrl);
  await expect(page.getByTestId('mirpay-button')).toHaveCount(0);
  await expect(page.getByTestId('mirpay-unavailable')).toBeVisible();

  await page.getByLabel('Номер карты').fill('4111 1111 1111 1111');
  await page.getByLabel('Срок действия').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Имя владельца').fill('Ivan Ivanov');
  await page.getByRole('button', { name: /Оплатить/ }).click();
  await page.waitForURL(/result=ok/);
  expect(new URL(page.url()).searchParams.get('orderId')).toBe(order.orderId);

  const status = await sandboxClient(baseURL!).getOrderStatusExtended({ orderId: order.orderId });
  expect(status).toMatchObject({ orderStatus: 2, paymentWay: 'CARD' });
  expect(status.cardAuthInfo?.maskedPan).toBe('411111**1111');
});
