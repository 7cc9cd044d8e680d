// The merchant's money actions on a payment: capture a hold (deposit.do, full or partial), cancel
// (reverse.do, once) and refund (refund.do, several times up to the deposited amount; by amount,
// or by receipt lines with refundItems, lib/shop/refund-lines.ts). Each is
// exactly-once: the intent is recorded before the call (one in flight per payment, one per form
// key), and an unknown outcome is settled by re-reading the status, never by a blind retry.
import type { Selectable } from 'kysely';
import type { MerchantOperationsTable } from '../db/schema';
import type { RefundItems } from '../gateway/schemas';
import { isGatewayError, type GatewayError } from '../gateway/errors';
import { withCause, type Cause } from './cause';
import { primaryAttempt } from './duplicate-payments';
import { claimDeposit, findAttempt, findOrder, type Attempt, type Order } from './orders';
import { syncAttempt, type SyncDeps } from './payment-sync';
import { refundableLines, refundItemsFor, type RefundLineChoice } from './refund-lines';

export type MerchantAction =
  | { kind: 'capture'; amount: number }
  | { kind: 'cancel' }
  | { kind: 'refund'; amount: number }
  /** A refund of receipt lines: the amount is their sum. */
  | { kind: 'refund-lines'; lines: readonly RefundLineChoice[] };
export type MerchantOperation = Selectable<MerchantOperationsTable>;
export type RefusalReason = 'not-found' | 'not-allowed' | 'invalid-amount' | 'invalid-lines' | 'amount-too-large' | 'in-progress' | 'refused' | 'unknown';
export type OperationOutcome =
  | { ok: true; operation: MerchantOperation }
  | { ok: false; reason: RefusalReason; operation?: MerchantOperation; detail?: string };

/** Sber refuses captures under one rouble (gateway-api.md §4). */
const MIN_CAPTURE = 100;

/**
 * `on`: the shop's own operations (lib/shop/duplicate-payments.ts) name the attempt and say why;
 * the merchant's act on the order's primary attempt (its kept payment, else its latest).
 */
export type OperationTarget = { attemptId: number; reason: string; cause: Cause };

export function runMerchantAction(deps: SyncDeps, orderId: string, action: MerchantAction, requestKey: string, on?: OperationTarget): Promise<OperationOutcome> {
  return withCause(on?.cause ?? 'merchant', () => run(deps, orderId, action, requestKey, on));
}

/** What the payment allows now, from our last sync (the page shows it; run() checks it again). */
export function allowedActions(order: Order, attempt: Attempt) {
  const deposited = attempt.deposited_amount ?? 0;
  const refunded = attempt.refunded_amount ?? 0;
  return {
    capture: order.flow === 'two-stage' && attempt.state === 'approved' ? (attempt.approved_amount ?? order.amount) : 0,
    cancel: attempt.state === 'approved' || attempt.state === 'paid',
    refund: attempt.state === 'paid' || attempt.state === 'refunded' ? Math.max(0, deposited - refunded) : 0,
  };
}

// The operations' own status reads never start another operation (a duplicate's give-back).
const READ_ONLY = { force: true, depositOnApproval: false, settleDuplicates: false } as const;

async function run(deps: SyncDeps, orderId: string, action: MerchantAction, requestKey: string, on?: OperationTarget): Promise<OperationOutcome> {
  const repeated = await operationByKey(deps, requestKey);
  if (repeated) return outcomeOf(repeated);
  const order = await findOrder(deps.db, orderId);
  const found = order && (on ? await findAttempt(deps.db, on.attemptId) : await primaryAttempt(deps.db, order.id));
  if (!order || found?.order_id !== order.id || !found.gateway_order_id) return { ok: false, reason: 'not-found' };
  // Decide on the bank's current truth, not on what we last saw.
  const attempt = await syncAttempt(deps, found.id, READ_ONLY).catch(() => found);
  const allowed = allowedActions(order, attempt);
  const refundItems = action.kind === 'refund-lines' ? refundItemsFor(order, await refundableLines(deps.db, order, attempt.id), action.lines) : undefined;
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
    if (!Number.isSafeInteger(amount) || amount < (action.kind === 'capture' ? MIN_CAPTURE : 1)) return { ok: false, reason: 'invalid-amount' };
    if (amount > (action.kind === 'capture' ? allowed.capture : allowed.refund)) return { ok: false, reason: 'amount-too-large' };
  }

  const operation = await recordIntent(deps, order, attempt, kind, amount, requestKey, on?.reason ?? null, refundItems);
  if (!operation) {
    const raced = await operationByKey(deps, requestKey);
    return raced ? outcomeOf(raced) : { ok: false, reason: 'in-progress' };
  }
  if (action.kind === 'capture' && !(await claimCapture(deps, attempt, amount))) {
    return settle(deps, operation, 'refused', 'the payment changed meanwhile');
  }

  const gatewayOrderId = attempt.gateway_order_id!;
  const before = attempt.refunded_amount ?? 0;
  let failure: GatewayError | undefined;
  try {
    if (action.kind === 'capture') await deps.gateway.deposit({ orderId: gatewayOrderId, amount }, { orderId });
    if (action.kind === 'cancel') await deps.gateway.reverse({ orderId: gatewayOrderId }, { orderId });
    if (kind === 'refund') await deps.gateway.refund({ orderId: gatewayOrderId, amount, refundItems }, { orderId });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    failure = error;
  }
  if (failure && !failure.outcomeUnknown && action.kind === 'capture') await releaseCapture(deps, attempt.id);
  const after = await syncAttempt(deps, attempt.id, READ_ONLY).catch(() => undefined);
  const happened = after && didHappen(kind, after, amount, before);

  if (happened) return settle(deps, operation, 'done');
  if (failure && !failure.outcomeUnknown) return settle(deps, operation, 'refused', failure.message);
  // No answer, or an answer the status does not confirm: the status will settle it later.
  return settle(deps, operation, 'unknown', failure?.message ?? 'not confirmed by the status');
}

function didHappen(kind: 'capture' | 'cancel' | 'refund', after: Attempt, amount: number, refundedBefore: number): boolean {
  if (kind === 'capture') return after.state === 'paid' && after.deposited_amount === amount;
  if (kind === 'cancel') return after.state === 'reversed';
  return (after.refunded_amount ?? 0) === refundedBefore + amount;
}

async function recordIntent(deps: SyncDeps, order: Order, attempt: Attempt, kind: string, amount: number, requestKey: string, reason: string | null, items?: RefundItems) {
  const items_json = items ? JSON.stringify(items) : null;
  return deps.db
    .insertInto('merchant_operations')
    .values({ order_id: order.id, attempt_id: attempt.id, kind, amount, state: 'pending', request_key: requestKey, error: null, created_at: (deps.now ?? Date.now)(), settled_at: null, reason, items_json })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** approved → depositing with the captured amount: a shopper's return can no longer deposit too. */
async function claimCapture(deps: SyncDeps, attempt: Attempt, amount: number): Promise<boolean> {
  return Boolean(await claimDeposit(deps.db, attempt, { capture_amount: amount }, (deps.now ?? Date.now)()));
}

/** The bank refused the capture, so nothing was deposited: the hold is the merchant's again. */
async function releaseCapture(deps: SyncDeps, attemptId: number): Promise<void> {
  await deps.db
    .updateTable('payment_attempts')
    .set({ state: 'approved', capture_amount: null })
    .where('id', '=', attemptId)
    .where('state', '=', 'depositing')
    .execute();
}

async function settle(deps: SyncDeps, operation: MerchantOperation, state: 'done' | 'refused' | 'unknown', error?: string): Promise<OperationOutcome> {
  await deps.db
    .updateTable('merchant_operations')
    .set({ state, error: error ?? null, settled_at: (deps.now ?? Date.now)() })
    .where('id', '=', operation.id)
    .execute();
  return outcomeOf({ ...operation, state, error: error ?? null });
}

async function operationByKey(deps: SyncDeps, requestKey: string) {
  return deps.db.selectFrom('merchant_operations').selectAll().where('request_key', '=', requestKey).executeTakeFirst();
}

function outcomeOf(operation: MerchantOperation): OperationOutcome {
  if (operation.state === 'done') return { ok: true, operation };
  const reason: RefusalReason = operation.state === 'pending' ? 'in-progress' : operation.state === 'refused' ? 'refused' : 'unknown';
  return { ok: false, reason, operation, detail: operation.error ?? undefined };
}

export async function operationsOf(deps: Pick<SyncDeps, 'db'>, orderId: string): Promise<MerchantOperation[]> {
  return deps.db.selectFrom('merchant_operations').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
