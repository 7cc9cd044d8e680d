// Alerts end to end below the console: raised once per occurrence however often the condition is
// seen, and delivered to a real HTTP receiver (the merchant's webhook, or Telegram's sendMessage
// shape) from the row: retried after a failure, given up after MAX_TRIES, and sent once even when
// two instances deliver at the same moment. Refused callbacks alert once an hour.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { raiseAlert, listAlerts } from '../../lib/alerts/alerts';
import { deliverAlerts, MAX_TRIES, type AlertSender } from '../../lib/alerts/webhook';
import { receiveCallback } from '../../lib/payments/callbacks';
import { setUpShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness();
const received: { body: Record<string, unknown> }[] = [];
let failNext = 0;
let receiver: Server;
let url = '';

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (failNext > 0) {
        failNext--;
        response.writeHead(500).end('down');
        return;
      }
      received.push({ body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(async () => {
  received.length = 0;
  failNext = 0;
  // Earlier tests' alerts are not this test's business.
  await shop.db.updateTable('alerts').set({ delivery: 'sent' }).where('delivery', '=', 'pending').execute();
});

const owed = () => ({ ...shop.deps, alertWebhook: true });
const sender = (clock = Date.now, format: 'json' | 'telegram' = 'json'): AlertSender => ({
  db: shop.db,
  webhook: { url, format, chatId: '-1001234567890' },
  appUrl: 'https://shop.example',
  clock,
});

describe('alerts', () => {
  it('one row per occurrence, however often it is raised; listed open, newest first', async () => {
    const first = await raiseAlert(owed(), { kind: 'hold-ageing', key: 'attempt-1', orderId: 'order-1', details: { heldDays: 5 } });
    const again = await raiseAlert(owed(), { kind: 'hold-ageing', key: 'attempt-1', orderId: 'order-1', details: { heldDays: 6 } });
    const other = await raiseAlert(owed(), { kind: 'hold-ageing', key: 'attempt-2', orderId: 'order-2', details: { heldDays: 5 } });
    expect([first, again, other]).toEqual([true, false, true]);
    const listed = (await listAlerts(shop.db)).filter((a) => a.kind === 'hold-ageing');
    expect(listed.map((a) => [a.orderId, a.details.heldDays, a.acknowledgedAt])).toEqual([
      ['order-2', 5, null],
      ['order-1', 5, null],
    ]);
    // Without a webhook the alert is the console's only.
    await raiseAlert(shop.deps, { kind: 'reconciler-error', key: 'no-webhook', details: { error: 'x' } });
    expect((await listAlerts(shop.db)).find((a) => a.kind === 'reconciler-error')?.delivery).toBe('off');
  });

  it('delivered as JSON with the words and the order link, once', async () => {
    await raiseAlert(owed(), { kind: 'amount-mismatch', key: 'json-1', orderId: 'order-json', details: { amount: 100 } });
    expect(await deliverAlerts(sender())).toBe(1);
    expect(await deliverAlerts(sender())).toBe(0);
    expect(received).toHaveLength(1);
    const alert = received[0]!.body.alert as Record<string, unknown>;
    expect(alert).toMatchObject({ kind: 'amount-mismatch', orderId: 'order-json', details: { amount: 100 } });
    expect(alert.text).toBe(
      '⚠️ Сумма или валюта в банке не совпадает с заказом\namount: 100\nhttps://shop.example/merchant/orders/order-json',
    );
  });

  it('in the Telegram Bot API shape (sendMessage: chat_id and text)', async () => {
    await raiseAlert(owed(), { kind: 'paid-twice', key: 'tg-1', orderId: 'order-tg', details: {} });
    expect(await deliverAlerts(sender(Date.now, 'telegram'))).toBe(1);
    expect(received[0]!.body).toEqual({
      chat_id: '-1001234567890',
      text: '⚠️ Заказ оплачен дважды: лишний платёж возвращается\nhttps://shop.example/merchant/orders/order-tg',
      disable_web_page_preview: true,
    });
  });

  it('a receiver that fails is tried again later, not sooner; after MAX_TRIES it is given up', async () => {
    await raiseAlert(owed(), { kind: 'reconciler-error', key: 'retry-1', details: { error: 'boom' } });
    let now = Date.now();
    failNext = 1;
    expect(await deliverAlerts(sender(() => now))).toBe(0);
    expect(await deliverAlerts(sender(() => now))).toBe(0); // not due yet
    now += 6_000;
    expect(await deliverAlerts(sender(() => now))).toBe(1);
    expect(received).toHaveLength(1);

    await raiseAlert(owed(), { kind: 'reconciler-error', key: 'retry-2', details: { error: 'boom' } });
    failNext = MAX_TRIES;
    for (let i = 0; i < MAX_TRIES; i++) {
      await deliverAlerts(sender(() => now));
      now += 3_600_000;
    }
    const row = await shop.db
      .selectFrom('alerts')
      .selectAll()
      .where('alert_key', '=', 'reconciler-error:retry-2')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ delivery: 'failed', tries: MAX_TRIES, last_error: 'HTTP 500' });
    expect(received).toHaveLength(1);
  });

  it('two instances delivering at once send each alert once', async () => {
    for (let i = 0; i < 5; i++) await raiseAlert(owed(), { kind: 'hold-ageing', key: `race-${i}`, details: {} });
    const other = { ...sender(), db: await shop.openAnotherInstance() };
    const counts = await Promise.all([deliverAlerts(sender()), deliverAlerts(other), deliverAlerts(sender())]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(received).toHaveLength(5);
  });

  it('refused callbacks (unsigned, forged) raise one alert an hour, not one per request', async () => {
    const before = (await listAlerts(shop.db, 500)).filter((a) => a.kind === 'callbacks-refused').length;
    const forged = {
      mdOrder: '00000000-0000-0000-0000-000000000001',
      orderNumber: 'X1',
      operation: 'deposited',
      status: '1',
      checksum: 'AB',
    };
    for (let i = 0; i < 20; i++) await receiveCallback(shop.deps, Object.entries(forged), 'callback-key');
    const after = (await listAlerts(shop.db, 500)).filter((a) => a.kind === 'callbacks-refused');
    expect(after.length - before).toBe(1);
  });
});
