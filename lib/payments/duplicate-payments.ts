// One order, one payment. An order can have several attempts at the bank (a new one after a
// decline, one set aside when its formUrl could not be used), and each is a payable order there
// until it is closed. The shop closes every attempt it sets aside (lib/payments/sync.ts,
// register.ts); if the bank secures two anyway (an old payment page paid at the last
// second), this gives the extra money back itself: exactly once (a merchant operation with a key
// of its own, recorded before its gateway call), with the reason in the timeline, and the console
// shows the order as an alert until it is done.
//
// Which one is kept (./kept-payment.ts): a paid attempt over a hold, then the highest-numbered. Every sync
// that finds an attempt secured decides the same way on the same rows, so two syncs racing each
// other give back the same attempt, and its operation key makes that once; and no attempt is
// claimed for a deposit while another one is being deposited or paid (orders.ts claimDeposit).
import { raiseAlert } from '../alerts/alerts';
import type { ShopContext } from './context';
import { keptOf, securedAttempts } from './kept-payment';
import { runMerchantAction } from './merchant-operations';
import type { Attempt, Order } from './orders';
import { readAttempt } from './status-read';

export const DUPLICATE_REASON = 'duplicate payment';

/** The operation key of an attempt's give-back: one per attempt and kind, whoever triggers it. */
export function giveBackKey(attempt: Pick<Attempt, 'id'>, kind: 'cancel' | 'refund'): string {
  return `duplicate-${attempt.id}-${kind}`;
}

/**
 * Gives back every secured attempt of the order but the kept one. True when `attemptId` is one
 * of those extras: its sync must not go on to deposit it.
 */
export async function settleDuplicates(ctx: ShopContext, order: Order, attemptId: number): Promise<boolean> {
  // Decide on the bank's truth for every attempt, not only the one just read: a hold on an old
  // page must not be deposited while the new page was paid too and we have not read it yet.
  const open = await ctx.db
    .selectFrom('payment_attempts')
    .select('id')
    .where('order_id', '=', order.id)
    .where('id', '!=', attemptId)
    .where('gateway_order_id', 'is not', null)
    .where('state', 'in', ['awaiting', 'declined', 'unknown'])
    .execute();
  for (const other of open) {
    const synced = await readAttempt(ctx, other.id, 'duplicate').catch(() => undefined);
    // Still payable at the bank while this order is paid for: closed there, so it stays that way.
    if (synced?.gateway_order_id && (synced.state === 'awaiting' || synced.state === 'declined')) {
      await ctx.gateway.decline({ orderId: synced.gateway_order_id }, { orderId: order.id }).catch(() => undefined);
      await readAttempt(ctx, other.id, 'duplicate').catch(() => undefined);
    }
  }
  const secured = await securedAttempts(ctx.db, order.id);
  if (secured.length < 2) return false;
  const kept = keptOf(secured);
  for (const extra of secured.filter((attempt) => attempt.id !== kept.id)) {
    // A deposit in flight is settled by re-reading first; the sync that does so comes back here.
    if (extra.state === 'depositing') continue;
    await raiseAlert(ctx, {
      kind: 'paid-twice',
      key: `${order.id}:${extra.attempt_no}`,
      orderId: order.id,
      details: { reason: DUPLICATE_REASON, extraAttempt: extra.attempt_no, keptAttempt: kept.attempt_no },
    });
    const on = { attemptId: extra.id, reason: `${DUPLICATE_REASON}: attempt ${kept.attempt_no} kept`, trigger: 'duplicate' } as const;
    if (extra.state === 'approved') {
      await runMerchantAction(ctx, order.id, { kind: 'cancel' }, giveBackKey(extra, 'cancel'), on);
    } else {
      const remaining = (extra.deposited_amount ?? 0) - (extra.refunded_amount ?? 0);
      if (remaining > 0) await runMerchantAction(ctx, order.id, { kind: 'refund', amount: remaining }, giveBackKey(extra, 'refund'), on);
    }
  }
  return kept.id !== attemptId && secured.some((attempt) => attempt.id === attemptId);
}
