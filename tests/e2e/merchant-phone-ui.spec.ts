// The merchant console on a phone (the Pixel 7's 412 px, then 320 px), page by page: every
// interactive element is a tap target of at least 44 × 44 CSS px (WCAG 2.5.5; a link inside a
// sentence is exempt, as that criterion's "inline" exception allows); amounts sit at the right
// edge of their rows; the Russian console shows no English state codes; the refund field is
// pre-filled as the amounts are shown ("3 147,00", not "3147.00"). Full-page screenshots of each
// page go to the git-ignored screenshots/ folder, for a person to look at.
import { expect, test, type Page } from '@playwright/test';
import { logIn, setMode } from './merchant-helpers';
import { BASE_URL } from './servers';
import { checkOut, payInMirPay } from './shop-helpers';
import { ROOT } from './web-server';

const WIDTHS = [412, 320];

/** Tap targets smaller than 44 × 44, described; links inside running text are exempt. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';
    for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      // Not rendered (inside a closed <details>, display: none): not tappable either.
      if (element.getClientRects().length === 0) continue;
      // A radio button or checkbox is tapped through its label.
      const target =
        (element as HTMLInputElement).type === 'radio' || (element as HTMLInputElement).type === 'checkbox'
          ? (element.closest('label') ?? element)
          : element;
      if (element.tagName === 'A' && getComputedStyle(element).display === 'inline') {
        const around = (element.parentElement?.textContent ?? '').replace(element.textContent ?? '', '').trim();
        // WCAG 2.5.5's exception: a link in a sentence or block of text.
        if (/[\p{L}\p{N}]{2,}/u.test(around)) continue;
      }
      const box = target.getBoundingClientRect();
      if (box.width < 44 - 0.5 || box.height < 44 - 0.5) {
        const name = (element.textContent || element.getAttribute('aria-label') || element.getAttribute('name') || '').trim();
        small.push(`<${element.tagName.toLowerCase()}> "${name.slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

/** Wider than the screen: something would scroll sideways. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * English state codes and words of the payment's states in the visible text. Aside: the bank's
 * method names (<code>) and its raw request and response (<pre>, behind a closed <details>), shown
 * as the bank sent them for whoever checks them against its documentation.
 */
async function englishStates(page: Page): Promise<string[]> {
  // Each rendered text node on its own (a detached copy's text would run cells together).
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('code, pre, script, style') || parent.getClientRects().length === 0) continue;
      // Marked as written in English: a shopper's e-mail subject in the order's language.
      if (parent.closest('[lang]')?.getAttribute('lang') === 'en') continue;
      // Inside a closed <details> (the bank's raw request and response): not shown until asked for.
      if (parent.closest('details:not([open])') && !parent.closest('summary')) continue;
      parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  });
  const pattern =
    /\b(CREATED|APPROVED|DEPOSITED|REVERSED|REFUNDED|DECLINED|awaiting|approved|depositing|deposited|paid|held|hold|declined|reversed|refunded|expired|cancelled|pending|done|refused|capture|cancel|refund)\b/g;
  return [...text.matchAll(pattern)].map((match) => match[0]);
}

async function check(page: Page, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 320 ? 568 : 915 });
    await page.reload();
    await page.screenshot({ path: `${ROOT}/screenshots/phone-${width}-${name}.png`, fullPage: true });
    expect.soft(await smallTargets(page), `${name} at ${width} px: tap targets under 44 × 44`).toEqual([]);
    expect.soft(await overflow(page), `${name} at ${width} px: sideways overflow`).toBeLessThanOrEqual(0);
    expect.soft(await englishStates(page), `${name} at ${width} px: English on the Russian console`).toEqual([]);
  }
}

test.describe.serial('the merchant console on a phone', () => {
  test.afterAll(async ({ browser }) => {
    const page = await browser.newPage({ baseURL: BASE_URL });
    await logIn(page);
    await setMode(page, 'on-return');
    await page.close();
  });

  test('every page: 44-px tap targets, no sideways scroll, Russian throughout', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/merchant/login');
    await check(page, 'login');

    await logIn(page);
    await setMode(page, 'manual');
    // A hold, to have an order page with the capture and cancel forms.
    await checkOut(page, BASE_URL, { cart: 'french-press:1,honey:1', twoStage: true });
    await payInMirPay(page, 'mir-0047');
    await page.waitForURL(/\/orders\/[\w-]{22}$/);
    const orderId = page.url().split('/').pop()!;

    await page.goto('/merchant');
    await check(page, 'orders');
    // Amounts at the right edge of each row, not floating in the middle.
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      const rows = page.getByTestId('order-row');
      for (let i = 0; i < Math.min(5, await rows.count()); i++) {
        const row = (await rows.nth(i).boundingBox())!;
        const amount = (await rows.nth(i).getByTestId('order-amount').boundingBox())!;
        const number = (await rows.nth(i).getByRole('link').boundingBox())!;
        const text = (await rows
          .nth(i)
          .getByTestId('order-amount')
          .evaluate((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return range.getBoundingClientRect().right;
          }))!;
        expect.soft(row.x + row.width - text, `amount of row ${i} at ${width} px: distance from the right edge`).toBeLessThanOrEqual(16);
        const middle = (box: { y: number; height: number }) => box.y + box.height / 2;
        expect
          .soft(Math.abs(middle(amount) - middle(number)), `amount of row ${i} at ${width} px: on the order number's line`)
          .toBeLessThanOrEqual(4);
      }
    }

    await page.goto(`/merchant/orders/${orderId}`);
    await check(page, 'order-hold');
    await page.getByTestId('capture-form').getByRole('button', { name: 'Списать' }).click();
    await expect(page.getByTestId('action-result')).toHaveText('Списано.');
    // Opening the order again reads its status each time, but an unchanged answer adds no entry.
    const entries = await page.getByTestId('timeline-entry').count();
    await check(page, 'order-paid'); // two reloads
    await expect(page.getByTestId('timeline-entry')).toHaveCount(entries);
    // The refund field is filled as the amounts are shown: "3 147,00" beside "3 147,00 ₽".
    const deposited = (await page.getByTestId('deposited').textContent())!.replace(/\s*₽$/, '').trim();
    const prefilled = await page.getByTestId('refund-form').locator('input[name="amount"]').inputValue();
    // Whole roubles are shown without kopecks ("3 147 ₽"); the field always has them ("3 147,00").
    expect(prefilled.replace(/\s/g, ' ')).toBe((deposited.includes(',') ? deposited : `${deposited},00`).replace(/\s/g, ' '));
    expect(prefilled).toMatch(/^\d{1,3}(\s\d{3})*,\d{2}$/);

    for (const path of ['users', 'audit', 'alerts']) {
      await page.goto(`/merchant/${path}`);
      await check(page, path);
    }

    // English is one tap away on every console page, and back.
    await page.goto('/merchant');
    await page.getByTestId('console-lang').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Orders');
    await page.getByTestId('console-lang').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Заказы');
  });

  test('@desktop the same pages on a desktop: no sideways scroll; screenshots to look at', async ({ page }) => {
    test.setTimeout(90_000);
    const shoot = async (name: string) => {
      await page.screenshot({ path: `${ROOT}/screenshots/desktop-${name}.png`, fullPage: true });
      expect.soft(await overflow(page), `${name} on a desktop: sideways overflow`).toBeLessThanOrEqual(0);
      expect.soft(await englishStates(page), `${name} on a desktop: English on the Russian console`).toEqual([]);
    };
    await page.goto('/merchant/login');
    await shoot('login');
    await logIn(page);
    await shoot('orders');
    await page.getByTestId('order-row').first().getByRole('link').click();
    await page.waitForURL(/\/merchant\/orders\//);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await shoot('order');
    for (const path of ['users', 'audit', 'alerts']) {
      await page.goto(`/merchant/${path}`);
      await shoot(path);
    }
  });
});
