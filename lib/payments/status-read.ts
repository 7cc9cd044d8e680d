// Reading the bank's status of one attempt into our record, and the deposit it may lead to: the
// steps every sync is made of (./sync.ts). Alone, without giving back a duplicate payment, it is
// what a money operation reads around its own call (./merchant-operations.ts) and what the
// give-back reads of an order's other attempts (./duplicate-payments.ts): those reads never start
// another operation. Status and amounts come only from getOrderStatusExtended.
import { isGatewayError } from '../gateway/errors';
import { stateFromStatus } from '../gateway/status-mapping';
import { raiseAlert } from '../alerts/alerts';
import type { ShopContext } from './context';
import { claimDeposit, findAttempt, findOrder, isSetAside, moveAttempt, reclaimStaleDeposit, type Attempt, type Order } from './orders';
import { captureMode } from './settings';
import { isFinal } from './states';
import { SYNC_POLICY, type SyncPolicy, type Trigger } from './triggers';

export type Loaded = { attempt: Attempt; order?: Order };

/** Status, deposit when due, status again: a sync without the give-back of a duplicate payment. */
export async function readAttempt(ctx: ShopContext, attemptId: number, trigger: Trigger, loaded?: Loaded): Promise<Attempt> {
  const policy = SYNC_POLICY[trigger];
  const found = await loadAttempt(ctx, attemptId, loaded);
  if (!found.order || !readable(policy, found.attempt)) return found.attempt;
  return depositIfDue(ctx, policy, found.order, await readAndApply(ctx, policy, found.order, found.attempt));
}

/** The attempt and its order, as the caller passed them or read afresh. */
export async function loadAttempt(
  ctx: ShopContext,
  attemptId: number,
  loaded?: Loaded,
): Promise<{ attempt: Attempt; order: Order | undefined }> {
  const attempt = loaded?.attempt ?? (await findAttempt(ctx.db, attemptId));
  if (!attempt) throw new Error(`payment attempt ${attemptId} not found`);
  return { attempt, order: loaded?.order ?? (await findOrder(ctx.db, attempt.order_id)) };
}

/** Registered at the bank, and in a state this trigger reads (final ones only when it asks to). */
export function readable(policy: SyncPolicy, attempt: Attempt): boolean {
  if (attempt.gateway_order_id === null) return false;
  if (!isFinal(attempt.state) || policy.reread === 'any') return true;
  return policy.reread === 'open-or-paid' && attempt.state === 'paid';
}

/**
 * Two-stage: an approved hold is deposited when the trigger's policy and the merchant's capture
 * setting say so, by exactly one caller; a claimed deposit the bank never saw is sent again by the
 * reconciler only. Then the status is read again. The attempt afterwards.
 */
export async function depositIfDue(ctx: ShopContext, policy: SyncPolicy, order: Order, read: Attempt): Promise<Attempt> {
  const { clock: now, log } = ctx;
  let current = read;
  if (order.flow !== 'two-stage') return current;
  if (current.state === 'depositing') {
    // A claimed deposit (the shop's or the merchant's capture) the bank has not seen yet.
    const stale = policy.redeposit && (await reclaimStaleDeposit(ctx.db, current, now(), ctx.inFlightMs));
    if (!stale) return current;
    log('payment.redeposit', { orderId: order.id, claimedAt: current.updated_at });
  } else if (current.state === 'approved') {
    if (policy.deposit !== 'as-set' || (await captureMode(ctx.db)) !== 'on-return') return current;
    // Exactly one caller wins this conditional update and sends deposit.do.
    const claimed = await claimDeposit(ctx.db, current, {}, { at: now(), cause: policy.cause });
    if (!claimed) return (await findAttempt(ctx.db, current.id))!;
    current = claimed;
  } else {
    return current;
  }
  try {
    await ctx.gateway.deposit(
      { orderId: current.gateway_order_id!, amount: current.capture_amount ?? order.amount },
      { orderId: order.id },
    );
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    // Unknown outcome or refused: never a blind second deposit. The status read below (or a later
    // sync) tells whether the money moved; a stuck "depositing" is settled by re-reading.
    log('payment.deposit_failed', { orderId: order.id, error: error.message, outcomeUnknown: error.outcomeUnknown }, 'warn');
  }
  // deposit.do does not return the status; read it again.
  const deposited = current;
  return readAndApply(ctx, policy, order, deposited).catch(async (error: unknown) => {
    if (!isGatewayError(error)) throw error;
    return (await findAttempt(ctx.db, deposited.id))!;
  });
}

/** Reads the status and moves the attempt to match; the attempt afterwards. */
export async function readAndApply(ctx: ShopContext, policy: SyncPolicy, order: Order, attempt: Attempt): Promise<Attempt> {
  const { clock: now } = ctx;
  // synced_at is when this read began, not when it ended: a callback that arrives while the read
  // is in flight may announce what it did not see, and must still get a sync of its own.
  const readStartedAt = now();
  const call = { orderId: order.id, ...(policy.statusRead === 'quick' ? { deadlineMs: ctx.shopperReadMs } : {}) };
  const read = () => ctx.gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! }, call);
  let status = await read();
  if (status.orderNumber !== attempt.order_number) {
    await raiseAlert(ctx, {
      kind: 'status-unknown',
      key: `${attempt.id}:order-number`,
      orderId: order.id,
      details: { reason: 'orderNumber differs', attempt: attempt.order_number },
    });
    return attempt;
  }
  const expected = { amount: order.amount, currency: order.currency, captured: attempt.capture_amount };
  let view = stateFromStatus(status, expected);
  if (status.orderStatus === 0 && (await isSetAside(ctx.db, attempt))) {
    // Still payable at the bank, but not the attempt the shopper was sent to pay: closed there, so
    // that an order can never be paid twice (lib/payments/duplicate-payments.ts). Too late means it
    // was paid meanwhile; the second read says so.
    await ctx.gateway.decline({ orderId: attempt.gateway_order_id! }, { orderId: order.id }).catch(() => undefined);
    status = await read();
    view = stateFromStatus(status, expected);
  }
  if (view.state === 'mismatch' || view.state === 'unknown') {
    await raiseAlert(ctx, {
      kind: view.state === 'mismatch' ? 'amount-mismatch' : 'status-unknown',
      key: `${attempt.id}`,
      orderId: order.id,
      details: { orderStatus: status.orderStatus, ...view },
    });
  }
  // A depositing attempt whose hold is still approved stays depositing: only re-reading settles it.
  const target = attempt.state === 'depositing' && view.state === 'approved' ? 'depositing' : view.state;
  const moved = await moveAttempt(
    ctx.db,
    attempt,
    target,
    {
      action_code: view.actionCode,
      approved_amount: view.approvedAmount,
      deposited_amount: view.depositedAmount,
      refunded_amount: view.refundedAmount,
      synced_at: readStartedAt,
    },
    { at: now(), cause: policy.cause },
  );
  // Not moved: another sync changed the attempt meanwhile (or the move is not allowed); theirs stands.
  return moved ?? (await findAttempt(ctx.db, attempt.id))!;
}
