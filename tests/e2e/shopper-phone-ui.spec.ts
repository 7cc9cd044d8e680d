// The rough edges a shopper meets on small phones, checked on every phone profile (a 412-px
// Pixel 7 and a 320-px small phone): prices, no-break spaces, titles that break only between
// words, the error summary clear of the sticky header, tap targets, the demo-settings toggle.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { setCart, snap } from './shop-helpers';

const HEADER_HEIGHT = 56;

async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Words of the element's text that the layout split over two lines. */
async function brokenWords(target: Locator): Promise<string[]> {
  return target.evaluate((element) => {
    const text = element.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return ['(no text)'];
    const broken: string[] = [];
    for (const match of (text.textContent ?? '').matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
    return broken;
  });
}

test('catalogue: whole-rouble prices, titles never broken mid-word, no sideways scroll', async ({ page }, testInfo) => {
  await page.goto('/');
  const names = page.getByTestId('product-card').getByRole('heading', { level: 2 });
  await expect(names).toHaveCount(8);
  for (const name of await names.all()) expect(await brokenWords(name), await name.innerText()).toEqual([]);
  await expectNoHorizontalScroll(page);
  await expect(page.getByTestId('product-card').filter({ hasText: 'Керамическая кружка' })).toContainText('790\u00a0₽');
  expect(await page.getByText(/Оплата через Mir/).textContent()).toContain('Mir\u00a0Pay');
  await snap(page, testInfo, `catalogue-${testInfo.project.name}`);
});

test('cart links are 44 px tap targets; an invalid checkout shows its error summary below the header', async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  await setCart(context, baseURL!, 'mug:1,french-press:1');
  await page.goto('/cart');
  for (const link of await page
    .getByTestId(/^cart-line-/)
    .getByRole('link')
    .all()) {
    const box = await link.boundingBox();
    expect(box!.height, await link.innerText()).toBeGreaterThanOrEqual(44);
  }

  await page.goto('/checkout');
  const demo = page.locator('details summary');
  if ((await demo.count()) > 0) {
    // One or two lines of text, never a line-height's worth of gap between them.
    const box = await demo.boundingBox();
    expect(box!.height).toBeLessThanOrEqual(66);
  }
  await page.getByTestId('submit').click();
  await expect(page.getByLabel('Имя', { exact: true })).toBeFocused();
  const summary = page.getByTestId('checkout-error');
  await expect(summary).toHaveText('Проверьте поля, отмеченные ниже.');
  const top = (await summary.boundingBox())!.y;
  expect(top).toBeGreaterThanOrEqual(HEADER_HEIGHT);
  await expectNoHorizontalScroll(page);
  // The viewport as the shopper sees it right after the tap: summary, then the focused field.
  await testInfo.attach(`checkout-invalid-${testInfo.project.name}`, { body: await page.screenshot(), contentType: 'image/png' });
});
