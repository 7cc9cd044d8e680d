// Screenshots of the shopper's new steps on each phone profile (412 and 320 px), written to
// screenshots/ (git-ignored) for a person to look at: delivery by pickup and by courier, checkout with
// its errors, the order page with its delivery, the confirmation e-mail, "my orders" and "find my
// orders". Run on demand only (SCREENS=1): they prove nothing a machine can check.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectOrderState, fillContacts, onPaymentPage, payInMirPay, ruLabels, setCart } from './shop-helpers';
import { ROOT } from './web-server';

test.skip(!process.env.SCREENS, 'screenshots only on demand (SCREENS=1)');
test.describe.configure({ timeout: 120_000 });

const DIR = path.join(ROOT, 'screenshots');

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  mkdirSync(DIR, { recursive: true });
  // The viewport as the shopper sees it, and the whole page.
  await page.screenshot({ path: path.join(DIR, `shopper-${testInfo.project.name}-${name}.png`) });
  await page.screenshot({ path: path.join(DIR, `shopper-${testInfo.project.name}-${name}-full.png`), fullPage: true });
}

test('delivery, checkout errors, the order page, the e-mail, my orders, find my orders', async ({ page, context, baseURL }, testInfo) => {
  await setCart(context, baseURL!, 'mug:2,honey:1');
  await page.goto('/checkout');
  await shoot(page, testInfo, '1-checkout-pickup');
  await page.getByTestId('delivery-courier').check();
  await shoot(page, testInfo, '2-checkout-courier');
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('checkout-error')).toBeVisible();
  await shoot(page, testInfo, '3-checkout-errors');

  await fillContacts(page, ruLabels);
  await page.getByLabel('Город', { exact: true }).fill('Санкт-Петербург');
  await page.getByLabel('Улица', { exact: true }).fill('Большая Морская');
  await page.getByLabel('Дом', { exact: true }).fill('17');
  await page.getByLabel('Квартира или офис', { exact: true }).fill('офис 204');
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  await shoot(page, testInfo, '4-order-courier');

  // Followed by its address: the paid notice may slide over the link at the moment of a tap.
  await page.goto((await page.getByTestId('order-mail-link').getAttribute('href'))!);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('caught-mail')).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await shoot(page, testInfo, '5-mail');

  await page.goto('/orders');
  await shoot(page, testInfo, '6-my-orders');
  const form = page.getByTestId('find-orders-form');
  // An address of its own: the other specs' requests for anna@ have used up its hourly limit.
  await form.getByLabel('Электронная почта').fill(`screens-${testInfo.project.name}@example.ru`);
  await form.getByTestId('submit').click();
  await expect(page.getByTestId('find-orders-result')).toBeVisible();
  await shoot(page, testInfo, '7-find-my-orders');
  await page.goto('/cart');
  await shoot(page, testInfo, '8-cart-after-paying');
});
