// The one idempotent function that brings a payment attempt in line with the gateway (status,
// deposit, status again). Every trigger calls it, saying who it is (./sync-triggers.ts): the
// return route, status polling, callbacks, the reconciler, the merchant. Status and amounts come
// only from getOrderStatusExtended.
import type { Db } from '../db/database';
import { isGatewayError } from '../gateway/errors';
import { claimDeposit, findAttempt, findOrder, isSetAside, moveAttempt, reclaimStaleDeposit, type Attempt, type Order } from './orders';
import { settleDuplicates } from './duplicate-payments';
import { stateFromStatus } from '../gateway/status-mapping';
import { isFinal, isSecured } from './payment-state';
import { captureMode } from './settings';
import type { ShopContext } from './context';
import { SYNC_POLICY, type SyncPolicy, type Trigger } from './sync-triggers';


/**
 * `loaded`: the attempt (and order) the caller has just read, saving a second read. Every write
 * below is conditional on the state the attempt was seen in, so a stale copy cannot do harm: a move
 * that finds the state changed re-reads the attempt.
 */
export function syncAttempt(ctx: ShopContext, attemptId: number, trigger: Trigger, loaded?: { attempt: Attempt; order?: Order }): Promise<Attempt> {
  // Known to this process while it runs: a return that finds the sync taken waits for its result.
  const running = syncAttemptInner(ctx, attemptId, SYNC_POLICY[trigger], loaded);
  const inFlight = inFlightOf(ctx.db);
  inFlight.set(attemptId, running);
  const forget = () => {
    if (inFlight.get(attemptId) === running) inFlight.delete(attemptId);
  };
  running.then(forget, forget);
  return running;
}

const inFlightByDb = new WeakMap<Db, Map<number, Promise<Attempt>>>();

function inFlightOf(db: Db): Map<number, Promise<Attempt>> {
  let map = inFlightByDb.get(db);
  if (!map) inFlightByDb.set(db, (map = new Map()));
  return map;
}

/** The sync of this attempt running in this process right now, if any. */
export function syncInFlight(db: Db, attemptId: number): Promise<Attempt> | undefined {
  return inFlightByDb.get(db)?.get(attemptId);
}

async function syncAttemptInner(ctx: ShopContext, attemptId: number, policy: SyncPolicy, loaded?: { attempt: Attempt; order?: Order }): Promise<Attempt> {
  const { clock: now, log } = ctx;
  const attempt = loaded?.attempt ?? (await findAttempt(ctx.db, attemptId));
  if (!attempt) throw new Error(`payment attempt ${attemptId} not found`);
  const order = loaded?.order ?? (await findOrder(ctx.db, attempt.order_id));
  if (!order || attempt.gateway_order_id === null || !rereads(policy, attempt)) return attempt;

  // The bank's status.
  let current = await readAndApply(ctx, policy, order, attempt);
  // One order, one payment: an extra secured attempt is given back, never deposited.
  if (policy.settleDuplicates && isSecured(current.state) && (await settleDuplicates(ctx, order, current.id))) {
    return (await findAttempt(ctx.db, attemptId))!;
  }
  if (order.flow !== 'two-stage') return current;
  if (current.state === 'depositing') {
    // A claimed deposit (the shop's or the merchant's capture) the bank has not seen yet.
    const stale = policy.redeposit && (await reclaimStaleDeposit(ctx.db, current, now(), ctx.inFlightMs));
    if (!stale) return current;
    log(JSON.stringify({ event: 'payment.redeposit', orderId: order.id, claimedAt: current.updated_at }));
  } else if (current.state === 'approved') {
    if (policy.deposit === 'never' || (await captureMode(ctx.db)) !== 'on-return') return current;
    // Exactly one caller wins this conditional update and sends deposit.do.
    const claimed = await claimDeposit(ctx.db, current, {}, { at: now(), cause: policy.cause });
    if (!claimed) return (await findAttempt(ctx.db, attemptId))!;
    current = claimed;
  } else {
    return current;
  }
  try {
    await ctx.gateway.deposit({ orderId: current.gateway_order_id!, amount: current.capture_amount ?? order.amount }, { orderId: order.id });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    // Unknown outcome or refused: never a blind second deposit. The status read below (or a later
    // sync) tells whether the money moved; a stuck "depositing" is settled by re-reading.
    log(JSON.stringify({ event: 'payment.deposit_failed', orderId: order.id, error: error.message, outcomeUnknown: error.outcomeUnknown }));
  }
  // deposit.do does not return the status; read it again.
  const after = await readAndApply(ctx, policy, order, current).catch(async (error: unknown) => {
    if (!isGatewayError(error)) throw error;
    return (await findAttempt(ctx.db, attemptId))!;
  });
  // Now paid, this attempt may outrank another one's hold, which is then given back.
  if (policy.settleDuplicates && after.state === 'paid') await settleDuplicates(ctx, order, after.id);
  return after;
}

/** Whether this trigger reads an attempt in this state at all (final ones only when it asks to). */
function rereads(policy: SyncPolicy, attempt: Attempt): boolean {
  if (!isFinal(attempt.state) || policy.reread === 'any') return true;
  return policy.reread === 'open-or-paid' && attempt.state === 'paid';
}

/** Reads the status and moves the attempt to match; the attempt afterwards. */
async function readAndApply(ctx: ShopContext, policy: SyncPolicy, order: Order, attempt: Attempt): Promise<Attempt> {
  const { clock: now, log } = ctx;
  // synced_at is when this read began, not when it ended: a callback that arrives while the read
  // is in flight may announce what it did not see, and must still get a sync of its own.
  const readStartedAt = now();
  const read = () => ctx.gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! }, { orderId: order.id });
  let status = await read();
  if (status.orderNumber !== attempt.order_number) {
    log(JSON.stringify({ event: 'payment.alert', reason: 'orderNumber differs', orderId: order.id, attempt: attempt.order_number }));
    return attempt;
  }
  const expected = { amount: order.amount, currency: order.currency, captured: attempt.capture_amount };
  let view = stateFromStatus(status, expected);
  if (status.orderStatus === 0 && (await isSetAside(ctx.db, attempt))) {
    // Still payable at the bank, but not the attempt the shopper was sent to pay: closed there, so
    // that an order can never be paid twice (lib/shop/duplicate-payments.ts). Too late means it
    // was paid meanwhile; the second read says so.
    await ctx.gateway.decline({ orderId: attempt.gateway_order_id! }, { orderId: order.id }).catch(() => undefined);
    status = await read();
    view = stateFromStatus(status, expected);
  }
  if (view.state === 'mismatch' || view.state === 'unknown') {
    log(JSON.stringify({ event: 'payment.alert', reason: view.state, orderId: order.id, orderStatus: status.orderStatus, ...view }));
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
