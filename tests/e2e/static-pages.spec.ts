// The catalogue and product pages are prerendered at build time, once per language:
// the proxy serves the `lang` cookie's variant at the public URL, and the header's cart badge
// reads the count in the browser. Proof that a page is served from the prerender: the response
// is byte for byte the file `next build` wrote, with Next's prerender headers (no rendering, so
// no database or gateway work, can have happened).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { fillContacts, onPaymentPage, payInMirPay, expectOrderState, ruLabels, setCart } from './shop-helpers';

const prerendered = (file: string) => readFileSync(path.join(__dirname, '../../.next/server/app', file), 'utf8');
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

function expectServedFromPrerender(response: APIResponse, file: string) {
  const headers = response.headers();
  expect(headers['x-nextjs-prerender'], file).toContain('1');
  expect(headers['x-nextjs-cache'], file).toBe('HIT');
  // One URL, two languages: private, so that no shared cache keeps one language for everybody
  // (Next replaces a Vary header set by the proxy; see proxy.ts).
  expect(headers['cache-control'], file).toBe('private, no-cache');
}

/** The layout shift the page has had so far (CLS before any input). */
async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) total += (entry as PerformanceEntry & { value: number }).value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 300);
      }),
  );
}

test('catalogue and product pages are the prerendered bytes of the cookie’s language; /ru and /en are no addresses', async ({
  playwright,
  baseURL,
}) => {
  const variants = [
    {
      cookie: undefined,
      lang: 'ru',
      files: { '/': 'ru.html', '/products/mug': 'ru/products/mug.html' },
      words: ['Каталог', 'Керамическая кружка'],
    },
    {
      cookie: 'lang=en',
      lang: 'en',
      files: { '/': 'en.html', '/products/mug': 'en/products/mug.html' },
      words: ['Catalogue', 'Ceramic mug'],
    },
  ];
  for (const variant of variants) {
    const shopper = await playwright.request.newContext({ baseURL, extraHTTPHeaders: variant.cookie ? { cookie: variant.cookie } : {} });
    for (const [index, [url, file]] of Object.entries(variant.files).entries()) {
      const first = await shopper.get(url);
      const second = await shopper.get(url);
      expect(first.status(), url).toBe(200);
      expectServedFromPrerender(first, file);
      const html = await first.text();
      expect(html, `${url} (${variant.lang})`).toBe(prerendered(file));
      expect(await second.text()).toBe(html);
      expect(html).toContain(`<html lang="${variant.lang}">`);
      expect(html).toContain(variant.words[index]);
    }
    // Any slug not in the catalogue: the prerendered "no such product" page of that language.
    const unknown = await shopper.get('/products/unicorn');
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toBe(prerendered(`${variant.lang}/products/_unknown.html`));
    await shopper.dispose();
  }

  const stranger = await playwright.request.newContext({ baseURL });
  for (const internal of ['/ru', '/en', '/en/products/mug', '/ru/cart']) {
    const response = await stranger.get(internal, { maxRedirects: 0 });
    expect(response.status(), internal).toBe(404);
    expect(await response.text()).toContain('Такой страницы нет');
  }
  await stranger.dispose();
});

test('the badge on prerendered pages follows the cart: add to cart, client-side navigation, reload, back, payment', async ({
  page,
  context,
}) => {
  // The browser only ever asks for public paths (pages, prefetches, RSC, actions), never /ru/….
  const internal: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (/^\/(ru|en)(\/|$)/.test(pathname)) internal.push(pathname);
  });
  await page.goto('/');
  await expect(page.getByTestId('cart-link')).toHaveAttribute('aria-label', 'Корзина пуста');
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  await page.getByTestId('product-card').filter({ hasText: 'Мёд алтайский' }).click();
  await expect(heading(page)).toHaveText('Мёд алтайский');
  await page.getByLabel('Количество').fill('2');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page.getByTestId('added-to-cart')).toContainText('Добавлено в корзину: 2');
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  await page.getByRole('link', { name: 'Перейти в корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  // The cart stays out of scripts' reach; only its count is readable.
  const cookies = await context.cookies();
  const cart = cookies.find((c) => c.name === 'cart');
  expect(cart?.httpOnly).toBe(true);
  expect(decodeURIComponent(cart!.value)).toBe('honey:2');
  expect(cookies.find((c) => c.name === 'cart_count')).toMatchObject({ value: '2', httpOnly: false });

  // Back to the prerendered catalogue by a link (client-side navigation), then a full load of it.
  await page.getByRole('link', { name: 'Продолжить покупки' }).click();
  await expect(heading(page)).toHaveText('Каталог');
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  await expect(page.getByTestId('cart-link')).toHaveAttribute('aria-label', 'Корзина: 2 товара');
  const reload = await page.reload();
  expect(reload!.headers()['x-nextjs-prerender']).toContain('1');
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  expect(await layoutShift(page)).toBe(0);

  // Another product, added from a product page reached by client-side navigation; then back.
  await page.getByTestId('product-card').filter({ hasText: 'Горький шоколад' }).click();
  await expect(heading(page)).toHaveText('Горький шоколад 72%');
  await expect(page.getByTestId('cart-badge')).toHaveText('2');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page.getByTestId('cart-badge')).toHaveText('3');
  await page.getByRole('link', { name: 'Перейти в корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId('cart-badge')).toHaveText('3');
  await page.goBack();
  await expect(heading(page)).toHaveText('Горький шоколад 72%');
  await expect(page.getByTestId('cart-badge')).toHaveText('3');

  // Paying empties the cart: both cookies go with the return route's redirect.
  await page.goto('/checkout');
  await fillContacts(page, ruLabels);
  await page.getByTestId('submit').click();
  await onPaymentPage(page);
  await payInMirPay(page, 'mir-0047');
  await expectOrderState(page, 'paid');
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  expect((await context.cookies()).filter((c) => c.name === 'cart' || c.name === 'cart_count')).toEqual([]);
  await page.getByRole('link', { name: 'Вернуться в каталог' }).click();
  await expect(heading(page)).toHaveText('Каталог');
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('product-card')).toHaveCount(8);
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  expect(internal).toEqual([]);
});

test('a cart from before the count cookie, or a count edited by hand, is mended on the next page', async ({ page, context, baseURL }) => {
  await setCart(context, baseURL!, 'mug:2,honey:1');
  await page.goto('/');
  await expect(page.getByTestId('cart-badge')).toHaveText('3');
  expect((await context.cookies()).find((c) => c.name === 'cart_count')?.value).toBe('3');

  await context.addCookies([{ name: 'cart_count', value: '99', url: baseURL! }]);
  await page.goto('/products/mug');
  await expect(page.getByTestId('cart-badge')).toHaveText('3');
  await context.clearCookies({ name: 'cart' });
  await page.goto('/');
  await expect(page.getByTestId('product-card')).toHaveCount(8);
  await expect(page.getByTestId('cart-badge')).toHaveCount(0);
  expect((await context.cookies()).find((c) => c.name === 'cart_count')).toBeUndefined();
});

test('switching language on the prerendered catalogue and product pages', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.getByTestId('lang-switch').click();
  await expect(heading(page)).toHaveText('Catalogue');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle('Coffee & Tea');
  const reload = await page.reload();
  expect(reload!.headers()['x-nextjs-prerender']).toContain('1');
  await expect(heading(page)).toHaveText('Catalogue');

  await page.getByTestId('product-card').filter({ hasText: 'Ceramic mug' }).click();
  await expect(heading(page)).toHaveText('Ceramic mug');
  await expect(page).toHaveTitle('Ceramic mug · Coffee & Tea');
  await page.getByTestId('lang-switch').click();
  await expect(heading(page)).toHaveText('Керамическая кружка');
  await expect(page).toHaveURL(/\/products\/mug$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page).toHaveTitle('Керамическая кружка · Кофе и чай');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the language switch and add to cart work on the prerendered pages', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(heading(page)).toHaveText('Catalogue');
    await page.goto('/products/mug');
    await expect(heading(page)).toHaveText('Ceramic mug');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page).toHaveURL(/\/cart$/);
    await expect(page.getByTestId('cart-badge')).toHaveText('1');
    await expect(page.getByTestId('cart-line-mug')).toBeVisible();
    await page.getByRole('button', { name: 'Русский' }).click();
    await expect(heading(page)).toHaveText('Корзина');
  });
});
