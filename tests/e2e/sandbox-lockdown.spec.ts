// The public demo's sandbox is not an open door (against the running e2e server): its test controls
// answer 401 to anonymous callers and change nothing for them; the merchant, signed in to the
// console, may use them; register.do keeps the shopper on the shop's own site.
import { expect, test } from '@playwright/test';
import { sandboxClient } from './gateway-helpers';
import { logIn } from './merchant-helpers';
import { checkOut, clearFaults, controlFetch, gatewayStatus } from './shop-helpers';
import { E2E_ENV } from './web-server';

const json = { 'content-type': 'application/json' };

test.afterEach(async ({ baseURL }) => {
  await clearFaults(baseURL!);
  await controlFetch(baseURL!, 'callbacks', { method: 'POST', headers: json, body: JSON.stringify({ enabled: true }) });
});

test('anonymous: every control is 401 with no data, and nothing changes for the next shopper', async ({ page, baseURL }) => {
  const { orderId } = await sandboxClient(baseURL!).register({
    orderNumber: `LD-${Date.now().toString(36)}`,
    amount: 10_000,
    returnUrl: `${baseURL}/`,
  });
  const anonymous: [string, RequestInit][] = [
    ['requests', {}],
    ['requests?method=register.do', {}],
    ['faults', { method: 'POST', headers: json, body: JSON.stringify({ fault: 'http500', method: 'register.do', times: 0 }) }],
    ['faults', { method: 'DELETE' }],
    ['callbacks', {}],
    ['callbacks', { method: 'POST', headers: json, body: JSON.stringify({ enabled: false }) }],
    ['clock', { method: 'POST', body: new URLSearchParams({ advanceSeconds: '100000' }) }],
  ];
  for (const [path, init] of anonymous) {
    for (const headers of [{}, { authorization: 'Bearer not-the-control-token-000000' }] as Record<string, string>[]) {
      const response = await fetch(`${baseURL}/sandbox/control/${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), ...headers },
      });
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(401);
      expect(Object.keys((await response.json()) as object)).toEqual(['error']);
    }
  }
  // The fault POSTed anonymously does not break the next checkout: it reaches the bank's page.
  const gatewayOrderId = await checkOut(page, baseURL!, { cart: 'mug:1' });
  expect(gatewayOrderId).toBeTruthy();
  // The clock did not move: the first order is still waiting for payment, not expired.
  expect(await gatewayStatus(baseURL!, orderId)).toMatchObject({ orderStatus: 0 });
  // Nothing was stored: no fault rule, callbacks still on.
  expect(await (await controlFetch(baseURL!, 'faults')).json()).toEqual({ rules: [] });
  const callbacks = (await (await controlFetch(baseURL!, 'callbacks')).json()) as { settings: { enabled: boolean } };
  expect(callbacks.settings.enabled).toBe(true);
});

test('the merchant, signed in to the console, may use the controls and sees the sandbox API there', async ({ page, baseURL }) => {
  await logIn(page);
  await expect(page.getByTestId('sandbox-api')).toContainText(E2E_ENV.GATEWAY_USERNAME!);
  await expect(page.getByTestId('sandbox-api')).toContainText(`${baseURL}/sandbox/payment/rest/`);
  // The session's cookies, sent as the browser would send them to any path of the shop.
  const cookie = (await page.context().cookies(`${baseURL}/merchant`)).map((c) => `${c.name}=${c.value}`).join('; ');
  const asMerchant = (path: string, init: RequestInit = {}) =>
    fetch(`${baseURL}/sandbox/control/${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
  const listed = await asMerchant('requests?method=register.do');
  expect(listed.status).toBe(200);
  expect(((await listed.json()) as { requests: unknown[] }).requests.length).toBeGreaterThan(0);
  const added = await asMerchant('faults', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ fault: 'http500', method: 'refund.do' }),
  });
  expect(added.status).toBe(200);
  expect((await asMerchant('faults', { method: 'DELETE' })).status).toBe(200);
  expect((await asMerchant('callbacks', { method: 'POST', headers: json, body: JSON.stringify({ enabled: true }) })).status).toBe(200);
  expect((await asMerchant('clock', { method: 'POST', body: new URLSearchParams({ advanceSeconds: '0' }) })).status).toBe(200);
  // A session cookie that is not one is anonymous.
  const forged = await fetch(`${baseURL}/sandbox/control/requests`, {
    headers: { cookie: cookie.replace(/=[^;]+/g, '=1700000000000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') },
  });
  expect(forged.status).toBe(401);
});

test("register.do refuses a returnUrl or failUrl off the shop's site: the payment page cannot send shoppers away", async ({ baseURL }) => {
  const credentials = { userName: E2E_ENV.GATEWAY_USERNAME!, password: E2E_ENV.GATEWAY_PASSWORD! };
  for (const urls of [{ returnUrl: 'https://evil.example/' }, { returnUrl: `${baseURL}/`, failUrl: 'https://evil.example/fail' }] as Record<
    string,
    string
  >[]) {
    for (const method of ['register', 'registerPreAuth']) {
      const response = await fetch(`${baseURL}/sandbox/payment/rest/${method}.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...credentials,
          orderNumber: `LD-evil-${Date.now().toString(36)}-${method}`,
          amount: '10000',
          language: 'en',
          ...urls,
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ errorCode: '5', errorMessage: "The return URL must lead to the merchant's site" });
    }
  }
});
