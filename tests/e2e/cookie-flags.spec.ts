// The shopper's cookies (cart, cart_count, checkout, lang) carry `Secure` exactly when APP_URL is
// https. Over real HTTP: the main e2e server (APP_URL http://…) must not mark them, and a third
// server started here with APP_URL https://… must, on every path that sets them: the add-to-cart
// action, the proxy mending cart_count, "Pay" and the language switch. That server is reached over
// plain http, as behind a TLS-terminating reverse proxy; it has no sandbox of its own and uses the
// main server's as its bank (order numbers are random, so the two never collide there).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { BASE_URL, dataFile, PORT } from './servers';
import { E2E_ENV, ROOT } from './web-server';

const HTTPS_APP_PORT = PORT + 2;
const HTTPS_APP = `http://localhost:${HTTPS_APP_PORT}`;
// A cart of its own: "Pay" is rate-limited per cart, and other specs post theirs.
const CART = 'green-tea:2';

let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const database = dataFile(`e2e-https-${HTTPS_APP_PORT}.sqlite`);
  const log = openSync(dataFile(`e2e-https-${HTTPS_APP_PORT}.log`), 'w');
  server = spawn(
    'sh',
    [
      '-c',
      `rm -f ${database} ${database}-wal ${database}-shm && npm run -s preflight && exec node_modules/.bin/next start -p ${HTTPS_APP_PORT}`,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        ...E2E_ENV,
        PORT: String(HTTPS_APP_PORT),
        APP_URL: `https://localhost:${HTTPS_APP_PORT}`,
        DATABASE_URL: database,
        RECONCILE_INTERVAL_MS: '0',
        GATEWAY_URL: `${BASE_URL}/sandbox/payment/rest/`,
      },
    },
  );
  for (let waited = 0; ; waited += 500) {
    const up = await fetch(`${HTTPS_APP}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (waited > 60_000 || server.exitCode !== null)
      throw new Error(`the https APP_URL server did not start (.data/e2e-https-${HTTPS_APP_PORT}.log)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(() => {
  // The whole process group: sh, preflight's npm and next start's server.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
});

/** The named inputs of the form on `html` that holds a field called `marker`, as a browser without JavaScript posts them. */
function formFields(html: string, marker: string): [string, string][] {
  for (const [form] of html.matchAll(/<form\b[\s\S]*?<\/form>/g)) {
    if (!form.includes(`name="${marker}"`)) continue;
    const fields: [string, string][] = [];
    for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(input)?.[1];
      if (name === undefined || /\btype="radio"/.test(input)) continue;
      fields.push([name, unescapeHtml(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '')]);
    }
    return fields;
  }
  throw new Error(`no form with a field "${marker}"`);
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Posts a form as multipart from the shop's own origin; answers the Set-Cookie lines by cookie name. */
async function submit(
  base: string,
  target: string,
  fields: [string, string][],
  cookie = '',
): Promise<{ status: number; cookies: Map<string, string> }> {
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  const response = await fetch(`${base}${target}`, { method: 'POST', body, headers: { origin: base, cookie }, redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, cookies: setCookies(response) };
}

function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line]));
}

async function page(base: string, target: string, cookie = ''): Promise<{ html: string; cookies: Map<string, string> }> {
  const response = await fetch(`${base}${target}`, { headers: { cookie } });
  return { html: await response.text(), cookies: setCookies(response) };
}

const secure = (line: string | undefined) => /;\s*secure\b/i.test(line ?? '');

for (const [label, base, expected] of [
  ['APP_URL http', BASE_URL, false],
  ['APP_URL https', HTTPS_APP, true],
] as const) {
  test(`${label}: the cart, cart_count, checkout and lang cookies are ${expected ? '' : 'not '}Secure`, async () => {
    // Add to cart: the product page's form, posted to its action.
    const product = await page(base, '/products/green-tea');
    const added = await submit(
      base,
      '/products/green-tea',
      formFields(product.html, 'slug').map(([name, value]): [string, string] => [name, name === 'quantity' ? '2' : value]),
    );
    expect(added.status).toBe(303);
    expect([added.cookies.has('cart'), added.cookies.has('cart_count')]).toEqual([true, true]);
    expect(secure(added.cookies.get('cart')), 'cart').toBe(expected);
    expect(secure(added.cookies.get('cart_count')), 'cart_count').toBe(expected);

    // The proxy mends a missing cart_count on a page read.
    const mended = await page(base, '/', `cart=${CART}`);
    expect(mended.cookies.get('cart_count')).toMatch(/^cart_count=2;/);
    expect(secure(mended.cookies.get('cart_count')), 'mended cart_count').toBe(expected);

    // "Pay": the checkout cookie remembers the open order.
    const checkout = await page(base, '/checkout', `cart=${CART}`);
    const contact: [string, string][] = [
      ['name', 'Анна'],
      ['phone', '+79123456789'],
      ['email', 'anna@example.ru'],
    ];
    const fields = formFields(checkout.html, 'checkoutKey').filter(([name]) => !['name', 'phone', 'email'].includes(name));
    const paid = await submit(base, '/checkout/pay', [...fields, ...contact], `cart=${CART}`);
    expect(paid.status).toBe(303);
    expect(paid.cookies.has('checkout')).toBe(true);
    expect(secure(paid.cookies.get('checkout')), 'checkout').toBe(expected);
    // A "Pay" that goes back to the form: what was typed rides along in a cookie of its own.
    const wrong = await submit(base, '/checkout/pay', [...fields, ['name', 'Анна'], ['phone', '1'], ['email', 'x']], `cart=${CART}`);
    expect(wrong.status).toBe(303);
    expect(secure(wrong.cookies.get('checkout_form')), 'checkout_form').toBe(expected);

    // The language switch in the header.
    const switched = await submit(base, '/', formFields(product.html, 'lang'));
    expect(switched.status).toBe(303);
    expect(switched.cookies.get('lang')).toMatch(/^lang=en;/);
    expect(secure(switched.cookies.get('lang')), 'lang').toBe(expected);
  });
}
