// The demo's mailbox: with the sandbox on and no SMTP_URL, the outbox "sends" here. nodemailer
// composes each message exactly as it would for SMTP (its stream transport); the catcher keeps it
// with its order, so the shopper sees their own e-mails from the order page and the merchant all
// (an e-mail about no order, "find my orders", is kept with none: the merchant's alone).
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { Db } from '../db/database';
import { ORDER_HEADER, type MailSender } from './outbox-sender';

export type CaughtMail = {
  id: number;
  order_id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string;
  caught_at: number;
};

export function catcherTransport(db: Db, clock: () => number = Date.now): MailSender['transport'] {
  const composer = createTransport({ streamTransport: true, buffer: true });
  return {
    async sendMail(options: SendMailOptions) {
      const composed = await composer.sendMail(options);
      const headers = (options.headers ?? {}) as Record<string, string>;
      await db
        .insertInto('mail_catcher')
        .values({
          order_id: headers[ORDER_HEADER] ?? '',
          to_address: String(options.to ?? ''),
          subject: String(options.subject ?? ''),
          text: String(options.text ?? ''),
          html: String(options.html ?? ''),
          raw: (composed.message as Buffer).toString('utf8'),
          caught_at: clock(),
        })
        .execute();
      return composed;
    },
  };
}

const columns = ['id', 'order_id', 'to_address', 'subject', 'text', 'html', 'caught_at'] as const;

/** The e-mails of one order, oldest first (the shopper's order page links here). */
export async function caughtForOrder(db: Db, orderId: string): Promise<CaughtMail[]> {
  const rows = await db.selectFrom('mail_catcher').select(columns).where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map(numbers);
}

/**
 * The newest e-mails of every order, for the merchant console, each with its order's language
 * (the language it is written in: the console marks it so, inside a page of its own language).
 */
export async function latestCaught(db: Db, limit = 50): Promise<(CaughtMail & { language: string | null })[]> {
  const rows = await db
    .selectFrom('mail_catcher as m')
    .leftJoin('orders as o', 'o.id', 'm.order_id')
    .select(columns.map((column) => `m.${column}` as const))
    .select('o.language')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(numbers);
}

function numbers<T extends { caught_at: number | string }>(row: T): T & { caught_at: number } {
  return { ...row, caught_at: Number(row.caught_at) };
}
