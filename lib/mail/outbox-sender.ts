// Sends what the outbox owes (lib/payments/orders.ts writes a row in the same transaction as the
// payment's move; lib/shop/find-orders.ts one per "find my orders"). A row is claimed by moving its
// next_at past a lease before sending, so two instances never send it both; after a failure it is
// tried again later, and given up (status "failed", seen in the console's data) after MAX_TRIES.
// Never on a shopper's request path.
import { createTransport, type Transporter } from 'nodemailer';
import type { Db } from '../db/database';
import { DEFAULT_SMTP_CONNECTIONS } from '../env';
import type { EventLog } from '../log/logger';
import { startPeriodic, type Periodic } from '../jobs/periodic';
import { findOrder } from '../payments/orders';
import { ordersOfAddress } from '../shop/orders-of-address';
import { orderMail, type RefundEvent } from './order-mail';
import { ordersListMail } from './orders-list-mail';

export const MAX_TRIES = 8;
/**
 * Ties an order's message to its order for the demo's catcher (the order's link in the body holds
 * the id anyway). The "find my orders" e-mail has none: it is about an address, not an order.
 */
export const ORDER_HEADER = 'X-Shop-Order';
/** Long enough for one SMTP exchange; a claim older than this is taken as a crashed sender's. */
const LEASE_MS = 60_000;
const backoffMs = (tries: number) => Math.min(30 * 60_000, 15_000 * 2 ** tries);

/** `concurrency`: e-mails sent at once (DEFAULT_SMTP_CONNECTIONS unless said): no more than the transport's connections. */
export type MailSender = {
  db: Db;
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
  appUrl: string;
  clock?: () => number;
  concurrency?: number;
};

/**
 * How long an SMTP server may keep the sender waiting: to connect, to greet, and silent mid-way.
 * nodemailer's own (2 min, 30 s, 10 min) would let one hung server hold a round, and the server's
 * shutdown, which waits for the round, for minutes; a message that times out is tried again later.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * SMTP_URL's server, over pooled connections: a connection of its own for each e-mail (TCP, TLS,
 * login: several round trips before the message) would cap how many go out a second whatever the
 * batch. A connection the server drops while idle is opened again for the next message. close()
 * when the server stops. `maxConnections`: SMTP_MAX_CONNECTIONS (lib/env.ts).
 */
export function smtpTransport(
  smtpUrl: string,
  {
    timeouts = SMTP_TIMEOUTS,
    maxConnections = DEFAULT_SMTP_CONNECTIONS,
  }: { timeouts?: typeof SMTP_TIMEOUTS; maxConnections?: number } = {},
): Transporter {
  return createTransport({ url: smtpUrl, pool: true, maxConnections, ...timeouts });
}

/** Rows claimed at a time: a round sends batch after batch until the outbox is caught up. */
const BATCH = 20;

/** Sends up to `limit` due rows once; returns how many went out. */
export async function drainOutbox(sender: MailSender, limit = BATCH): Promise<number> {
  return (await drainBatch(sender, limit)).sent;
}

/**
 * Sends batch after batch until one finds fewer than a batch due (the outbox is caught up) or
 * `budgetMs` has passed, so that stopping the server never waits long on a backlog. One batch a
 * round, 20 every 5 s, sent at most 4 e-mails a second: a shop paid for faster than that fell
 * further behind with every order.
 */
export async function drainDue(sender: MailSender, budgetMs: number, limit = BATCH): Promise<number> {
  const started = performance.now();
  let sent = 0;
  for (;;) {
    const batch = await drainBatch(sender, limit);
    sent += batch.sent;
    if (batch.due < limit || performance.now() - started >= budgetMs) return sent;
  }
}

async function drainBatch(sender: MailSender, limit: number): Promise<{ due: number; sent: number }> {
  const now = sender.clock ?? Date.now;
  const due = await sender.db
    .selectFrom('mail_outbox')
    .select(['id', 'order_id', 'next_at'])
    .where('status', '=', 'pending')
    .where('next_at', '<=', now())
    .orderBy('next_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  // `concurrency` orders' e-mails at a time, each over a pooled connection of its own (sent one
  // after another, each e-mail waited for the server's answer to the one before, several round
  // trips). One order's e-mails still go one after another, in the order owed: the shopper reads
  // "paid" before "refunded".
  const byOrder = new Map<string, typeof due>();
  for (const row of due) {
    const rows = byOrder.get(row.order_id);
    if (rows) rows.push(row);
    else byOrder.set(row.order_id, [row]);
  }
  const queue = [...byOrder.values()];
  let sent = 0;
  const worker = async () => {
    for (let rows = queue.shift(); rows; rows = queue.shift()) for (const row of rows) if (await sendRow(sender, row)) sent += 1;
  };
  // All of them finished before the round ends, even when one failed (the database, say): none
  // goes on sending behind a round that is over, or a shutdown that waits for it.
  const workers = await Promise.allSettled(
    Array.from({ length: Math.min(sender.concurrency ?? DEFAULT_SMTP_CONNECTIONS, queue.length) }, worker),
  );
  const failed = workers.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return { due: due.length, sent };
}

/** Claims one due row and sends its e-mail; false when another sender had it or sending failed (tried again later). */
async function sendRow(sender: MailSender, row: { id: number; next_at: number }): Promise<boolean> {
  const now = sender.clock ?? Date.now;
  const claimed = await sender.db
    .updateTable('mail_outbox')
    .set({ next_at: now() + LEASE_MS })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('next_at', '=', row.next_at)
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return false;
  try {
    const order = await findOrder(sender.db, claimed.order_id);
    if (!order) throw new Error(`no order ${claimed.order_id}`);
    if (claimed.kind === 'orders-list') {
      // Filed under no order: the demo's catcher would show it on that order's e-mails page, and
      // anyone who had placed an order with someone's address could read their links there.
      const list = ordersListMail(
        await ordersOfAddress(sender.db, order.customer_email),
        claimed.language,
        sender.appUrl,
        order.customer_email,
      );
      await sender.transport.sendMail({ from: sender.from, ...list });
    } else {
      const mail = orderMail(order, claimed.kind, sender.appUrl, refundOf(claimed));
      await sender.transport.sendMail({ from: sender.from, ...mail, headers: { [ORDER_HEADER]: order.id } });
    }
    await sender.db.updateTable('mail_outbox').set({ status: 'sent', sent_at: now(), last_error: null }).where('id', '=', row.id).execute();
    return true;
  } catch (error) {
    const tries = claimed.tries + 1;
    await sender.db
      .updateTable('mail_outbox')
      .set({
        tries,
        status: tries >= MAX_TRIES ? 'failed' : 'pending',
        next_at: now() + backoffMs(tries),
        last_error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      })
      .where('id', '=', row.id)
      .execute();
    return false;
  }
}

function refundOf(row: { refund_amount: number | null; remaining_amount: number | null }): RefundEvent | undefined {
  return row.refund_amount === null || row.remaining_amount === null
    ? undefined
    : { amount: row.refund_amount, remaining: row.remaining_amount };
}

/**
 * Drains the outbox every `intervalMs` in the background (lib/jobs/periodic.ts), each round until
 * it is caught up or for at most about one interval.
 */
export function startOutboxSender(sender: MailSender, intervalMs: number, log: EventLog): Periodic {
  return startPeriodic(
    'mail.outbox',
    async () => {
      const sent = await drainDue(sender, intervalMs);
      if (sent > 0) log('mail.sent', { count: sent });
    },
    intervalMs,
    log,
  );
}
