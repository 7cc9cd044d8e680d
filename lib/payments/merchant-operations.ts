// The merchant's money actions on a payment: capture a hold (deposit.do, full or partial), cancel
// (reverse.do, once) and refund (refund.do, several times up to the deposited amount; by amount,
// or by receipt lines with refundItems, lib/payments/refund-lines.ts). Each is
// exactly-once: the intent is recorded before the call (one in flight per payment, one per form
// key), and an unknown outcome is settled by re-reading the status, never by a blind retry.
import type { Selectable } from 'kysely';
import type { MerchantOperationsTable } from '../db/schema';
import type { RefundItems } from '../gateway/schemas';
import { isGatewayError, type GatewayError } from '../gateway/errors';
import type { ShopContext } from './context';
import { primaryAttempt } from './kept-payment';
import { claimDeposit, findAttempt, findOrder, moveAttempt, type Attempt, type Order } from './orders';
import { readAttempt } from './status-read';
import { SYNC_POLICY, type Trigger } from './triggers';
import { refundableLines, refundItemsFor, type RefundLineChoice } from './refund-lines';

export type MerchantAction =
  | { kind: 'capture'; amount: number }
  | { kind: 'cancel' }
  | { kind: 'refund'; amount: number }
  /** A refund of receipt lines: the amount is their sum. */
  | { kind: 'refund-lines'; lines: readonly RefundLineChoice[] };
export type MerchantOperation = Selectable<MerchantOperationsTable>;
export type RefusalReason =
  'not-found' | 'not-allowed' | 'invalid-amount' | 'invalid-lines' | 'amount-too-large' | 'in-progress' | 'refused' | 'unknown';
export type OperationOutcome =
  { ok: true; operation: MerchantOperation } | { ok: false; reason: RefusalReason; operation?: MerchantOperation; detail?: string };

/** Sber refuses captures under one rouble (docs/gateway-api.md §4). */
const MIN_CAPTURE = 100;

/** What the payment allows now, from our last sync (the page shows it; runMerchantAction checks it again). */
export function allowedActions(order: Order, attempt: Attempt) {
  const deposited = attempt.deposited_amount ?? 0;
  const refunded = attempt.refunded_amount ?? 0;
  return {
    capture: order.flow === 'two-stage' && attempt.state === 'approved' ? (attempt.approved_amount ?? order.amount) : 0,
    cancel: attempt.state === 'approved' || attempt.state === 'paid',
    refund: attempt.state === 'paid' || attempt.state === 'refunded' ? Math.max(0, deposited - refunded) : 0,
  };
}

/**
 * `on`: the shop's own operations (lib/payments/duplicate-payments.ts) name the attempt and say why;
 * the merchant's act on the order's primary attempt (its kept payment, else its latest).
 */
export type OperationTarget = { attemptId: number; reason: string; trigger: Trigger };

export async function runMerchantAction(
  ctx: ShopContext,
  orderId: string,
  action: MerchantAction,
  requestKey: string,
  on?: OperationTarget,
): Promise<OperationOutcome> {
  const trigger = on?.trigger ?? 'merchant';
  const repeated = await operationByKey(ctx, requestKey);
  if (repeated) return outcomeOf(repeated);
  const order = await findOrder(ctx.db, orderId);
  const found = order && (on ? await findAttempt(ctx.db, on.attemptId) : await primaryAttempt(ctx.db, order.id));
  if (!order || found?.order_id !== order.id || !found.gateway_order_id) return { ok: false, reason: 'not-found' };
  // Decide on the bank's current truth, not on what we last saw. (The operation's own reads never
  // start another operation, nor a deposit: see the trigger's policy.)
  const attempt = await readAttempt(ctx, found.id, trigger).catch(() => found);
  const allowed = allowedActions(order, attempt);
  const refundItems =
    action.kind === 'refund-lines' ? refundItemsFor(order, await refundableLines(ctx.db, order, attempt.id), action.lines) : undefined;
  if (action.kind === 'refund-lines' && !refundItems) return { ok: false, reason: 'invalid-lines' };
  const amount =
    action.kind === 'cancel'
      ? attempt.state === 'approved'
        ? (attempt.approved_amount ?? 0)
        : (attempt.deposited_amount ?? 0)
      : action.kind === 'refund-lines'
        ? refundItems!.items.reduce((sum, item) => sum + item.itemAmount, 0)
        : action.amount;
  // Both refunds are one kind of operation: one in flight per payment, counted together.
  const kind = action.kind === 'refund-lines' ? 'refund' : action.kind;

  if (kind === 'capture' && !allowed.capture) return { ok: false, reason: 'not-allowed' };
  if (kind === 'cancel' && !allowed.cancel) return { ok: false, reason: 'not-allowed' };
  if (kind === 'refund' && !allowed.refund) return { ok: false, reason: 'not-allowed' };
  if (kind !== 'cancel') {
    if (!Number.isSafeInteger(amount) || amount < (action.kind === 'capture' ? MIN_CAPTURE : 1))
      return { ok: false, reason: 'invalid-amount' };
    if (amount > (action.kind === 'capture' ? allowed.capture : allowed.refund)) return { ok: false, reason: 'amount-too-large' };
  }

  const operation = await recordIntent(ctx, order, attempt, kind, amount, requestKey, on?.reason ?? null, refundItems);
  if (!operation) {
    const raced = await operationByKey(ctx, requestKey);
    return raced ? outcomeOf(raced) : { ok: false, reason: 'in-progress' };
  }
  if (action.kind === 'capture' && !(await claimCapture(ctx, attempt, amount, trigger))) {
    return settle(ctx, operation, 'refused', 'the payment changed meanwhile');
  }

  const gatewayOrderId = attempt.gateway_order_id!;
  const before = attempt.refunded_amount ?? 0;
  let failure: GatewayError | undefined;
  try {
    if (action.kind === 'capture') await ctx.gateway.deposit({ orderId: gatewayOrderId, amount }, { orderId });
    if (action.kind === 'cancel') await ctx.gateway.reverse({ orderId: gatewayOrderId }, { orderId });
    if (kind === 'refund') await ctx.gateway.refund({ orderId: gatewayOrderId, amount, refundItems }, { orderId });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    failure = error;
  }
  if (failure && !failure.outcomeUnknown && action.kind === 'capture') await releaseCapture(ctx, attempt, trigger);
  const after = await readAttempt(ctx, attempt.id, trigger).catch(() => undefined);
  const happened = after && didHappen(kind, after, amount, before);

  if (happened) return settle(ctx, operation, 'done');
  if (failure && !failure.outcomeUnknown) return settle(ctx, operation, 'refused', failure.message);
  // No answer, or an answer the status does not confirm: the status will settle it later.
  return settle(ctx, operation, 'unknown', failure?.message ?? 'not confirmed by the status');
}

function didHappen(kind: 'capture' | 'cancel' | 'refund', after: Attempt, amount: number, refundedBefore: number): boolean {
  if (kind === 'capture') return after.state === 'paid' && after.deposited_amount === amount;
  if (kind === 'cancel') return after.state === 'reversed';
  return (after.refunded_amount ?? 0) === refundedBefore + amount;
}

async function recordIntent(
  ctx: ShopContext,
  order: Order,
  attempt: Attempt,
  kind: string,
  amount: number,
  requestKey: string,
  reason: string | null,
  items?: RefundItems,
) {
  const items_json = items ? JSON.stringify(items) : null;
  return ctx.db
    .insertInto('merchant_operations')
    .values({
      order_id: order.id,
      attempt_id: attempt.id,
      kind,
      amount,
      state: 'pending',
      request_key: requestKey,
      error: null,
      created_at: ctx.clock(),
      settled_at: null,
      reason,
      items_json,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** approved → depositing with the captured amount: a shopper's return can no longer deposit too. */
async function claimCapture(ctx: ShopContext, attempt: Attempt, amount: number, trigger: Trigger): Promise<boolean> {
  return Boolean(await claimDeposit(ctx.db, attempt, { capture_amount: amount }, { at: ctx.clock(), cause: SYNC_POLICY[trigger].cause }));
}

/** The bank refused the capture, so nothing was deposited: the hold is the merchant's again. */
async function releaseCapture(ctx: ShopContext, attempt: Pick<Attempt, 'id' | 'order_id'>, trigger: Trigger): Promise<void> {
  await moveAttempt(
    ctx.db,
    { ...attempt, state: 'depositing' },
    'approved',
    { capture_amount: null },
    { at: ctx.clock(), cause: SYNC_POLICY[trigger].cause },
  );
}

async function settle(
  ctx: ShopContext,
  operation: MerchantOperation,
  state: 'done' | 'refused' | 'unknown',
  error?: string,
): Promise<OperationOutcome> {
  await ctx.db
    .updateTable('merchant_operations')
    .set({ state, error: error ?? null, settled_at: ctx.clock() })
    .where('id', '=', operation.id)
    .execute();
  return outcomeOf({ ...operation, state, error: error ?? null });
}

async function operationByKey(ctx: ShopContext, requestKey: string) {
  return ctx.db.selectFrom('merchant_operations').selectAll().where('request_key', '=', requestKey).executeTakeFirst();
}

function outcomeOf(operation: MerchantOperation): OperationOutcome {
  if (operation.state === 'done') return { ok: true, operation };
  const reason: RefusalReason = operation.state === 'pending' ? 'in-progress' : operation.state === 'refused' ? 'refused' : 'unknown';
  return { ok: false, reason, operation, detail: operation.error ?? undefined };
}

export async function operationsOf(ctx: Pick<ShopContext, 'db'>, orderId: string): Promise<MerchantOperation[]> {
  return ctx.db.selectFrom('merchant_operations').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
