// Security at the HTTP boundary (docs/reliability.md #27, #28, #29): headers on every page, posts only
// from the shop's own pages, and no secret in anything a browser gets. (Rate limits:
// abuse-limits.spec.ts.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { checkOut, orderStatus, payInMirPay } from './shop-helpers';
import { E2E_ENV } from './web-server';

const SECRET_VALUES = [E2E_ENV.GATEWAY_USERNAME!, E2E_ENV.GATEWAY_PASSWORD!, E2E_ENV.CALLBACK_KEY!, E2E_ENV.SANDBOX_CONTROL_TOKEN!];
// An unknown order (404) and a path that does not decode (the proxy's 400) included: refusals carry the headers too.
const PAGES = [
  '/',
  '/products/mug',
  '/cart',
  '/checkout',
  '/orders/AAAAAAAAAAAAAAAAAAAAAA',
  '/orders/%E0%A4%A',
  '/checkout/return?order=nope',
  '/api/payments/callback',
];

test('#29 every page: CSP, nosniff, referrer policy; no-store where the payment is', async ({ request }) => {
  for (const page of PAGES) {
    const response = await request.get(page, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"])
      expect(csp, page).toContain(directive);
    expect(headers['x-content-type-options'], page).toBe('nosniff');
    expect(headers['referrer-policy'], page).toBe('strict-origin-when-cross-origin');
    expect(headers['strict-transport-security'], page).toBeUndefined();
    if (!['/', '/products/mug', '/cart'].includes(page)) expect(headers['cache-control'], page).toContain('no-store');
  }
  const https = await request.get('/', { headers: { 'x-forwarded-proto': 'https' } });
  expect(https.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
});

test('#29 the bank’s return to the order page, which skips the proxy: the same headers, and form-action in the page', async ({
  page,
  baseURL,
}) => {
  const returned = page.waitForResponse((response) => /\/orders\/[\w-]{22}\?orderId=/.test(response.url()));
  await checkOut(page, baseURL!, { cart: 'mug:1' });
  await payInMirPay(page, 'mir-0047');
  const answer = await returned;
  await expect(orderStatus(page)).toHaveAttribute('data-state', 'paid');
  // The headers are next.config.js's, and no X-Request-Id: the answer the proxy did not touch.
  const headers = answer.headers();
  expect(headers['x-request-id']).toBeUndefined();
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
    expect(headers['content-security-policy']).toContain(directive);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['cache-control']).toContain('no-store');
  // form-action, with the configured gateway (here the sandbox, at the shop's own origin), in the head.
  const html = await answer.text();
  const meta = html.search(/<meta http-equiv="Content-Security-Policy" content="form-action &#x27;self&#x27; https?:\/\/[\w.:-]+"\/>/);
  expect(meta).toBeGreaterThan(0);
  expect(meta).toBeLessThan(html.indexOf('</head>'));
  // And the browser keeps to it: the returned page will not post a form to another site.
  const blocked = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true });
        const form = document.createElement('form');
        form.method = 'post';
        form.action = 'https://evil.example/collect';
        document.body.append(form);
        form.submit();
        setTimeout(() => resolve('not blocked'), 3000);
      }),
  );
  expect(blocked).toBe('form-action');
});

test('#27 a post from another origin, from "null" or without an Origin is refused: "Pay" and a page', async ({ request, baseURL }) => {
  const form = { name: 'x', phone: '+79120000000', email: 'x@example.ru' };
  // "Pay" checks it itself (the proxy does not run for it); the proxy checks every other post.
  for (const path of ['/checkout/pay', '/checkout']) {
    for (const origin of ['https://evil.example', 'null', undefined]) {
      const response = await request.post(path, { form, headers: origin ? { origin } : {}, maxRedirects: 0 });
      expect(response.status(), `${path} ${origin}`).toBe(403);
      expect(await response.text()).toContain('не со страницы магазина');
    }
    const own = await request.post(path, { form, headers: { origin: baseURL! }, maxRedirects: 0 });
    expect(own.status(), path).not.toBe(403);
  }
});

test('#28 no gateway credential or callback key in the browser bundles or any page', async ({ request }) => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(__dirname, '../../.next/static'));
  expect(files.length).toBeGreaterThan(5);
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  for (const page of PAGES) texts.push(await (await request.get(page)).text());
  for (const secret of SECRET_VALUES) {
    expect(
      texts.filter((text) => text.includes(secret)),
      secret.slice(0, 3),
    ).toHaveLength(0);
  }
});

test('/api/health answers once the services are up, never cached', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ ok: true });
  expect(response.headers()['cache-control']).toContain('no-store');
});
