// How the outbox sends, through SMTP servers of the test's own (smtp-server): the background
// sender sends a backlog in one round over a few pooled connections, several orders' e-mails at
// once (one order's in the order owed, SMTP_MAX_CONNECTIONS at most), and a server that never
// answers costs a round its timeouts, not minutes.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { DEFAULT_SMTP_CONNECTIONS } from '../../lib/env';
import { drainOutbox, smtpTransport, startOutboxSender, type MailSender } from '../../lib/mail/outbox-sender';
import { syncAttempt } from '../../lib/payments/sync';
import { owedRows, owePaid, paidCourierOrder } from '../helpers/mail-outbox';
import { slowServer, type SlowServer } from '../helpers/smtp-servers';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
let db: Db;
let deps: ShopHarness['deps'];
beforeAll(() => void ({ db, deps } = shop));

/** The server the tests' `sender` sends to, answering at once. */
let mailServer: SlowServer;
let sender: MailSender;
beforeAll(async () => {
  mailServer = await slowServer(() => 0);
  sender = { db, transport: mailServer.transport, from: 'Кофе и чай <shop@example.ru>', appUrl: 'http://shop.test' };
});
afterAll(() => mailServer.close());

describe('sending the outbox', () => {
  it('a backlog larger than a batch goes out in one round of the background sender, over a few pooled connections', async () => {
    const { orderId } = await paidCourierOrder(deps, 'fay@example.ru');
    const backlog = 45;
    await owePaid(
      db,
      Array.from({ length: backlog }, () => orderId),
      'backlog',
    );
    const events: string[] = [];
    const connectionsBefore = mailServer.connections;
    // An interval far longer than the test: only the round that runs at start does anything.
    const running = startOutboxSender(sender, 60_000, (event) => void events.push(event));
    await expect.poll(() => events, { timeout: 20_000 }).toContain('mail.sent');
    await running.stop();
    expect((await owedRows(db, orderId)).filter((row) => row.status === 'pending')).toEqual([]);
    expect(mailServer.received.filter((mail) => mail.to === 'fay@example.ru')).toHaveLength(backlog);
    // Pooled: not a connection (and its greeting, TLS and login) per e-mail, but at most one for
    // each e-mail sent at once.
    expect(mailServer.connections - connectionsBefore).toBeLessThanOrEqual(DEFAULT_SMTP_CONNECTIONS);
  });

  it('e-mails of several orders go out at once: ten to a server taking 250 ms for each take about two of those rounds, not ten', async () => {
    const orders = await Promise.all(Array.from({ length: 10 }, (_, i) => paidCourierOrder(deps, `slow-${i}@example.ru`)));
    await owePaid(
      db,
      orders.map((order) => order.orderId),
      'slow',
    );
    const slow = await slowServer(() => 250);
    try {
      const started = performance.now();
      expect(await drainOutbox({ ...sender, transport: slow.transport })).toBe(orders.length);
      const tookMs = performance.now() - started;
      expect(slow.received).toHaveLength(orders.length);
      expect(slow.mostAtOnce).toBeLessThanOrEqual(DEFAULT_SMTP_CONNECTIONS);
      // One after another: 2 500 ms at least. Five at once: 500 ms and what sending costs.
      expect(tookMs).toBeLessThan(1500);
    } finally {
      await slow.close();
    }
  });

  it('SMTP_MAX_CONNECTIONS=2: no more than two connections, and no more than two e-mails at once', async () => {
    const owe = async (tag: string) => {
      const orders = await Promise.all(Array.from({ length: 4 }, (_, i) => paidCourierOrder(deps, `${tag}-${i}@example.ru`)));
      await owePaid(
        db,
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
    const { orderId } = await paidCourierOrder(deps, 'hal@example.ru');
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
    const { orderId, attemptId } = await paidCourierOrder(deps, 'gus@example.ru');
    await syncAttempt(deps, attemptId, 'return');
    // Takes the connection and says nothing: no greeting, ever.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const hung = smtpTransport(`smtp://127.0.0.1:${port}`, {
      timeouts: { connectionTimeout: 300, greetingTimeout: 300, socketTimeout: 300 },
    });
    try {
      const started = performance.now();
      expect(await drainOutbox({ ...sender, transport: hung })).toBe(0);
      expect(performance.now() - started).toBeLessThan(3000);
      expect((await owedRows(db, orderId))[0]).toMatchObject({
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
