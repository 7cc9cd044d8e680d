// The shopper's return from the bank: the order page's frame is sent while the bank is read, and
// the phone paints nothing of it before the answer (app/[lang]/(per-request)/orders/[id]/page.tsx),
// so the shopper never sees "being processed" turn into "paid" a moment later. Without JavaScript
// the answer sent after the frame cannot be shown: the page shows the order as recorded and
// refreshes itself into the answer.
import { devices, expect, test, type Page } from '@playwright/test';
import { checkOut, clearFaults, expectOrderState, payAndVanish, payInMirPay, sandboxControl } from './shop-helpers';

// The bank's callback would record the payment before the shopper is back: the return would then
// have nothing to ask the bank and nothing to wait for.
test.beforeEach(async ({ baseURL }) => {
  await sandboxControl(baseURL!, 'callbacks', { enabled: false });
});
test.afterEach(async ({ baseURL }) => {
  await sandboxControl(baseURL!, 'callbacks', { enabled: true });
  await clearFaults(baseURL!);
});

/** In every document of `page`: after each frame is painted, the payment state it showed (none while hidden). */
async function recordPaintedStates(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { paintedStates: string[] }).paintedStates = []);
    const record = () => {
      const shown = [...document.querySelectorAll<HTMLElement>('[data-testid="order-status"]')].find((el) => !el.closest('[hidden]'));
      const state = shown?.dataset.state;
      if (state && seen.at(-1) !== state) seen.push(state);
    };
    const eachFrame = () =>
      requestAnimationFrame(() => {
        setTimeout(record, 0);
        eachFrame();
      });
    eachFrame();
  });
}

const paintedStates = (page: Page) => page.evaluate(() => (window as unknown as { paintedStates: string[] }).paintedStates);

/** Pays for one order in Mir Pay while the bank's status reads of it each take `delayMs`. */
async function payWithSlowStatus(page: Page, baseURL: string, delayMs: number) {
  const gatewayOrderId = await checkOut(page, baseURL, { cart: 'mug:1' });
  await sandboxControl(baseURL, 'faults', { fault: 'slow', method: 'getOrderStatusExtended.do', orderId: gatewayOrderId, delayMs });
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
}

test('a slow status read: the order page paints nothing before the answer, and its first frame says paid', async ({ page, baseURL }) => {
  await recordPaintedStates(page);
  // Long enough that a frame painted before the answer would show.
  await payWithSlowStatus(page, baseURL!, 800);
  expect(await paintedStates(page)).toEqual(['paid']);
});

test('without JavaScript: the return shows the order as recorded, then refreshes itself into the answer', async ({
  page,
  baseURL,
  browser,
}) => {
  const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'mug:1' });
  const orderId = await payAndVanish(page);
  const noScript = await browser.newContext({ ...devices['Pixel 7'], javaScriptEnabled: false });
  await noScript.addCookies(await page.context().cookies());
  const phone = await noScript.newPage();
  // As the bank sends the shopper back: the gateway's orderId appended to the returnUrl.
  await phone.goto(`${baseURL}/orders/${orderId}?orderId=${gatewayOrderId}`);
  const shown = phone.locator('[data-testid="order-status"]:visible');
  await expect(shown).toHaveAttribute('data-state', 'processing');
  // The refresh goes to the plain address: a look at the order, not a second return.
  await phone.waitForURL(`${baseURL}/orders/${orderId}`);
  await expect(shown).toHaveAttribute('data-state', 'paid');
  await noScript.close();
});
