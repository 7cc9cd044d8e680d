// The console's session ends on the server: after log-out, a copy of the cookie is worth nothing.
import { expect, test } from '@playwright/test';
import { logIn } from './merchant-helpers';

test('@console log-out ends the session on the server: a copied cookie stops working', async ({ page, browser, baseURL }) => {
  await logIn(page);
  const copied = (await page.context().cookies()).filter((cookie) => cookie.name === 'merchant_session');
  expect(copied).toHaveLength(1);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto(`${baseURL}/merchant`);
  await expect(stolen).toHaveURL(/\/merchant$/);

  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page).toHaveURL(/\/merchant\/login$/);

  await stolen.goto(`${baseURL}/merchant`);
  await expect(stolen).toHaveURL(/\/merchant\/login$/);
  await thief.close();
});
