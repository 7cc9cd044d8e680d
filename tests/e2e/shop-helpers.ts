// Helpers for the shop's checkout journeys: filling the cart and the form, paying in the sandbox's
// Mir Pay app, reading what the sandbox recorded, and screenshots attached to the test report.
import { expect, type BrowserContext, type Locator, type Page, type TestInfo } from '@playwright/test';
import { sandboxClient } from './gateway-helpers';
import { E2E_ENV } from './web-server';

export async function snap(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** The cart cookie as the shop writes it: slugs and quantities only. */
export async function setCart(context: BrowserContext, baseURL: string, cart: string) {
  await context.addCookies([{ name: 'cart', value: cart, url: baseURL }]);
}

export const anna = { name: 'Анна Иванова', phone: '+7 912 345-67-89', email: 'anna@example.ru' };

export async function fillContacts(page: Page, labels: { name: string; phone: string; email: string }, who = anna) {
  await page.getByLabel(labels.name, { exact: true }).fill(who.name);
  await page.getByLabel(labels.phone, { exact: true }).fill(who.phone);
  await page.getByLabel(labels.email, { exact: true }).fill(who.email);
}

export const ruLabels = { name: 'Имя', phone: 'Телефон', email: 'Электронная почта' };
export const enLabels = { name: 'Name', phone: 'Phone', email: 'E-mail' };

/**
 * From a cart to the bank's payment page on the shop at `baseURL`: the cart cookie, the checkout
 * form, the flow picked in the sandbox's demo settings, "Pay". Returns the gateway's orderId.
 */
export async function checkOut(page: Page, baseURL: string, options: { cart: string; twoStage?: boolean }) {
  await setCart(page.context(), baseURL, options.cart);
  await page.goto(`${baseURL}/checkout`);
  await fillContacts(page, ruLabels);
  if (options.twoStage) {
    await page.getByText('Настройки демо').click();
    await page.getByLabel(/Двухстадийная/).check();
  }
  await page.getByTestId('submit').click();
  return onPaymentPage(page);
}

/** On the sandbox payment page: the gateway's orderId (mdOrder) of this attempt. */
export async function onPaymentPage(page: Page): Promise<string> {
  await page.waitForURL(/\/sandbox\/payment\/merchants\/.+mdOrder=/);
  return new URL(page.url()).searchParams.get('mdOrder')!;
}

/** Mir Pay button → the app → a card → pay; 'cancel' taps the app's cancel button instead. */
export async function payInMirPay(page: Page, card: string, payLabel: RegExp = /Оплатить/) {
  await page.getByTestId('mirpay-button').click();
  await expect(page).toHaveURL(/\/sandbox\/mirpay\/inapp\//);
  await page.getByTestId(`mir-card-${card}`).click();
  await page.getByRole('button', { name: payLabel }).click();
}

/**
 * A request to the sandbox's test controls at `baseURL` (`path` after /sandbox/control/), with the
 * e2e servers' SANDBOX_CONTROL_TOKEN: without it they answer 401. Every control call of the e2e
 * tests goes through here.
 */
export function controlFetch(baseURL: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${E2E_ENV.SANDBOX_CONTROL_TOKEN}`);
  return fetch(`${baseURL}/sandbox/control/${path}`, { ...init, headers });
}

export async function sandboxRequests(baseURL: string, gatewayOrderId: string, method: string): Promise<number> {
  const response = await controlFetch(baseURL, `requests?orderId=${gatewayOrderId}&method=${method}`);
  return ((await response.json()) as { requests: unknown[] }).requests.length;
}

export async function gatewayStatus(baseURL: string, gatewayOrderId: string) {
  return sandboxClient(baseURL).getOrderStatusExtended({ orderId: gatewayOrderId });
}

/**
 * The payment state the order page shows. While the page streams, the state as recorded (the
 * fallback) and the bank's answer (in React's hidden holder until its script swaps it in) are both
 * in the document for a moment; only the one the shopper can see counts.
 */
export function orderStatus(page: Page): Locator {
  return page.getByTestId('order-status').filter({ visible: true });
}

export async function expectOrderState(page: Page, state: string) {
  await page.waitForURL(/\/orders\/[\w-]{22}$/);
  await expect(orderStatus(page)).toHaveAttribute('data-state', state);
}

/** Pays on the sandbox page: Mir Pay on the phone, a Mir card on a desktop. */
export async function payOnGatewayPage(page: Page) {
  if (await page.getByTestId('mirpay-button').isVisible()) {
    await payInMirPay(page, 'mir-0047');
  } else {
    // A desktop browser gets no Mir Pay button (Android only): the merchant pays with a Mir card.
    await page.getByLabel('Номер карты').fill('2200 0000 0000 0053');
    await page.getByLabel('Срок действия').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Имя владельца').fill('ANNA IVANOVA');
    await page.getByRole('button', { name: /Оплатить/ }).click();
  }
}

/**
 * The shopper who never comes back: the Mir Pay app's "pay" is sent (the bank authorises it) but
 * the phone does not follow the redirects back to the payment page and the shop. (Playwright
 * cannot intercept the redirected request itself, so the app's POST is answered here.)
 */
export async function payAndVanish(page: Page, card = 'mir-0047') {
  await payWithoutComingBack(page, card);
  // This browser's open order (the httpOnly `checkout` cookie set by "Pay").
  const cookie = (await page.context().cookies()).find((c) => c.name === 'checkout');
  return cookie!.value;
}

/** On a payment page: pays in the Mir Pay app, and the phone follows none of the redirects back. */
export async function payWithoutComingBack(page: Page, card = 'mir-0047') {
  await page.route('**/sandbox/mirpay/inapp/**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const answer = await route.fetch({ maxRedirects: 0 });
    expect(answer.status()).toBe(303);
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'The phone went away.' });
  });
  await page.getByTestId('mirpay-button').click();
  await page.getByTestId(`mir-card-${card}`).click();
  await page.getByRole('button', { name: /Оплатить|Pay/ }).click();
  await expect(page.getByText('The phone went away.')).toBeVisible();
}

/** POSTs JSON to a sandbox control endpoint (faults, callbacks, clock). */
export async function sandboxControl(baseURL: string, path: string, body: unknown = {}) {
  const response = await controlFetch(baseURL, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox control ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

export async function clearFaults(baseURL: string) {
  await controlFetch(baseURL, 'faults', { method: 'DELETE' });
}

/** Until the server at `url` answers its readiness check (its database migrated, its services up). */
export function waitUntilReady(url: string, timeoutMs = 60_000): Promise<number> {
  const ready = () =>
    fetch(`${url}/api/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
  return waitFor(ready, timeoutMs);
}

/** Polls `check` every 50 ms until it holds; how long that took, or an error after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}
