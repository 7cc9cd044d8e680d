// The sandbox's payment page and Mir Pay app as a shopper sees them: the shop's name, an icon (no
// request that ends in a 404), no serious accessibility violation (axe), and a 320-px-wide phone
// with the test cards open without sideways scrolling.
import { expect, test, type Page } from '@playwright/test';
import axe from 'axe-core';
import { registerOrder } from './gateway-helpers';

type AxeResult = { violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] };

async function seriousViolations(page: Page): Promise<string[]> {
  // axe-core's own source, injected as its documentation describes (the page's CSP allows inline scripts).
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(
    async () => (await (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run()) as AxeResult,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Collects every response of the page that was a 404 (a missing favicon among them). */
function notFounds(page: Page): string[] {
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  return missing;
}

/** The page's icon is declared and loads as an image. */
async function iconLoads(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel~="icon"]')?.href;
    if (!href) return false;
    const image = new Image();
    image.src = href;
    return image.decode().then(
      () => image.naturalWidth > 0,
      () => false,
    );
  });
}

for (const language of ['ru', 'en'] as const) {
  test(`payment page (${language}): the shop's name, an icon, axe, 320 px with the test cards open`, async ({ page, baseURL }) => {
    const missing = notFounds(page);
    const order = await registerOrder(baseURL!, { language });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(order.formUrl);
    await expect(page.locator('.merchant')).toHaveText('Кофе и чай');
    // The per-attempt orderNumber is labelled as the payment's; the description names the order.
    await expect(page.getByText(language === 'ru' ? `Платёж № ${order.orderNumber}` : `Payment No. ${order.orderNumber}`)).toBeVisible();
    expect(await iconLoads(page)).toBe(true);
    await page.locator('summary').click();
    await expect(page.locator('details table')).toBeVisible();
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(await seriousViolations(page)).toEqual([]);
    expect(missing).toEqual([]);
  });
}

test("Mir Pay app: the shop's name, an icon, axe, 320 px", async ({ page, baseURL }) => {
  const missing = notFounds(page);
  const order = await registerOrder(baseURL!);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(order.formUrl);
  await page.getByTestId('mirpay-button').click();
  await expect(page).toHaveURL(/\/sandbox\/mirpay\/inapp\//);
  await expect(page.getByText('«Кофе и чай»')).toBeVisible();
  expect(await iconLoads(page)).toBe(true);
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(await seriousViolations(page)).toEqual([]);
  expect(missing).toEqual([]);
});
