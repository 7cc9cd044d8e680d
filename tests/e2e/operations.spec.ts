// What an operator runs the shop with: liveness and readiness, the Prometheus endpoint and the
// figures a journey moves on it, and the request id that ties a request's log lines together.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dataFile, MAIN_SERVER } from './servers';
import { checkOut, expectOrderState, payInMirPay, waitFor } from './shop-helpers';
import { E2E_ENV } from './web-server';

const LOG = dataFile(`${MAIN_SERVER}.log`);
const AUTH = { Authorization: `Bearer ${E2E_ENV.METRICS_TOKEN}` };

/** The scraped samples, by metric name with its labels as Prometheus writes them. */
async function scrape(baseURL: string): Promise<Map<string, number>> {
  const response = await fetch(`${baseURL}/api/metrics`, { headers: AUTH });
  expect(response.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

const moved = (before: Map<string, number>, after: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);

test('liveness and readiness answer, never cached, with the checks named', async ({ request }) => {
  const live = await request.get('/api/health/live');
  expect(live.status()).toBe(200);
  expect(live.headers()['cache-control']).toContain('no-store');
  const ready = await request.get('/api/health/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ ok: true, checks: { database: 'ok', migrations: 'ok', gateway: 'ok' } });
});

test('the metrics endpoint wants its token', async ({ baseURL }) => {
  expect((await fetch(`${baseURL}/api/metrics`)).status).toBe(401);
  expect((await fetch(`${baseURL}/api/metrics`, { headers: { Authorization: 'Bearer not-the-metrics-token-at-all' } })).status).toBe(401);
});

test('a journey moves the counters, and its gateway calls log with the request id it came with', async ({ page, baseURL }) => {
  const before = await scrape(baseURL!);
  const requestId = `e2e-journey-${Date.now()}`;
  await page.setExtraHTTPHeaders({ 'X-Request-Id': requestId });
  await checkOut(page, baseURL!, { cart: 'mug:1' });
  await payInMirPay(page, 'mir-2026');
  await expectOrderState(page, 'paid');
  // The sandbox's notification of the payment arrives on its own schedule.
  let after = await scrape(baseURL!);
  await waitFor(async () => moved(before, (after = await scrape(baseURL!)), 'shop_callbacks_total{verdict="accepted"}') >= 1, 10_000);

  // The figures the journey moved, for the record of a run.
  const movedLines = [...after].filter(([name]) => name.startsWith('shop_') && moved(before, after, name) !== 0);
  console.log(movedLines.map(([name, value]) => `${name} ${value} (+${moved(before, after, name)})`).join('\n'));
  expect(moved(before, after, 'shop_checkouts_total{result="started"}')).toBe(1);
  expect(moved(before, after, 'shop_checkouts_total{result="registered"}')).toBe(1);
  expect(moved(before, after, 'shop_payments_final_total{state="paid"}')).toBe(1);
  expect(moved(before, after, 'shop_gateway_calls_total{operation="register",outcome="ok"}')).toBe(1);
  expect(moved(before, after, 'shop_gateway_calls_total{operation="getOrderStatusExtended",outcome="ok"}')).toBeGreaterThanOrEqual(1);
  expect(moved(before, after, 'shop_gateway_call_duration_seconds_count{operation="register"}')).toBe(1);
  expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(after.has('shop_open_holds')).toBe(true);

  // "Pay" took the id the request came with (as the proxy does for pages); its register.do logged with it.
  const lines = readFileSync(LOG, 'utf8')
    .split('\n')
    .filter((line) => line.includes(requestId))
    .map((line) => JSON.parse(line) as { event?: string; operation?: string; level?: number });
  expect(lines.some((line) => line.event === 'gateway.call' && line.operation === 'register' && line.level === 30)).toBe(true);
});
