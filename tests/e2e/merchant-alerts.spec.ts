// Alerts through the real server: a shop of its own (PORT + 6, its own SQLite file) whose
// ALERT_WEBHOOK_URL is a receiver in this test (PORT + 7). Forged notifications of the bank arrive;
// the webhook receives one alert (not one per request) within the sender's interval; the console
// lists it; an operator's "Acknowledge" takes it off the open list, and the owner's audit log says
// who did it. A viewer sees it but has no button.
import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { DEMO_MERCHANT_PASSWORD } from '../../lib/env';
import { PORT } from './servers';
import { waitFor } from './shop-helpers';
import { startOwnShop, type OwnShop } from './own-shop';

const SHOP_PORT = PORT + 6;
const SHOP = `http://localhost:${SHOP_PORT}`;
const RECEIVER_PORT = PORT + 7;

let shop: OwnShop | undefined;
let receiver: Server | undefined;
const received: { alert: { kind: string; text: string } }[] = [];

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(RECEIVER_PORT, '127.0.0.1', resolve));
  shop = await startOwnShop('alerts', SHOP_PORT, {
    RECONCILE_INTERVAL_MS: '0',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${RECEIVER_PORT}/alerts`,
  });
});

test.afterAll(async () => {
  await shop?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

async function signIn(page: import('@playwright/test').Page, login: string, password: string) {
  await page.goto(`${SHOP}/merchant/login`);
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/merchant$/);
}

test('@console forged notifications → one alert at the webhook and in the console; an operator acknowledges it, audited', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(120_000);
  // Twenty notifications with a checksum that is not the bank's.
  const forged = new URLSearchParams({
    mdOrder: '1f0c5b8e-0000-4000-8000-000000000000',
    orderNumber: 'X-1',
    operation: 'deposited',
    status: '1',
  });
  forged.set('checksum', 'AB'.repeat(32));
  for (let i = 0; i < 20; i++) expect((await fetch(`${SHOP}/api/payments/callback?${forged}`)).status).toBe(403);

  await waitFor(async () => received.length > 0, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 6_000)); // a sender round more: still one
  const refused = received.filter((body) => body.alert.kind === 'callbacks-refused');
  expect(refused).toHaveLength(1);
  expect(refused[0]!.alert.text).toContain('Уведомления банка отклоняются');

  // The owner adds an operator and a viewer.
  const suffix = `${info.project.name}-${Date.now()}`;
  await signIn(page, 'owner', DEMO_MERCHANT_PASSWORD);
  for (const [login, role] of [
    [`op-${suffix}`, 'operator'],
    [`view-${suffix}`, 'viewer'],
  ]) {
    await page.goto(`${SHOP}/merchant/users`);
    await page.getByLabel('Логин', { exact: true }).fill(login!);
    await page.getByLabel('Роль', { exact: true }).selectOption(role!);
    await page.getByLabel('Пароль (от 10 символов)').fill('a long password 1');
    await page.getByRole('button', { name: 'Сохранить пользователя' }).click();
  }
  await expect(page.getByTestId('alerts-link')).toHaveCount(0); // on the users page: the link lives on the main page
  await page.goto(`${SHOP}/merchant`);
  await expect(page.getByTestId('alerts-link')).toHaveText('Тревоги: 1');

  // A viewer sees the alert, with no button.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, `view-${suffix}`, 'a long password 1');
  await viewer.goto(`${SHOP}/merchant/alerts`);
  const shown = viewer.getByTestId('alert').filter({ hasText: 'Уведомления банка отклоняются' });
  await expect(shown).toHaveAttribute('data-open', 'true');
  await expect(shown).toContainText('отправлено');
  await expect(shown.getByRole('button', { name: 'Принято' })).toHaveCount(0);
  await viewerContext.close();

  // The operator acknowledges it.
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, `op-${suffix}`, 'a long password 1');
  await operator.getByTestId('alerts-link').click();
  await operator.getByTestId('alert').filter({ hasText: 'Уведомления банка отклоняются' }).getByRole('button', { name: 'Принято' }).click();
  const done = operator.getByTestId('alert').filter({ hasText: 'Уведомления банка отклоняются' });
  await expect(done).toHaveAttribute('data-open', 'false');
  await expect(done).toContainText(`принято: op-${suffix}`);
  await operatorContext.close();

  await page.goto(`${SHOP}/merchant`);
  await expect(page.getByTestId('alerts-link')).toHaveText('Тревог нет');
  await page.goto(`${SHOP}/merchant/audit`);
  const acknowledged = page.getByTestId('audit').locator('tr[data-action="alert-acknowledge"]').first();
  await expect(acknowledged).toContainText(`op-${suffix}`);
  await expect(acknowledged).toContainText('тревога принята');
});
