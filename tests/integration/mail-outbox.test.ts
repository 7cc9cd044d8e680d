// The confirmation e-mails through a real SMTP server in this process (smtp-server): a paid order
// owes exactly one e-mail however often its payment is seen, it goes out from the outbox with the
// order's items, delivery, amount and link, two senders draining at once send it once, and a
// server that refuses is tried again later; each refund, partial or the rest, owes one e-mail of its own.
// How the outbox sends (several at once, a backlog, a silent server): mail-sending.test.ts.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { caughtForOrder, catcherTransport, latestCaught } from '../../lib/mail/catcher';
import { drainOutbox, smtpTransport, type MailSender } from '../../lib/mail/outbox-sender';
import { runMerchantAction } from '../../lib/payments/merchant-operations';
import { syncAttempt } from '../../lib/payments/sync';
import { requestOrdersMail } from '../../lib/shop/find-orders';
import { owedRows, paidCourierOrder } from '../helpers/mail-outbox';
import { countingSmtpServer } from '../helpers/smtp-servers';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
let db: Db;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, deps } = shop));

type Received = { to: string; raw: string };
const received: Received[] = [];
let refuseNext = 0;
const { server } = countingSmtpServer((stream, session, callback) => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => {
    if (refuseNext > 0) {
      refuseNext -= 1;
      return callback(Object.assign(new Error('mailbox busy'), { responseCode: 451 }));
    }
    received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw: Buffer.concat(chunks).toString('utf8') });
    callback();
  });
});
let sender: MailSender;
let smtp: ReturnType<typeof smtpTransport>;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  smtp = smtpTransport(`smtp://127.0.0.1:${port}`);
  sender = { db, transport: smtp, from: 'Кофе и чай <shop@example.ru>', appUrl: 'http://shop.test' };
});
afterAll(async () => {
  // The pool's connections stay open between rounds; the server waits for them before it closes.
  smtp.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const owed = (orderId: string) => owedRows(db, orderId);

describe('confirmation e-mail', () => {
  it('a paid order owes one e-mail, however often the payment is seen; it arrives with amounts and the link', async () => {
    const { orderId, attemptId } = await paidCourierOrder(deps, 'ada@example.ru');
    expect(await owed(orderId)).toHaveLength(0);
    await syncAttempt(deps, attemptId, 'return');
    await syncAttempt(deps, attemptId, 'poll');
    await syncAttempt(deps, attemptId, 'reconciler');
    expect((await owed(orderId)).map((row) => [row.kind, row.status])).toEqual([['paid', 'pending']]);

    const before = received.length;
    // Two senders at once (two instances): the row is claimed by one of them.
    const counts = await Promise.all([drainOutbox(sender), drainOutbox(sender)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(received.length).toBe(before + 1);
    expect(await drainOutbox(sender)).toBe(0);
    expect((await owed(orderId))[0]).toMatchObject({ status: 'sent', tries: 0 });

    const mail = await simpleParser(received.at(-1)!.raw);
    expect(received.at(-1)!.to).toBe('ada@example.ru');
    expect(mail.subject).toMatch(/^Заказ \d{6}-[0-9A-F]{8} оплачен$/);
    expect(mail.text).toContain('Керамическая кружка × 2: 1\u00a0580\u00a0₽');
    expect(mail.text).toContain('Доставка курьером: 300\u00a0₽');
    expect(mail.text).toContain('Итого: 1\u00a0880\u00a0₽');
    expect(mail.text).toContain('Адрес доставки: Москва, Тверская, 7');
    expect(mail.text).toContain(`http://shop.test/orders/${orderId}`);
    expect(mail.html).toContain(`href="http://shop.test/orders/${orderId}"`);
  });

  it('a refusing SMTP server: the e-mail stays owed and goes out on a later try, once', async () => {
    const { orderId, attemptId } = await paidCourierOrder(deps, 'bob@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    refuseNext = 1;
    expect(await drainOutbox(sender)).toBe(0);
    const [row] = await owed(orderId);
    expect(row).toMatchObject({ status: 'pending', tries: 1, last_error: expect.stringContaining('mailbox busy') });
    // Not before its next try…
    expect(await drainOutbox(sender)).toBe(0);
    // …and then once.
    const later = { ...sender, clock: () => Date.now() + 60 * 60_000 };
    expect(await drainOutbox(later)).toBe(1);
    expect(await drainOutbox(later)).toBe(0);
    expect(received.filter((mail) => mail.to === 'bob@example.ru')).toHaveLength(1);
  });

  it('a full refund owes one more e-mail, in the order language, saying the money is returned', async () => {
    const { orderId, attemptId } = await paidCourierOrder(deps, 'cleo@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    const refund = await runMerchantAction(deps, orderId, { kind: 'refund', amount: 188_000 }, `mail-refund-${Date.now()}`);
    expect(refund).toMatchObject({ ok: true });
    await syncAttempt(deps, attemptId, 'reconciler');
    expect((await owed(orderId)).map((row) => row.kind).sort()).toEqual(['paid', 'refunded']);
    await drainOutbox(sender);
    const mails = await Promise.all(received.filter((mail) => mail.to === 'cleo@example.ru').map((mail) => simpleParser(mail.raw)));
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/оплачен$/),
      expect.stringMatching(/^Деньги за заказ .* возвращены$/),
    ]);
    expect(mails[1]!.text).toContain('Итого: 1\u00a0880\u00a0₽');
    expect(mails[1]!.text).toContain('Возвращено: 1\u00a0880\u00a0₽');
  });

  it('each refund owes one e-mail with the amount returned and what stays paid, however often it is seen', async () => {
    const { orderId, attemptId } = await paidCourierOrder(deps, 'eva@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    const refund = (amount: number) => runMerchantAction(deps, orderId, { kind: 'refund', amount }, `mail-part-${amount}-${Date.now()}`);
    const seenAgain = async () => {
      for (const trigger of ['return', 'poll', 'callback', 'reconciler'] as const) await syncAttempt(deps, attemptId, trigger);
    };
    const refunds = async () => (await owed(orderId)).filter((row) => row.kind === 'refunded');

    // Two partial refunds before the sender runs: each e-mail tells of its own.
    expect(await refund(50_000)).toMatchObject({ ok: true });
    await seenAgain();
    expect(await refund(30_000)).toMatchObject({ ok: true });
    await seenAgain();
    expect((await refunds()).map((row) => [row.refund_amount, row.remaining_amount])).toEqual([
      [50_000, 138_000],
      [30_000, 108_000],
    ]);
    await drainOutbox(sender);
    // The rest: the last refund e-mail says all of it is back.
    expect(await refund(108_000)).toMatchObject({ ok: true });
    await seenAgain();
    expect(await refunds()).toHaveLength(3);
    await drainOutbox(sender);
    await seenAgain();
    expect(await drainOutbox(sender)).toBe(0);

    const mails = await Promise.all(received.filter((mail) => mail.to === 'eva@example.ru').map((mail) => simpleParser(mail.raw)));
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringMatching(/оплачен$/),
      expect.stringMatching(/^Часть денег за заказ .* возвращена$/),
      expect.stringMatching(/^Часть денег за заказ .* возвращена$/),
      expect.stringMatching(/^Деньги за заказ .* возвращены$/),
    ]);
    const amounts = mails
      .slice(1)
      .map((mail) => [/Возвращено: (.+)/.exec(mail.text!)?.[1], /Остаётся оплачено: (.+)/.exec(mail.text!)?.[1]]);
    expect(amounts).toEqual([
      ['500\u00a0₽', '1\u00a0380\u00a0₽'],
      ['300\u00a0₽', '1\u00a0080\u00a0₽'],
      ['1\u00a0080\u00a0₽', '0\u00a0₽'],
    ]);
    expect(mails[3]!.html).toContain('Остаётся оплачено');
    expect(mails[3]!.text).toContain(`http://shop.test/orders/${orderId}`);
  });

  it("the demo's catcher keeps the composed e-mail with its order instead of sending it", async () => {
    const { orderId, attemptId } = await paidCourierOrder(deps, 'dina@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    const before = received.length;
    expect(await drainOutbox({ ...sender, transport: catcherTransport(db) })).toBeGreaterThanOrEqual(1);
    expect(received.length).toBe(before);
    const caught = await caughtForOrder(db, orderId);
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({ to_address: 'dina@example.ru', subject: expect.stringMatching(/оплачен$/) });
    expect(caught[0]!.text).toContain('Итого: 1\u00a0880\u00a0₽');
    expect((await latestCaught(db)).map((mail) => mail.order_id)).toContain(orderId);
    const raw = await db.selectFrom('mail_catcher').select('raw').where('order_id', '=', orderId).executeTakeFirstOrThrow();
    expect((await simpleParser(raw.raw)).subject).toBe(caught[0]!.subject);
  });

  it("the demo's catcher keeps 'find my orders' with no order: the newest order's e-mails never show the address's links", async () => {
    // Someone orders with another's address, then asks for that address's orders.
    const theirs = await paidCourierOrder(deps, 'elena@example.ru');
    const mine = await paidCourierOrder(deps, 'elena@example.ru');
    const limits = { hit: async () => ({ allowed: true }) };
    expect(await requestOrdersMail({ db, limits, clock: Date.now }, { email: 'elena@example.ru', client: 'c', language: 'ru' })).toBe(
      'accepted',
    );
    expect(await drainOutbox({ ...sender, transport: catcherTransport(db) })).toBeGreaterThanOrEqual(1);
    const list = (await latestCaught(db)).find((mail) => mail.to_address === 'elena@example.ru' && mail.subject === 'Ваши заказы');
    expect(list).toMatchObject({ order_id: '' });
    expect(list!.text).toContain(`http://shop.test/orders/${theirs.orderId}`);
    for (const order of [theirs, mine])
      expect((await caughtForOrder(db, order.orderId)).map((mail) => mail.subject)).not.toContain('Ваши заказы');
  });
});
