// The one idempotent function that brings a payment attempt in line with the gateway (seed steps
// 9–11). Every trigger calls it: the return route, status polling, later callbacks and the
// reconciler. Status and amounts come only from getOrderStatusExtended.
import type { Db } from '../db/database';
import type { GatewayClient } from '../gateway/client';
import { isGatewayError } from '../gateway/errors';
import { claimDeposit, findAttempt, findOrder, isSetAside, moveAttempt, reclaimStaleDeposit, type Attempt, type Order } from './orders';
import { settleDuplicates } from './duplicate-payments';
import { isFinal, isSecured, stateFromStatus } from './payment-state';
import { captureMode } from './settings';

export type SyncDeps = { db: Db; gateway: GatewayClient; now?: () => number; log?: (line: string) => void };

export type SyncOptions = {
  /** Two-stage: deposit when the hold is approved (the default; the merchant may capture instead). */
  depositOnApproval?: boolean;
  /**
   * Reconciler only: a "depositing" claim this old, whose hold the gateway still shows as approved
   * (not deposited), means the deposit.do never reached the bank (the process died between the
   * claim and the call, or the call was refused): it is claimed again and sent once more. Never
   * shorter than the gateway timeout, so that a call still in flight is never doubled.
   */
  redepositAfterMs?: number;
  /** A callback may announce a refund or reversal of a paid order: then "paid" is read again too. */
  rereadPaid?: boolean;
  /** The merchant's operations read the truth whatever the state (a further refund, a reversal). */
  force?: boolean;
  /**
   * Give back a second secured payment of the same order (the default). Off only for the reads
   * an operation makes around its own call, so that an operation never starts another.
   */
  settleDuplicates?: boolean;
};

/**
 * `loaded`: the attempt (and order) the caller has just read, saving a second read. Every write
 * below is conditional on the state the attempt was seen in, so a stale copy cannot do harm: a move
 * that finds the state changed re-reads the attempt.
 */
export function syncAttempt(deps: SyncDeps, attemptId: number, options: SyncOptions = {}, loaded?: { attempt: Attempt; order?: Order }): Promise<Attempt> {
  // Known to this process while it runs: a return that finds the sync taken waits for its result.
  const running = syncAttemptInner(deps, attemptId, options, loaded);
  const inFlight = inFlightOf(deps.db);
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

async function syncAttemptInner(deps: SyncDeps, attemptId: number, options: SyncOptions, loaded?: { attempt: Attempt; order?: Order }): Promise<Attempt> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => console.info(line));
  const attempt = loaded?.attempt ?? (await findAttempt(deps.db, attemptId));
  if (!attempt) throw new Error(`payment attempt ${attemptId} not found`);
  const order = loaded?.order ?? (await findOrder(deps.db, attempt.order_id));
  const settled = isFinal(attempt.state) && !options.force && !(options.rereadPaid && attempt.state === 'paid');
  if (!order || attempt.gateway_order_id === null || settled) return attempt;

  // Seed step 9.
  let current = await readAndApply(deps, order, attempt, now, log);
  // One order, one payment: an extra secured attempt is given back, never deposited.
  if (options.settleDuplicates !== false && isSecured(current.state) && (await settleDuplicates(deps, order, current.id))) {
    return (await findAttempt(deps.db, attemptId))!;
  }
  if (order.flow !== 'two-stage') return current;
  if (current.state === 'depositing') {
    // A claimed deposit (the shop's or the merchant's capture) the bank has not seen yet.
    const stale = options.redepositAfterMs !== undefined && (await reclaimStaleDeposit(deps.db, current, now(), options.redepositAfterMs));
    if (!stale) return current;
    log(JSON.stringify({ event: 'payment.redeposit', orderId: order.id, claimedAt: current.updated_at }));
  } else if (current.state === 'approved') {
    if (!(options.depositOnApproval ?? (await captureMode(deps.db)) === 'on-return')) return current;
    // Seed step 10: exactly one caller wins this conditional update and sends deposit.do.
    const claimed = await claimDeposit(deps.db, current, {}, now());
    if (!claimed) return (await findAttempt(deps.db, attemptId))!;
    current = claimed;
  } else {
    return current;
  }
  try {
    await deps.gateway.deposit({ orderId: current.gateway_order_id!, amount: current.capture_amount ?? order.amount }, { orderId: order.id });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    // Unknown outcome or refused: never a blind second deposit. The status read below (or a later
    // sync) tells whether the money moved; a stuck "depositing" is settled by re-reading.
    log(JSON.stringify({ event: 'payment.deposit_failed', orderId: order.id, error: error.message, outcomeUnknown: error.outcomeUnknown }));
  }
  // Seed step 11: deposit.do does not return the status; read it again.
  const after = await readAndApply(deps, order, current, now, log).catch(async (error: unknown) => {
    if (!isGatewayError(error)) throw error;
    return (await findAttempt(deps.db, attemptId))!;
  });
  // Now paid, this attempt may outrank another one's hold, which is then given back.
  if (options.settleDuplicates !== false && after.state === 'paid') await settleDuplicates(deps, order, after.id);
  return after;
}

/** Reads the status and moves the attempt to match; the attempt afterwards. */
async function readAndApply(deps: SyncDeps, order: Order, attempt: Attempt, now: () => number, log: (line: string) => void): Promise<Attempt> {
  // synced_at is when this read began, not when it ended: a callback that arrives while the read
  // is in flight may announce what it did not see, and must still get a sync of its own.
  const readStartedAt = now();
  const read = () => deps.gateway.getOrderStatusExtended({ orderId: attempt.gateway_order_id! }, { orderId: order.id });
  let status = await read();
  if (status.orderNumber !== attempt.order_number) {
    log(JSON.stringify({ event: 'payment.alert', reason: 'orderNumber differs', orderId: order.id, attempt: attempt.order_number }));
    return attempt;
  }
  const expected = { amount: order.amount, currency: order.currency, captured: attempt.capture_amount };
  let view = stateFromStatus(status, expected);
  if (status.orderStatus === 0 && (await isSetAside(deps.db, attempt))) {
    // Still payable at the bank, but not the attempt the shopper was sent to pay: closed there, so
    // that an order can never be paid twice (lib/shop/duplicate-payments.ts). Too late means it
    // was paid meanwhile; the second read says so.
    await deps.gateway.decline({ orderId: attempt.gateway_order_id! }, { orderId: order.id }).catch(() => undefined);
    status = await read();
    view = stateFromStatus(status, expected);
  }
  if (view.state === 'mismatch' || view.state === 'unknown') {
    log(JSON.stringify({ event: 'payment.alert', reason: view.state, orderId: order.id, orderStatus: status.orderStatus, ...view }));
  }
  // A depositing attempt whose hold is still approved stays depositing: only re-reading settles it.
  const target = attempt.state === 'depositing' && view.state === 'approved' ? 'depositing' : view.state;
  const moved = await moveAttempt(
    deps.db,
    attempt,
    target,
    {
      action_code: view.actionCode,
      approved_amount: view.approvedAmount,
      deposited_amount: view.depositedAmount,
      refunded_amount: view.refundedAmount,
      synced_at: readStartedAt,
    },
    now(),
  );
  // Not moved: another sync changed the attempt meanwhile (or the move is not allowed); theirs stands.
  return moved ?? (await findAttempt(deps.db, attempt.id))!;
}
