// The merchant console @console (runs on the Pixel 7 and on a desktop): log in, follow a two-stage
// Mir Pay payment from the first click to the refunds on one screen, cancel a hold, and prove every
// console URL and action is closed without a session.
import { expect, test, type Page } from '@playwright/test';
import { BASE_URL } from './servers';
import { logIn, setMode } from './merchant-helpers';
import { checkOut, controlFetch, expectOrderState, gatewayStatus, payOnGatewayPage, sandboxRequests, snap } from './shop-helpers';

/** A two-stage order paid with Mir Pay, the shopper back on the order page; returns ids. */
async function heldOrder(page: Page, cart: string) {
  const gatewayOrderId = await checkOut(page, BASE_URL, { cart, twoStage: true });
  await payOnGatewayPage(page);
  await expectOrderState(page, 'held');
  return { orderId: page.url().split('/').pop()!, gatewayOrderId };
}

async function act(page: Page, form: string, amount: string, button: string) {
  const target = page.getByTestId(form);
  await target.locator('input[name="amount"]').fill(amount);
  await target.getByRole('button', { name: button }).click();
}

test.describe.serial('the merchant console @console', () => {
  test.afterAll(async ({ browser }) => {
    // Other journeys expect the default: capture when the shopper returns.
    const page = await browser.newPage({ baseURL: BASE_URL });
    await logIn(page);
    await setMode(page, 'on-return');
    await page.close();
  });

  test('a wrong password is refused; the right one opens the console', async ({ page }) => {
    await page.goto('/merchant/login');
    await expect(page.getByText('демо-пароль')).toBeVisible();
    await page.getByLabel('Пароль').fill('not-the-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByTestId('login-error')).toHaveText(/Неверный пароль/);
    await expect(page).toHaveURL(/\/merchant\/login\?failed=1$/);
    await logIn(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Заказы');
    const response = await page.request.get('/merchant');
    expect(response.headers()['x-robots-tag']).toBe('noindex, nofollow');
    expect(response.headers()['cache-control']).toContain('no-store');
  });

  test('two-stage Mir Pay → manual capture of a part → two refunds → a third above the rest refused; the timeline shows it all', async ({
    page,
    baseURL,
  }, testInfo) => {
    // A whole journey and two full-page screenshots: longer than one page's default.
    test.setTimeout(90_000);
    await logIn(page);
    await setMode(page, 'manual');
    const { orderId, gatewayOrderId } = await heldOrder(page, 'french-press:1,honey:1');
    expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(0);

    await page.goto(`/merchant/orders/${orderId}`);
    await expect(page.getByTestId('merchant-state')).toHaveText('холд');
    await expect(page.getByTestId('customer')).toContainText('anna@example.ru');
    await snap(page, testInfo, 'console-hold');
    await act(page, 'capture-form', '2000,00', 'Списать');
    await expect(page.getByTestId('action-result')).toHaveText('Списано.');
    await expect(page.getByTestId('deposited')).toHaveText(/2\s000\s₽/);
    // A partial capture is final: nothing more to capture.
    await expect(page.getByTestId('capture-form')).toHaveCount(0);

    await act(page, 'refund-form', '500', 'Вернуть');
    await expect(page.getByTestId('action-result')).toHaveText('Деньги возвращены.');
    await act(page, 'refund-form', '700,50', 'Вернуть');
    await expect(page.getByTestId('refunded')).toHaveText(/1\s200,50/);
    await act(page, 'refund-form', '800', 'Вернуть');
    await expect(page.getByTestId('action-result')).toHaveText('Сумма больше доступной.');

    // Every gateway call the sandbox answered for this order is on the timeline, in order, with steps.
    await page.reload();
    const calls = page.getByTestId('timeline-entry').and(page.locator('[data-kind="gateway"]'));
    const operations = await calls.getByTestId('gateway-operation').allTextContents();
    const steps = await calls.evaluateAll((items) => items.map((item) => item.getAttribute('data-step')));
    const answered = (await controlFetch(baseURL!, `requests?orderId=${gatewayOrderId}`).then((r) => r.json())) as {
      requests: { method: string }[];
    };
    // Status reads answered as the one before are folded into it (opening the order reads it each time).
    const folded = (methods: string[]) => methods.filter((m, i) => !(m === 'getOrderStatusExtended.do' && methods[i - 1] === m));
    expect(folded(operations)).toEqual(folded(answered.requests.map((r) => r.method)));
    expect(operations.length).toBeLessThan(answered.requests.length);
    expect(operations[0]).toBe('registerPreAuth.do');
    expect(steps[0]).toBe('2');
    const deposit = operations.indexOf('deposit.do');
    expect(steps[deposit]).toBe('10');
    expect(operations[deposit + 1]).toBe('getOrderStatusExtended.do');
    expect(steps[deposit + 1]).toBe('11');
    expect(
      steps.filter((step, i) => operations[i] === 'getOrderStatusExtended.do' && i !== deposit + 1).every((step) => step === '9'),
    ).toBe(true);
    await expect(page.locator('[data-kind="state"][data-step="3–8"]')).toHaveCount(1);
    await expect(page.getByTestId('timeline')).toContainText('продавец');
    // In words, in the console's language: what each call and state means, not the bank's names.
    const timeline = page.getByTestId('timeline');
    for (const words of [
      'Регистрация заказа с холдом',
      'Запрос статуса',
      'Списание холда',
      'Статус после списания',
      'ждёт оплаты → сумма заблокирована (холд)',
      'Операция продавца: возврат',
    ]) {
      await expect(timeline).toContainText(words);
    }
    const stateLines = await page.locator('[data-kind="state"]').allTextContents();
    expect(stateLines.join('\n')).not.toMatch(/\b(awaiting|approved|depositing|paid|refunded)\b/);
    await expect(page.getByTestId('live-state')).not.toHaveText(/^[a-z_]+$/);
    await snap(page, testInfo, 'console-timeline');

    // The bank's side (read only now, so that these reads are not in the comparison above).
    const status = await gatewayStatus(baseURL!, gatewayOrderId);
    expect(status.orderStatus).toBe(4);
    expect(status.paymentAmountInfo?.depositedAmount).toBe(200_000);
    expect(status.paymentAmountInfo?.refundedAmount).toBe(120_050);
    expect(await sandboxRequests(baseURL!, gatewayOrderId, 'refund.do')).toBe(2);
  });

  test("refund chosen receipt lines: refundItems at the bank, the line's amount, no more of a line offered than is left", async ({
    page,
    baseURL,
  }) => {
    await logIn(page);
    const gatewayOrderId = await checkOut(page, BASE_URL, { cart: 'mug:2,honey:1' });
    await payOnGatewayPage(page);
    await expectOrderState(page, 'paid');
    const orderId = page.url().split('/').pop()!;

    await page.goto(`/merchant/orders/${orderId}`);
    const form = page.getByTestId('refund-lines-form');
    await form.locator('input[name="line-1"]').fill('1');
    await form.getByRole('button', { name: 'Вернуть по позициям чека' }).click();
    await expect(page.getByTestId('action-result')).toHaveText('Деньги возвращены.');
    await expect(page.getByTestId('refunded')).toHaveText(/790\s₽/);
    await expect(page.getByTestId('refund-lines-form')).toContainText('осталось 1');
    // The form offers no more than is left (the server refuses more too: tests/integration/refund-lines.test.ts).
    await expect(page.getByTestId('refund-lines-form').locator('input[name="line-1"]')).toHaveAttribute('max', '1');

    const status = await gatewayStatus(baseURL!, gatewayOrderId);
    expect(status.paymentAmountInfo?.refundedAmount).toBe(79_000);
    expect(status.refunds).toHaveLength(1);
    expect(await sandboxRequests(baseURL!, gatewayOrderId, 'refund.do')).toBe(1);
  });

  test('cancel a hold: released at the bank, once', async ({ page, baseURL }) => {
    await logIn(page);
    await setMode(page, 'manual');
    const { orderId, gatewayOrderId } = await heldOrder(page, 'mug:1');
    await page.goto(`/merchant/orders/${orderId}`);
    await page.getByRole('button', { name: 'Отменить платёж' }).click();
    await expect(page.getByTestId('action-result')).toHaveText('Платёж отменён.');
    await expect(page.getByTestId('merchant-state')).toHaveText('отменён');
    expect((await gatewayStatus(baseURL!, gatewayOrderId)).orderStatus).toBe(3);
    await expect(page.getByRole('button', { name: 'Отменить платёж' })).toHaveCount(0);
  });

  test('the list finds the order by number, phone, e-mail and date; CSV follows the filter; the figures are labelled', async ({
    page,
  }, info) => {
    await logIn(page);
    await expect(page.getByTestId('paid-today')).toHaveText(/^Оплачено сегодня: \d+ заказ(а|ов)? на [\d\s\u00a0]+(,\d\d)?\s₽$/);
    await expect(page.getByTestId('conversion')).toContainText(
      /За 30 дней: начато \d+, оплачено \d+ на [\d\s\u00a0]+(,\d\d)?\s₽, конверсия \d+%/,
    );
    await expect(page.getByTestId('chart').locator('g')).toHaveCount(30);
    expect(Number(await page.getByTestId('chart').locator('g').last().getAttribute('data-started'))).toBeGreaterThan(0);
    await page.screenshot({ path: info.outputPath('console.png'), fullPage: true });
    const first = page.getByTestId('order-row').first();
    const number = (await first.locator('a').textContent())!;
    const search = page.getByPlaceholder('Номер заказа, телефон, e-mail или orderId банка');
    await search.fill(number);
    await page.getByRole('button', { name: 'Найти' }).click();
    await expect(page.getByTestId('order-row')).toHaveCount(1);
    // Anna's orders (this file's journeys place them): her phone in another spelling, then her e-mail in capitals.
    await search.fill('8 (912) 345 67 89');
    await page.getByRole('button', { name: 'Найти' }).click();
    const annas = (await page.getByTestId('order-row').first().locator('a').textContent())!;
    await search.fill('ANNA@example.ru');
    await page.getByRole('button', { name: 'Найти' }).click();
    await expect(page.getByTestId('order-row').filter({ hasText: annas })).toHaveCount(1);
    await search.fill(number);
    await page.getByLabel('С', { exact: true }).fill('2001-01-01');
    await page.getByLabel('По', { exact: true }).fill('2001-01-02');
    await page.getByRole('button', { name: 'Найти' }).click();
    await expect(page).toHaveURL(/from=2001-01-01&to=2001-01-02/);
    await expect(page.getByTestId('order-row')).toHaveCount(0);
    expect(
      (await (await page.request.get(`/merchant/orders.csv?q=${number}&from=2001-01-01&to=2001-01-02`)).text()).trim().split('\r\n'),
    ).toHaveLength(1);
    const csv = await page.request.get(`/merchant/orders.csv?q=${encodeURIComponent(number)}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(number);
  });

  test('without a session every console page, the export and a direct POST to an action are refused', async ({
    page,
    browser,
    baseURL,
  }) => {
    await logIn(page);
    await setMode(page, 'manual');
    const { orderId, gatewayOrderId } = await heldOrder(page, 'honey:2');
    await page.goto(`/merchant/orders/${orderId}`);
    // The no-JavaScript form of the capture action, as the logged-in page renders it.
    const form = page.getByTestId('capture-form');
    const fields = await form
      .locator('input')
      .evaluateAll((inputs) => (inputs as HTMLInputElement[]).map((i) => [i.name, i.value] as [string, string]));

    const stranger = await browser.newContext({ baseURL });
    const anonymous = stranger.request;
    for (const path of ['/merchant', `/merchant/orders/${orderId}`, '/merchant?state=paid']) {
      const response = await anonymous.get(path, { maxRedirects: 0 });
      expect([303, 307], path).toContain(response.status());
      expect(response.headers().location, path).toMatch(/\/merchant\/login$/);
    }
    expect((await anonymous.get('/merchant/orders.csv')).status()).toBe(401);
    const post = await anonymous.post(`/merchant/orders/${orderId}`, {
      multipart: Object.fromEntries(fields),
      headers: { origin: baseURL! },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(303);
    expect(post.headers().location).toMatch(/\/merchant\/login$/);
    expect(await sandboxRequests(baseURL!, gatewayOrderId, 'deposit.do')).toBe(0);
    // A forged session cookie does not open it either.
    await stranger.addCookies([
      { name: 'merchant_session', value: `${Date.now() + 3600_000}.AAAAAAAAAAAAAAAAAAAAAA.${'A'.repeat(43)}`, url: `${baseURL}/merchant` },
    ]);
    expect((await anonymous.get('/merchant', { maxRedirects: 0 })).status()).not.toBe(200);
    await stranger.close();
  });
});
