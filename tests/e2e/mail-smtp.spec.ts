// The shopper's e-mails over a merchant's SMTP server, through the real server: a shop of its own
// (PORT + 3, its own SQLite file and sandbox) started with SMTP_URL pointing at an SMTP server in
// this test and SMTP_MAX_CONNECTIONS=2. Six shoppers pay at once, each over HTTP as a phone without
// JavaScript does: each gets their "paid" e-mail, and the shop never has more than two e-mails in
// flight or two connections open to the server.
import { expect, test } from '@playwright/test';
import { payWithMirPay } from '../helpers/phone';
import { slowServer, type SlowServer } from '../helpers/smtp-servers';
import { PAY } from './attack-helpers';
import { postForm, readForm } from './form-post';
import { startOwnShop, type OwnShop } from './own-shop';
import { PORT } from './servers';
import { waitFor } from './shop-helpers';

const SHOP_PORT = PORT + 3;
const SHOPPERS = 6;
/** Long enough that the e-mails owed overlap at the server, whatever the sender's rounds. */
const SMTP_ANSWER_MS = 1500;

let smtp: SlowServer | undefined;
let shop: OwnShop | undefined;

test.beforeAll(async () => {
  smtp = await slowServer(() => SMTP_ANSWER_MS);
  shop = await startOwnShop('smtp', SHOP_PORT, {
    RECONCILE_INTERVAL_MS: '0',
    SMTP_URL: smtp.url,
    SMTP_MAX_CONNECTIONS: '2',
    MAIL_FROM: 'Кофе и чай <shop@example.ru>',
  });
});

test.afterAll(async () => {
  await shop?.stop();
  await smtp?.close();
});

/** One shopper: "Pay" without JavaScript, Mir Pay on the sandbox, back to the order page; its number. */
async function payAsPhone(base: string, email: string, i: number): Promise<string> {
  const headers = { cookie: 'cart=mug:1', 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' };
  const form = await readForm(`${base}/checkout`, 'checkout-form', headers);
  const checkoutKey = `smtp-key-${Date.now()}-${i}-xxxxxxxx`;
  const placed = await postForm(
    `${base}${PAY}`,
    form,
    { name: 'Анна Иванова', phone: '+79123456789', email, flow: 'one-stage', checkoutKey },
    headers,
  );
  expect(placed.status, placed.text.slice(0, 200)).toBe(303);
  const back = await payWithMirPay(placed.location!, 'mir-0047');
  const orderPage = await fetch(back, { headers: { 'user-agent': headers['user-agent'] } });
  expect(orderPage.status).toBe(200);
  const number = /data-testid="order-number"[^>]*>([^<]+)</.exec(await orderPage.text())?.[1];
  expect(number).toBeDefined();
  return number!;
}

test('paid orders are mailed over SMTP_URL, at most SMTP_MAX_CONNECTIONS at once and over as many connections', async () => {
  test.setTimeout(90_000);
  const emails = Array.from({ length: SHOPPERS }, (_, i) => `smtp-shopper-${i}@example.ru`);
  const numbers = await Promise.all(emails.map((email, i) => payAsPhone(shop!.url, email, i)));

  await waitFor(async () => smtp!.received.length >= SHOPPERS, 60_000);
  expect(smtp!.received.map(({ to, subject }) => `${to} ${subject}`).sort()).toEqual(
    emails.map((email, i) => `${email} Заказ ${numbers[i]} оплачен`).sort(),
  );
  // Two at once: the setting is used, and is the most the shop sends at once.
  expect(smtp!.mostAtOnce).toBe(2);
  expect(smtp!.connections).toBeLessThanOrEqual(2);
});
