// The hold policy end to end, with the sandbox clock: a shop of its own (PORT + 8, its own SQLite
// file, its reconciler every second) whose sandbox is its bank, so days moved on the sandbox clock
// pass for the shop too. The owner sets the policy in the console; a two-stage payment is held;
// the order page shows the hold's age and the bank's deadline; the clock moves forward; the
// reconciler captures (or cancels) the hold exactly once: one deposit.do (or reverse.do) at the
// bank, one timeline entry with the reason in Russian. By default it only raises an alert.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_MERCHANT_PASSWORD } from '../../lib/env';
import { PORT } from './servers';
import { checkOut, expectOrderState, payOnGatewayPage, sandboxControl, sandboxRequests, waitFor } from './shop-helpers';
import { startOwnShop, type OwnShop } from './own-shop';
import { ROOT } from './web-server';

const SHOP_PORT = PORT + 8;
const SHOP = `http://localhost:${SHOP_PORT}`;
const DAY_SECONDS = 86_400;

let shop: OwnShop | undefined;

test.beforeAll(async () => {
  shop = await startOwnShop('hold-policy', SHOP_PORT, { RECONCILE_INTERVAL_MS: '1000' });
});

test.afterAll(async () => {
  await shop?.stop();
});

async function ownerWithPolicy(page: Page, action: 'alert' | 'capture' | 'cancel', daysBefore: number) {
  await page.goto(`${SHOP}/merchant/login`);
  await page.getByLabel('Пароль').fill(DEMO_MERCHANT_PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page).toHaveURL(/\/merchant$/);
  // Holds wait for the merchant (or the policy), not captured when the shopper returns. Each
  // save is a server action: its answer is awaited, then the page read afresh.
  await page.locator('input[name="mode"][value="manual"]').check();
  await saved(page, page.getByTestId('save-mode'));
  await expect(page.locator('input[name="mode"][value="manual"]')).toBeChecked();
  const form = page.getByTestId('hold-policy');
  await form.getByRole('combobox').selectOption(action);
  await form.locator('input[name="daysBefore"]').fill(String(daysBefore));
  await saved(page, form.getByRole('button'));
  await expect(page.getByTestId('hold-policy').getByRole('combobox')).toHaveValue(action);
  await expect(page.getByTestId('hold-policy').locator('input[name="daysBefore"]')).toHaveValue(String(daysBefore));
}

async function saved(page: Page, button: Locator) {
  await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), button.click()]);
  await page.goto(`${SHOP}/merchant`);
}

/** A two-stage payment held at the bank, paid on this page (the owner shops too); returns its ids. */
async function held(page: Page) {
  const gatewayOrderId = await checkOut(page, SHOP, { cart: 'mug:1', twoStage: true });
  await payOnGatewayPage(page);
  await expectOrderState(page, 'held');
  return { orderId: page.url().split('/').pop()!, gatewayOrderId };
}

const moveClock = (days: number) => sandboxControl(SHOP, 'clock', { advanceSeconds: days * DAY_SECONDS });
/** Two reconciler ticks at least (one a second, each attempt at most every 0.5 s). */
const ticks = () => new Promise((resolve) => setTimeout(resolve, 2500));

for (const [action, method, state, operation] of [
  ['capture', 'deposit.do', 'paid', 'списание'],
  ['cancel', 'reverse.do', 'cancelled', 'отмена'],
] as const) {
  test(`@console hold policy "${action} 2 days before the deadline": the reconciler does it once, after the clock moves`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await ownerWithPolicy(page, action, 2);
    const { orderId, gatewayOrderId } = await held(page);

    // Before: the hold's age and the bank's deadline; nothing moved.
    await page.goto(`${SHOP}/merchant/orders/${orderId}`);
    await expect(page.getByTestId('merchant-state')).toHaveText('холд');
    await expect(page.getByTestId('hold-deadline')).toHaveText(/^Холд держится 0,0 дн\.; банк отменит его сам \d/);

    // Four days later (three before the deadline): not yet.
    await moveClock(4);
    await ticks();
    expect(await sandboxRequests(SHOP, gatewayOrderId, method)).toBe(0);
    await page.reload();
    await expect(page.getByTestId('hold-deadline')).toContainText('Холд держится 4,0 дн.');

    // Five and a half days (one and a half before): due, carried out once however many ticks.
    await moveClock(1.5);
    await waitFor(async () => (await sandboxRequests(SHOP, gatewayOrderId, method)) === 1, 15_000);
    await ticks();
    expect(await sandboxRequests(SHOP, gatewayOrderId, method)).toBe(1);

    await page.reload();
    await expect(page.getByTestId('merchant-state')).toHaveAttribute('data-state', state);
    await expect(page.getByTestId('hold-deadline')).toHaveCount(0);
    const entries = page.getByTestId('timeline-entry').and(page.locator('[data-kind="merchant"]'));
    await expect(entries).toHaveCount(1);
    await expect(entries).toContainText(`Операция магазина: ${operation}`);
    await expect(entries).toContainText(`правило холдов: ${action === 'capture' ? 'списать' : 'отменить'} за 2 дн. до срока банка`);
    await expect(page.getByTestId('timeline')).not.toContainText('hold policy');
  });
}

test('@console hold policy by default only alerts: an ageing hold raises an alert, no money moves', async ({ page }, info) => {
  test.setTimeout(120_000);
  await ownerWithPolicy(page, 'alert', 1);
  const { orderId, gatewayOrderId } = await held(page);
  await moveClock(6.5);
  await waitFor(async () => {
    await page.goto(`${SHOP}/merchant/alerts`);
    // Earlier holds here aged too: this order's alert.
    return (await page.getByTestId('alert').filter({ hasText: 'Холд не списан' }).filter({ hasText: orderId }).count()) > 0;
  }, 15_000);
  await ticks();
  for (const method of ['deposit.do', 'reverse.do']) expect(await sandboxRequests(SHOP, gatewayOrderId, method)).toBe(0);
  await page.goto(`${SHOP}/merchant/orders/${orderId}`);
  await expect(page.getByTestId('merchant-state')).toHaveText('холд');
  await expect(page.getByTestId('hold-deadline')).toContainText('Холд держится 6,5 дн.');
  await expect(page.getByTestId('timeline-entry').and(page.locator('[data-kind="merchant"]'))).toHaveCount(0);
  // The alerts page with alerts in it, for a person to look at (the main e2e server has none).
  await page.goto(`${SHOP}/merchant/alerts`);
  await page.screenshot({ path: `${ROOT}/screenshots/${info.project.name}-alerts-listed.png`, fullPage: true });
});
