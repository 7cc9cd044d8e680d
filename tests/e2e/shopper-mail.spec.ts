// The confirmation e-mail in the demo: the order is paid, the outbox's sender (every 5 s) hands
// it to the sandbox's catcher, and the shopper reads it from their order page; the merchant sees
// it in the console's demo mailbox.
import { expect, test } from '@playwright/test';
import { checkOut, expectOrderState, payInMirPay } from './shop-helpers';
import { logIn } from './merchant-helpers';

test('paid: the confirmation e-mail is reachable from the order page, with the amount and the link', async ({
  page,
  baseURL,
}, testInfo) => {
  await checkOut(page, baseURL!, { cart: 'honey:2' });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  const orderUrl = page.url();
  await page.getByTestId('order-mail-link').click();
  await expect(page).toHaveURL(/\/orders\/[\w-]{22}\/mail$/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('caught-mail')).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  const mail = page.getByTestId('caught-mail');
  await expect(mail.getByRole('heading')).toHaveText(/^Заказ \S+ оплачен$/);
  await expect(mail).toContainText(/Итого: 1\s300\s₽/);
  await expect(mail).toContainText(orderUrl.replace(/^https?:\/\/[^/]+/, ''));
  await testInfo.attach(`mail-${testInfo.project.name}`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  if (testInfo.project.name !== 'pixel-7') return;
  await logIn(page);
  await page.goto('/merchant');
  await expect(page.getByTestId('merchant-caught-mail').filter({ hasText: 'anna@example.ru' }).first()).toBeVisible();
});
