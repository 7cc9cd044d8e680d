// What the mail outbox's tests share: paid orders and owed e-mails, and SMTP servers of their own
// (smtp-server, in the test process) that count their connections.
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Db } from '../../lib/db/database';
import { smtpTransport } from '../../lib/mail/outbox-sender';
import type { ShopContext } from '../../lib/payments/context';
import { latestAttempt } from '../../lib/payments/orders';
import { placeOrder } from '../../lib/shop/checkout';
import { payWithMirPay } from './phone';

/** An order for courier delivery, paid by Mir Pay at the sandbox (its e-mail not yet owed: no sync has seen it). */
export async function paidCourierOrder(deps: ShopContext, email: string) {
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
  const attempt = (await latestAttempt(deps.db, placed.orderId))!;
  return { orderId: placed.orderId, attemptId: attempt.id };
}

/** Owes a "paid" e-mail, due now, for each order id given (an id given again owes one more). */
export async function owePaid(db: Db, orderIds: readonly string[], tag: string): Promise<void> {
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

/** The outbox's rows of an order. */
export function owedRows(db: Db, orderId: string) {
  return db.selectFrom('mail_outbox').selectAll().where('order_id', '=', orderId).execute();
}

/** An SMTP server of these tests (no TLS, no login) taking messages with `onData`, counting the connections made to it. */
export function countingSmtpServer(onData: NonNullable<SMTPServerOptions['onData']>) {
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

export type SlowServer = Awaited<ReturnType<typeof slowServer>>;

/**
 * An SMTP server that answers each message after `delayMs(subject)`, keeping its recipients and
 * subject, counting how many it has at once and the connections made to it; reached through a
 * pool of `maxConnections`.
 */
export async function slowServer(delayMs: (subject: string) => number, maxConnections?: number) {
  const received: { to: string; subject: string }[] = [];
  let atOnce = 0;
  let mostAtOnce = 0;
  const { server: slow, counted } = countingSmtpServer((stream, session, callback) => {
    atOnce += 1;
    mostAtOnce = Math.max(mostAtOnce, atOnce);
    const to = session.envelope.rcptTo.map((r) => r.address).join(',');
    void simpleParser(stream).then((mail) => {
      const subject = mail.subject ?? '';
      setTimeout(() => {
        atOnce -= 1;
        received.push({ to, subject });
        callback();
      }, delayMs(subject));
    }, callback);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const { port } = slow.server.address() as { port: number };
  const transport = smtpTransport(`smtp://127.0.0.1:${port}`, { maxConnections });
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
