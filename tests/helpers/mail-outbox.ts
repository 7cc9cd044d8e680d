// What the mail outbox's tests share: paid orders and owed e-mails (their SMTP servers: ./smtp-servers.ts).
import type { Db } from '../../lib/db/database';
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
