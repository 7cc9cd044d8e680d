// "My orders" on a phone: the orders this browser placed (its signed `orders` cookie) with their
// state, seen by no other browser and by no edited or forged list; and "find my orders", which
// answers one neutral sentence whatever the address and mails the links (the demo's catcher shows
// that e-mail in the merchant console only, never on an order's page); its limits refuse per
// client and per address.
import { devices, expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { anna, checkOut, expectOrderState, fillContacts, onPaymentPage, payInMirPay, ruLabels, setCart } from './shop-helpers';
import { logIn } from './merchant-helpers';
import { RECONCILER_URL as BEHIND_PROXY, dataFile, MAIN_SERVER } from './servers';

const NEUTRAL = 'Если с этим адресом есть заказы, мы отправили на него ссылки.';
const REFUSED = 'Слишком много запросов. Подождите немного и попробуйте снова.';

/** Rows in the main e2e server's SQLite database: what the outbox owes or the catcher caught. */
function countInSqlite(query: string, ...params: string[]): number {
  const db = new Database(dataFile(`${MAIN_SERVER}.sqlite`), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(query).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function findOrders(page: Page, email: string) {
  const form = page.getByTestId('find-orders-form');
  await form.getByLabel('Электронная почта').fill(email);
  await form.getByTestId('submit').click();
  return page.getByTestId('find-orders-result');
}

test('the orders this browser placed, with their state; no other browser, edited or forged list sees them', async ({
  page,
  baseURL,
  browser,
}, testInfo) => {
  await page.goto('/orders');
  await expect(page.getByTestId('my-orders-empty')).toBeVisible();

  await checkOut(page, baseURL!, { cart: 'honey:1' });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  const orderPath = new URL(page.url()).pathname;
  const orderId = orderPath.split('/').pop()!;
  const number = (await page.getByTestId('order-number').textContent())!;
  await page.getByTestId('my-orders-link').click();
  await expect(page).toHaveURL(/\/orders$/);
  const order = page.getByTestId('my-order');
  await expect(order).toHaveCount(1);
  await expect(order).toHaveAttribute('data-state', 'paid');
  await expect(order.getByTestId('my-order-state')).toHaveText('Оплачено');
  await expect(order).toContainText(`Заказ ${number}`);
  await expect(order).toContainText(/\d\s?\d{3}\s₽|\d+\s₽/);
  await expect(order.getByRole('link')).toHaveAttribute('href', orderPath);
  // Never the shopper's contacts.
  const text = await page.locator('main').innerText();
  expect(text).not.toContain(anna.email);
  expect(text).not.toContain('345-67-89');
  await testInfo.attach(`my-orders-${testInfo.project.name}`, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });

  const cookie = (await page.context().cookies()).find((c) => c.name === 'orders')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(30 * 86_400);
  const lists = {
    another: undefined,
    // The genuine list in another browser: the cookie is what names the orders.
    copied: cookie.value,
    // Someone who knows the order's id and makes up a list with it.
    forged: `${'A'.repeat(43)}.${orderId}`,
    // The genuine list with an id added.
    edited: `${cookie.value}.${'B'.repeat(22)}`,
  };
  for (const [name, value] of Object.entries(lists)) {
    const context = await browser.newContext({ ...devices['Pixel 7'], baseURL });
    if (value) await context.addCookies([{ name: 'orders', value, url: baseURL! }]);
    const other = await context.newPage();
    await other.goto('/orders');
    if (name === 'copied') await expect(other.getByTestId('my-order'), name).toHaveCount(1);
    else {
      await expect(other.getByTestId('my-orders-empty'), name).toBeVisible();
      await expect(other.getByTestId('my-order'), name).toHaveCount(0);
    }
    await context.close();
  }
});

test('find my orders: the same sentence for any address; the links go by e-mail to an address with orders', async ({
  page,
  baseURL,
  browser,
}, testInfo) => {
  // An address of this test's own: a second request for it within the outbox's slot would send nothing more.
  const email = `orders-${testInfo.project.name}@example.ru`;
  await setCart(page.context(), baseURL!, 'mug:1');
  await page.goto('/checkout');
  await fillContacts(page, ruLabels, { ...anna, email });
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  const orderPath = new URL(page.url()).pathname;

  // From a browser that never ordered, without JavaScript: a plain form post.
  const context = await browser.newContext({ ...devices['Pixel 7'], baseURL, javaScriptEnabled: false });
  const stranger = await context.newPage();
  await stranger.goto('/orders');
  const owedBefore = countInSqlite(`select count(*) as n from mail_outbox where kind = 'orders-list'`);
  const known = await findOrders(stranger, email.toUpperCase());
  await expect(known).toHaveText(NEUTRAL);
  const knownPage = await stranger.locator('main').innerText();
  expect(knownPage).not.toContain('Заказ ');
  expect(countInSqlite(`select count(*) as n from mail_outbox where kind = 'orders-list'`)).toBe(owedBefore + 1);

  const unknown = `nobody-${testInfo.project.name}@example.ru`;
  await stranger.goto('/orders');
  await expect(await findOrders(stranger, unknown)).toHaveText(NEUTRAL);
  // Nothing on the page depends on the address: the same page as for the address with orders.
  expect(await stranger.locator('main').innerText()).toBe(knownPage);
  expect(countInSqlite(`select count(*) as n from mail_outbox where kind = 'orders-list'`)).toBe(owedBefore + 1);
  await context.close();

  // The e-mail, in the demo's mailbox in the merchant console, with the links to the address's orders.
  await logIn(page);
  await page.goto('/merchant');
  const caught = page.getByTestId('merchant-caught-mail').filter({ hasText: email }).filter({ hasText: 'Ваши заказы' });
  await expect(async () => {
    await page.reload();
    await expect(caught).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await caught.getByText('Ваши заказы').click();
  await expect(caught).toContainText(`${baseURL}${orderPath}`);
  // Not with the address's newest order: whoever had placed an order with someone's address would
  // read the links to all their orders on that order's e-mails page.
  await page.goto(`${orderPath}/mail`);
  await expect(page.getByTestId('caught-mail').first()).toBeVisible();
  await expect(page.getByTestId('caught-mail').filter({ has: page.getByRole('heading', { name: 'Ваши заказы' }) })).toHaveCount(0);
  expect(countInSqlite('select count(*) as n from mail_catcher where lower(to_address) = ?', unknown)).toBe(0);
});

test('find my orders is refused after its limits: per client, and per address from any client', async ({ page }, testInfo) => {
  // On the server behind a trusted proxy, whose X-Forwarded-For entry picks the client address.
  const project = testInfo.project.name === 'pixel-7' ? 1 : 2;
  const asClient = (address: string) => page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
  const ask = async (email: string) => {
    await page.goto(`${BEHIND_PROXY}/orders`);
    const result = await findOrders(page, email);
    await expect(result).not.toBeEmpty();
    return result.textContent();
  };

  await asClient(`198.51.100.${project}`);
  for (let i = 0; i < 10; i++) expect(await ask(`client-${project}-${i}@example.ru`)).toBe(NEUTRAL);
  const refused = await ask(`client-${project}-last@example.ru`);
  expect(refused).toBe(REFUSED);
  await expect(page.getByTestId('find-orders-result')).toBeVisible();

  const address = `mailbox-${project}@example.ru`;
  for (let i = 0; i < 3; i++) {
    await asClient(`203.0.113.${project * 10 + i}`);
    expect(await ask(address)).toBe(NEUTRAL);
  }
  await asClient(`203.0.113.${project * 10 + 9}`);
  expect(await ask(address)).toBe(REFUSED);
});
