// Abuse limits that cannot be sidestepped, attacked over HTTP as a script would: the checkout's
// form posted to other pages, X-Forwarded-For chosen per request, parallel and
// distributed password guesses. (Two instances sharing one budget: tests/e2e-scale/.)
import { expect, test } from '@playwright/test';
import { ATTACKER, guessAll, ordersInSqlite, PAY, pay } from './attack-helpers';
import { postForm, readForm } from './form-post';
import { RECONCILER_URL as BEHIND_PROXY, MAIN_SERVER, RECONCILER_SERVER } from './servers';
import { E2E_ENV } from './web-server';

const PER_CART = Number(E2E_ENV.CHECKOUT_CART_RATE_LIMIT);
test.describe('checkout limit', () => {
  test('counts "Pay" at its one address; its form posted to any other page places no order', async ({ baseURL }) => {
    const email = 'bot-paths@example.ru';
    const { refused, results } = await pay(baseURL!, 'thermos:3', email, PER_CART + 10, () => ({}));
    expect(ordersInSqlite(MAIN_SERVER, email)).toBe(PER_CART);
    expect(refused).toBe(10);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
    // "Pay" is a route of its own, not a server action that Next would run posted to any page: the
    // same form posted elsewhere (with a fresh key and a cart of its own, under no limit) makes nothing.
    const paths = ['/cart', '/', '/products/mug', '/merchant/login', '/checkout', '/orders'];
    const elsewhere = await pay(baseURL!, 'mug:7', 'bot-elsewhere@example.ru', paths.length, (i) => ({ path: paths[i]! }));
    console.info(
      `"Pay" ×${PER_CART + 10}: ${PER_CART} orders, 10 refused; its form posted to ${paths.join(', ')}: ${ordersInSqlite(MAIN_SERVER, 'bot-elsewhere@example.ru')} orders`,
    );
    expect(ordersInSqlite(MAIN_SERVER, 'bot-elsewhere@example.ru')).toBe(0);
    expect(elsewhere.results.filter((r) => r.status >= 500)).toHaveLength(0);
    // A shopper's browser without JavaScript is sent back to the form, which says so.
    const form = await readForm(`${baseURL}/checkout`, 'checkout-form', { cookie: 'cart=thermos:3' });
    const refusal = await postForm(`${baseURL}${PAY}`, form, { ...ATTACKER, email }, { cookie: 'cart=thermos:3' });
    expect([refusal.status, refusal.location]).toEqual([303, '/checkout']);
    const kept = /checkout_form=[^;]+/.exec(refusal.setCookie ?? '')![0];
    const page = await fetch(`${baseURL}/checkout`, { headers: { cookie: `cart=thermos:3; ${kept}` } });
    expect(await page.text()).toContain('Слишком много попыток оплаты');
  });

  test('without a trusted proxy, X-Forwarded-For does not make a new client', async ({ baseURL }) => {
    const email = 'bot-xff@example.ru';
    await pay(baseURL!, 'honey:4', email, PER_CART + 5, (i) => ({
      headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
    }));
    const orders = ordersInSqlite(MAIN_SERVER, email);
    console.info(`"Pay" with a fresh X-Forwarded-For each: ${orders} orders of ${PER_CART + 5} posts`);
    expect(orders).toBe(PER_CART);
  });

  test('behind a trusted proxy (TRUSTED_PROXIES=1), its X-Forwarded-For entry is the client', async () => {
    await pay(BEHIND_PROXY, 'honey:5', 'bot-proxied@example.ru', PER_CART + 5, (i) => ({
      headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
    }));
    expect(ordersInSqlite(RECONCILER_SERVER, 'bot-proxied@example.ru')).toBe(PER_CART + 5);
    // What the client put before the proxy's own entry is not believed.
    await pay(BEHIND_PROXY, 'honey:6', 'bot-proxied-same@example.ru', PER_CART + 5, (i) => ({
      headers: { 'x-forwarded-for': `10.9.9.${i}, 192.0.2.77` },
    }));
    expect(ordersInSqlite(RECONCILER_SERVER, 'bot-proxied-same@example.ru')).toBe(PER_CART);
  });
});

test.describe('console log-in throttle', () => {
  test('parallel guesses from one client are answered one delay step after another, and stop at the budget', async () => {
    const { checked, refused, results } = await guessAll(
      [BEHIND_PROXY],
      Array.from({ length: 14 }, () => '192.0.2.10'),
    );
    const slowest = Math.max(...results.map((r) => r.ms));
    console.info(
      `14 parallel guesses from one client: ${checked.length} checked, ${refused.length} refused unchecked; answered within ${slowest} ms`,
    );
    expect(checked.length + refused.length).toBe(14);
    expect(checked.length).toBe(10);
    // Each checked guess waited its own step (0, 0.5, 1, 2, 4, 8 … s): not all within one step.
    const times = checked.map((r) => r.ms).sort((a, b) => a - b);
    expect(times.at(-1)!).toBeGreaterThan(7500);
    expect(times.filter((ms) => ms > 3500).length).toBeGreaterThanOrEqual(5);
    // Refused at once, the password never looked at.
    for (const r of refused) expect(r.ms).toBeLessThan(3000);
    expect(results.filter((r) => r.status >= 500)).toHaveLength(0);
  });

  test('failures from many addresses together stop at the global ceiling', async ({ page }) => {
    const { checked, refused } = await guessAll(
      [BEHIND_PROXY],
      Array.from({ length: 45 }, (_, i) => `203.0.113.${100 + i}`),
    );
    console.info(`45 parallel guesses from 45 addresses: ${checked.length} checked, ${refused.length} refused unchecked`);
    expect(checked.length).toBeLessThanOrEqual(30);
    expect(refused.length).toBeGreaterThanOrEqual(15);
    await page.goto(`${BEHIND_PROXY}${refused[0]!.location}`);
    await expect(page.getByTestId('login-error')).toContainText('Слишком много попыток входа');
  });
});
