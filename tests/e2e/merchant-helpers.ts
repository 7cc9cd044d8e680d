// The merchant console as a merchant uses it: log in, choose the capture mode. Shared by the
// console journeys and the scale-out tests.
import { expect, type Page } from '@playwright/test';
// The e2e servers run with the sandbox and no MERCHANT_PASSWORD: the console takes the demo one.
import { DEMO_MERCHANT_PASSWORD } from '../../lib/env';

export async function logIn(page: Page, password = DEMO_MERCHANT_PASSWORD) {
  await page.goto('/merchant/login');
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/merchant$/);
}

export async function setMode(page: Page, mode: 'on-return' | 'manual') {
  await page.goto('/merchant');
  await page.locator(`input[name="mode"][value="${mode}"]`).check();
  await page.getByTestId('save-mode').click();
  await expect(page.locator(`input[name="mode"][value="${mode}"]`)).toBeChecked();
}
