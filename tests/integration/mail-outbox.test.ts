// The confirmation e-mails through a real SMTP server in this process (smtp-server): a paid order
// owes exactly one e-mail however often its payment is seen, it goes out from the outbox with the
// order's items, delivery, amount and link, two senders draining at once send it once, and a
// server that refuses is tried again later; each refund, partial or the rest, owes one e-mail of its own.
// The background sender sends a backlog in one round over a few pooled connections, several
// orders' e-mails at once (one order's in the order owed), and a server that never answers costs a
// round its timeouts, not minutes.
import { createServer, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { caughtForOrder, catcherTransport, latestCaught } from '../../lib/mail/catcher';
import {
  drainOutbox,
  SEND_CONCURRENCY,
  SMTP_TIMEOUTS,
  smtpTransport,
  startOutboxSender,
  type MailSender,
} from '../../lib/mail/outbox-sender';
import { runMerchantAction } from '../../lib/payments/merchant-operations';
import { latestAttempt } from '../../lib/payments/orders';
import { syncAttempt } from '../../lib/payments/sync';
import { placeOrder } from '../../lib/shop/checkout';
import { requestOrdersMail } from '../../lib/shop/find-orders';
import { payWithMirPay } from '../helpers/phone';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
let db: Db;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, deps } = shop));

type Received = { to: string; raw: string };
const received: Received[] = [];
let refuseNext = 0;
const { server, counted } = countingSmtpServer((stream, session, callback) => {
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

async function paidCourierOrder(email: string) {
  const placed = await placeOrder(deps, {
    cart: [{ slug: 'mug', quantity: 2 }],
    customer: { name: 'Ада', phone: '+79120000005', email },
    delivery: { method: 'courier', address: { city: 'Москва', street: 'Тверская', house: '7', flat: '' } },
    flow: 'one-stage',
    language: 'ru',
    mobile: true,
  });
  if (!placed.ok) throw new Error(placed.reason);
  await payWithMirPay(placed.formUrl, 'mir-0047');
  const attempt = (await latestAttempt(db, placed.orderId))!;
  return { orderId: placed.orderId, attemptId: attempt.id };
}

/** Owes a "paid" e-mail, due now, for each order id given (an id given again owes one more). */
async function owePaid(orderIds: readonly string[], tag: string): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('mail_outbox')
    .values(
      orderIds.map((orderId, i) => ({
        event_key: `paid:${orderId}:${tag}-${i}`,
        order_id: orderId,
        kind: 'paid' as const,
        language: null,
        created_at: now,
        next_at: now,
      })),
    )
    .execute();
}

const owed = (orderId: string) => db.selectFrom('mail_outbox').selectAll().where('order_id', '=', orderId).execute();

describe('confirmation e-mail', () => {
  it('a paid order owes one e-mail, however often the payment is seen; it arrives with amounts and the link', async () => {
    const { orderId, attemptId } = await paidCourierOrder('ada@example.ru');
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
    const { orderId, attemptId } = await paidCourierOrder('bob@example.ru');
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
    const { orderId, attemptId } = await paidCourierOrder('cleo@example.ru');
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
    const { orderId, attemptId } = await paidCourierOrder('eva@example.ru');
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

  it('a backlog larger than a batch goes out in one round of the background sender, over a few pooled connections', async () => {
    const { orderId } = await paidCourierOrder('fay@example.ru');
    const backlog = 45;
    await owePaid(
      Array.from({ length: backlog }, () => orderId),
      'backlog',
    );
    const events: string[] = [];
    const connectionsBefore = counted.connections;
    // An interval far longer than the test: only the round that runs at start does anything.
    const running = startOutboxSender(sender, 60_000, (event) => void events.push(event));
    await expect.poll(() => events, { timeout: 20_000 }).toContain('mail.sent');
    await running.stop();
    expect((await owed(orderId)).filter((row) => row.status === 'pending')).toEqual([]);
    expect(received.filter((mail) => mail.to === 'fay@example.ru')).toHaveLength(backlog);
    // Pooled: not a connection (and its greeting, TLS and login) per e-mail, but at most one for
    // each e-mail sent at once.
    expect(counted.connections - connectionsBefore).toBeLessThanOrEqual(SEND_CONCURRENCY);
  });

  it("the demo's catcher keeps the composed e-mail with its order instead of sending it", async () => {
    const { orderId, attemptId } = await paidCourierOrder('dina@example.ru');
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
    const theirs = await paidCourierOrder('elena@example.ru');
    const mine = await paidCourierOrder('elena@example.ru');
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

  it('e-mails of several orders go out at once: ten to a server taking 250 ms for each take about two of those rounds, not ten', async () => {
    const orders = await Promise.all(Array.from({ length: 10 }, (_, i) => paidCourierOrder(`slow-${i}@example.ru`)));
    await owePaid(
      orders.map((order) => order.orderId),
      'slow',
    );
    const slow = await slowServer(() => 250);
    try {
      const started = performance.now();
      expect(await drainOutbox({ ...sender, transport: slow.transport })).toBe(orders.length);
      const tookMs = performance.now() - started;
      expect(slow.received).toHaveLength(orders.length);
      expect(slow.mostAtOnce).toBeLessThanOrEqual(SEND_CONCURRENCY);
      // One after another: 2 500 ms at least. Five at once: 500 ms and what sending costs.
      expect(tookMs).toBeLessThan(1500);
    } finally {
      await slow.close();
    }
  });

  it('SMTP_MAX_CONNECTIONS=2: no more than two connections, and no more than two e-mails at once', async () => {
    const owe = async (tag: string) => {
      const orders = await Promise.all(Array.from({ length: 4 }, (_, i) => paidCourierOrder(`${tag}-${i}@example.ru`)));
      await owePaid(
        orders.map((order) => order.orderId),
        tag,
      );
    };
    // The transport's pool: five senders at once, two connections.
    await owe('pool');
    const pooled = await slowServer(() => 200, 2);
    try {
      expect(await drainOutbox({ ...sender, transport: pooled.transport })).toBe(4);
      expect(pooled.connections).toBeLessThanOrEqual(2);
      expect(pooled.mostAtOnce).toBeLessThanOrEqual(2);
    } finally {
      await pooled.close();
    }
    // The senders: two at once, over a pool that would take five.
    await owe('senders');
    const wide = await slowServer(() => 200);
    try {
      expect(await drainOutbox({ ...sender, transport: wide.transport, concurrency: 2 })).toBe(4);
      expect(wide.mostAtOnce).toBe(2);
    } finally {
      await wide.close();
    }
  });

  it("one order's e-mails go out in the order owed, though the first one takes longer", async () => {
    const { orderId } = await paidCourierOrder('hal@example.ru');
    const now = Date.now();
    await db
      .insertInto('mail_outbox')
      .values([
        { event_key: `paid:${orderId}:again`, order_id: orderId, kind: 'paid' as const, language: null, created_at: now, next_at: now },
        {
          event_key: `refund:${orderId}:again`,
          order_id: orderId,
          kind: 'refunded' as const,
          language: null,
          created_at: now,
          next_at: now,
          refund_amount: 10_000,
          remaining_amount: 0,
        },
      ])
      .execute();
    // The "paid" e-mail is answered 300 ms late: sent beside it, the refund's would arrive first.
    const slow = await slowServer((subject) => (subject.includes('оплачен') ? 300 : 0));
    try {
      expect(await drainOutbox({ ...sender, transport: slow.transport })).toBe(2);
      expect(slow.received.map((mail) => mail.subject)).toEqual([
        expect.stringContaining('оплачен'),
        expect.stringContaining('возвращены'),
      ]);
    } finally {
      await slow.close();
    }
  });

  it('an SMTP server that accepts and never answers: the round ends within the timeouts, the e-mail stays owed', async () => {
    const { orderId, attemptId } = await paidCourierOrder('gus@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    // Takes the connection and says nothing: no greeting, ever.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const hung = smtpTransport(`smtp://127.0.0.1:${port}`, { connectionTimeout: 300, greetingTimeout: 300, socketTimeout: 300 });
    try {
      const started = performance.now();
      expect(await drainOutbox({ ...sender, transport: hung })).toBe(0);
      expect(performance.now() - started).toBeLessThan(3000);
      expect((await owed(orderId))[0]).toMatchObject({
        status: 'pending',
        tries: 1,
        last_error: expect.stringMatching(/greeting|timeout/i),
      });
    } finally {
      hung.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

/**
 * An SMTP server that answers each message after `delayMs(subject)`, counting how many it has at
 * once and the connections made to it; reached through a pool of `maxConnections`.
 */
async function slowServer(delayMs: (subject: string) => number, maxConnections?: number) {
  const received: { subject: string }[] = [];
  let atOnce = 0;
  let mostAtOnce = 0;
  const { server: slow, counted } = countingSmtpServer((stream, _session, callback) => {
    atOnce += 1;
    mostAtOnce = Math.max(mostAtOnce, atOnce);
    void simpleParser(stream).then((mail) => {
      const subject = mail.subject ?? '';
      setTimeout(() => {
        atOnce -= 1;
        received.push({ subject });
        callback();
      }, delayMs(subject));
    }, callback);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const { port } = slow.server.address() as { port: number };
  const transport = smtpTransport(`smtp://127.0.0.1:${port}`, SMTP_TIMEOUTS, maxConnections);
  return {
    transport,
    received,
    get mostAtOnce() {
      return mostAtOnce;
    },
    get connections() {
      return counted.connections;
    },
    async close() {
      transport.close();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    },
  };
}

/** An SMTP server of these tests (no TLS, no login) taking messages with `onData`, counting the connections made to it. */
function countingSmtpServer(onData: NonNullable<SMTPServerOptions['onData']>) {
  const counted = { connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect(_session, callback) {
      counted.connections += 1;
      callback();
    },
    onData,
  });
  return { server, counted };
}
