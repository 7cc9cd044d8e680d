// The shopper's e-mails a payment's move owes, written in the move's own transaction
// (./orders.ts, moveAttempt) into the outbox that lib/mail sends from: once per event, however
// often a sync sees it.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database';
import type { MailOutboxTable, PaymentAttemptsTable } from '../db/schema';

type Attempt = Selectable<PaymentAttemptsTable>;

/** Once per order: its first payment; a second sighting writes nothing. */
export async function owePaidMail(db: Db, attempt: Pick<Attempt, 'order_id'>, now: number): Promise<void> {
  await oweMail(db, { event_key: `paid:${attempt.order_id}`, order_id: attempt.order_id, kind: 'paid' }, now);
}

/**
 * Once per refund: owed when the refunded total rose (a sync that sees the same total again owes
 * nothing). The first refund keeps the key refund e-mails always had, so that one owed before
 * the later refunds counted is never owed twice; each later one is keyed by its new total.
 */
export async function oweRefundMail(db: Db, moved: Attempt, refundedBefore: number, now: number): Promise<void> {
  const refunded = moved.refunded_amount ?? 0;
  if (moved.state !== 'refunded' || refunded <= refundedBefore) return;
  const paid = moved.deposited_amount ?? refunded;
  await oweMail(
    db,
    {
      event_key: refundedBefore === 0 ? `refunded:${moved.id}` : `refunded:${moved.id}:${refunded}`,
      order_id: moved.order_id,
      kind: 'refunded',
      refund_amount: refunded - refundedBefore,
      remaining_amount: Math.max(0, paid - refunded),
    },
    now,
  );
}

type OwedMail = Pick<Insertable<MailOutboxTable>, 'event_key' | 'order_id' | 'kind' | 'refund_amount' | 'remaining_amount'>;

/** The row is unique per event: however often the event is seen, it is written once. */
async function oweMail(db: Db, mail: OwedMail, now: number): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({ ...mail, created_at: now, next_at: now, sent_at: null, last_error: null })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .execute();
}
