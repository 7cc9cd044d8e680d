// The bank's callback route under a flood, through the running server: replays of one genuine
// notification cost at most a few status reads, and unsigned junk is kept as a small summary
// (never its values) and counted in aggregated log lines, never one line per request.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { signCallback } from '../../lib/gateway/checksum';
import { dataFile, MAIN_SERVER } from './servers';
import { checkOut, gatewayStatus, sandboxRequests, waitFor } from './shop-helpers';
import { E2E_ENV } from './web-server';

const CALLBACK = '/api/payments/callback';
const LOG = dataFile(`${MAIN_SERVER}.log`);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What `payment_callbacks` holds, read from the main server's database file (read-only). */
function storedCallbacks(): { rows: number; bytes: number } {
  const db = new Database(dataFile(`${MAIN_SERVER}.sqlite`), { readonly: true, fileMustExist: true });
  try {
    // Every column of every row, whatever the schema: what the table keeps, not how.
    const rows = db.prepare('select * from payment_callbacks').all() as Record<string, unknown>[];
    return { rows: rows.length, bytes: rows.reduce<number>((sum, row) => sum + Buffer.byteLength(JSON.stringify(row)), 0) };
  } finally {
    db.close();
  }
}

test('200 replays of one genuine callback, concurrent and in a burst: all answered 200, at most a few status reads', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const mdOrder = await checkOut(page, baseURL!, { cart: 'mug:1' });
  // Nothing else reads this order: the phone leaves the payment page, the reconciler is off here.
  await page.goto('about:blank');
  const { orderNumber } = await gatewayStatus(baseURL!, mdOrder);
  const params = { mdOrder, orderNumber: orderNumber!, operation: 'deposited', status: '1' };
  const signed = new URLSearchParams({ ...params, checksum: signCallback(params, E2E_ENV.CALLBACK_KEY!) }).toString();
  const before = await sandboxRequests(baseURL!, mdOrder, 'getOrderStatusExtended.do');
  const replay = (i: number) =>
    i % 2 ? fetch(`${baseURL}${CALLBACK}?${signed}`) : fetch(`${baseURL}${CALLBACK}`, { method: 'POST', headers: FORM, body: signed });

  const started = Date.now();
  const statuses = (await Promise.all(Array.from({ length: 100 }, (_, i) => replay(i)))).map((r) => r.status);
  for (let i = 0; i < 100; i++) statuses.push((await replay(i)).status);
  const burstMs = Date.now() - started;
  expect(statuses.filter((s) => s !== 200)).toEqual([]);

  // One sync at once, then at most one per 3 s while replays keep coming, and one trailing sync.
  const allowed = 2 + Math.floor(burstMs / 3000);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await waitFor(async () => (await sandboxRequests(baseURL!, mdOrder, 'getOrderStatusExtended.do')) > before, 5000);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const reads = (await sandboxRequests(baseURL!, mdOrder, 'getOrderStatusExtended.do')) - before;
  console.info(`200 replayed callbacks in ${burstMs} ms → ${reads} getOrderStatusExtended.do (allowed ${allowed})`);
  expect(reads).toBeGreaterThanOrEqual(1);
  expect(reads).toBeLessThanOrEqual(allowed);
});

test('1 000 unsigned 13 KB callbacks: a bounded summary each, refusals counted in aggregated log lines', async ({ baseURL }) => {
  test.setTimeout(150_000);
  const logOffset = Buffer.byteLength(readFileSync(LOG, 'utf8'));
  const before = storedCallbacks();
  // 26 padding parameters of 500 characters: within the route's limits, so each one is "unsigned".
  const padding = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`x${i}`, String(i % 10).repeat(500)]));
  const body = (n: number) =>
    new URLSearchParams({ mdOrder: `junk-${n}`, orderNumber: `JUNK-${n}`, operation: 'deposited', status: '1', ...padding }).toString();
  expect(Buffer.byteLength(body(999))).toBeGreaterThan(13_000);
  for (let batch = 0; batch < 100; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fetch(`${baseURL}${CALLBACK}`, { method: 'POST', headers: FORM, body: body(batch * 10 + i) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(401));
  }
  const after = storedCallbacks();
  const added = after.bytes - before.bytes;
  console.info(`1 000 unsigned 13 KB callbacks → +${after.rows - before.rows} rows, +${added} bytes in payment_callbacks`);
  expect(after.rows - before.rows).toBeLessThanOrEqual(1000);
  expect(added / 1000, 'bytes kept per refused callback').toBeLessThan(400);

  // The first refusal of a period is logged at once, the rest summed into a line a minute later.
  const refusedLines = () =>
    readFileSync(LOG)
      .subarray(logOffset)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes('"event":"callback.refused"'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { counts: Record<string, number>; sinceMs: number });
  await waitFor(async () => refusedLines().reduce((sum, line) => sum + (line.counts.unsigned ?? 0), 0) >= 1000, 70_000);
  const lines = refusedLines();
  expect(lines.length, 'aggregated, never one line per request').toBeLessThanOrEqual(3);
  for (const line of lines) expect(line.sinceMs).toBeGreaterThanOrEqual(0);
});
