// Console roles against the running server: the owner adds a viewer; the viewer sees no settings
// or money buttons, is refused the owner's pages and export, and a replay of the owner's
// settings form (the server action posted directly with the viewer's cookie) changes nothing and
// is in the audit log the owner reads.
import { expect, test, type Page } from '@playwright/test';
import { logIn } from './merchant-helpers';

async function signIn(page: Page, login: string, password: string) {
  await page.goto('/merchant/login');
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

test.describe.configure({ timeout: 90_000 });

test('@console a viewer cannot change what only the owner may, even by posting the action itself', async ({
  page,
  browser,
  baseURL,
}, info) => {
  const viewer = `viewer-${info.project.name}-${Date.now()}`;
  await logIn(page);
  await page.getByRole('link', { name: 'Пользователи' }).click();
  await page.getByLabel('Логин', { exact: true }).fill(viewer);
  await page.getByLabel('Роль', { exact: true }).selectOption('viewer');
  await page.getByLabel('Пароль (от 10 символов)').fill('viewer password 1');
  await page.getByRole('button', { name: 'Сохранить пользователя' }).click();
  await expect(page.getByTestId('users')).toContainText(`${viewer} · наблюдатель`);

  await page.goto('/merchant');
  const mode = await page.locator('input[name="mode"]:checked').getAttribute('value');
  // The owner's settings form as the browser would post it: the action's hidden fields and the other mode.
  const fields = await page
    .locator('form:has([data-testid="save-mode"]) input[type="hidden"]')
    .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value]));

  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, viewer, 'wrong password');
  await expect(other.getByTestId('login-error')).not.toBeEmpty();
  await signIn(other, viewer, 'viewer password 1');
  await expect(other).toHaveURL(/\/merchant$/);
  await expect(other.getByTestId('signed-in-as')).toHaveText(`${viewer} · наблюдатель`);
  await expect(other.getByTestId('save-mode')).toHaveCount(0);
  await expect(other.getByRole('link', { name: 'Пользователи' })).toHaveCount(0);
  await other.goto('/merchant/users');
  await expect(other).toHaveURL(/refused=forbidden/);
  expect((await other.request.get('/merchant/audit.csv')).status()).toBe(403);

  const multipart: Record<string, string> = Object.fromEntries(fields);
  multipart.mode = mode === 'manual' ? 'on-return' : 'manual';
  const replay = await other.request.post('/merchant', { multipart, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(replay.status()).toBeLessThan(500);
  await page.reload();
  await expect(page.locator('input[name="mode"]:checked')).toHaveAttribute('value', mode!);
  await context.close();

  await page.getByRole('link', { name: 'Журнал действий' }).click();
  const audit = page.getByTestId('audit');
  // In words on the page (the stored codes in data-* and in the CSV).
  const byViewer = audit.locator('tr', { hasText: viewer });
  await expect(byViewer.and(page.locator('[data-action="capture-mode"]'))).toContainText('двухстадийные заказы');
  await expect(byViewer.and(page.locator('[data-action="capture-mode"]'))).toContainText('не разрешено роли «наблюдатель»');
  await expect(byViewer.and(page.locator('[data-outcome="failed"]'))).toContainText('неверный логин или пароль');
  await expect(byViewer.and(page.locator('[data-action="login"][data-outcome="ok"]'))).toHaveCount(1);
  const csv = await page.request.get('/merchant/audit.csv');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`"${viewer}"`);
  await page.screenshot({ path: info.outputPath('audit.png'), fullPage: true });
});
