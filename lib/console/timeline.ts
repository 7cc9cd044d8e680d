// One order's story for the merchant, in time order: every gateway request and response (already
// masked by the client), every callback received (refused ones that named this order too), every state change with its cause, and every
// merchant operation. Each step carries the payment flow's step number (1–11) where one applies, so the
// real flow can be held next to the bank's documentation.
import type { Db } from '../db/database';

export type TimelineEntry =
  | { kind: 'order'; at: number; step: 1; number: string }
  | {
      kind: 'gateway';
      at: number;
      step: number | null;
      operation: string;
      orderNumber: string | null;
      durationMs: number;
      outcome: string;
      errorCode: number | null;
      httpStatus: number | null;
      error: string | null;
      request: string;
      response: string | null;
      /** Later status reads with the same answer, folded into this one (opening an order reads it each time). */
      repeats?: number;
    }
  // A refused notification keeps no parameter: operation and status are null, its size is known.
  | { kind: 'callback'; at: number; operation: string | null; status: string | null; verdict: string; bytes: number | null }
  | { kind: 'state'; at: number; step: string | null; from: string; to: string; cause: string }
  | { kind: 'merchant'; at: number; operation: string; amount: number; state: string; error: string | null; reason: string | null };

const STEP_OF: Record<string, number> = { register: 2, registerPreAuth: 2, deposit: 10 };

export async function orderTimeline(db: Db, orderId: string): Promise<TimelineEntry[]> {
  const order = await db.selectFrom('orders').select(['number', 'created_at']).where('id', '=', orderId).executeTakeFirst();
  if (!order) return [];
  const [calls, callbacks, events, operations] = await Promise.all([
    db.selectFrom('gateway_calls').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
    db.selectFrom('payment_callbacks').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
    db.selectFrom('payment_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
    db.selectFrom('merchant_operations').selectAll().where('order_id', '=', orderId).orderBy('id').execute(),
  ]);
  const entries: TimelineEntry[] = [{ kind: 'order', at: order.created_at, step: 1, number: order.number }];
  let afterDeposit = false;
  // In the order the calls were sent (rows are written when a call ends).
  for (const call of [...calls].sort((a, b) => a.started_at - b.started_at || a.id - b.id)) {
    // A status read right after a deposit is payment flow step 11; any other status read is step 9.
    const step = call.operation === 'getOrderStatusExtended' ? (afterDeposit ? 11 : 9) : (STEP_OF[call.operation] ?? null);
    afterDeposit = call.operation === 'deposit';
    // A status read answered exactly as the one before it (nothing happened in between) adds nothing.
    const previous = entries.at(-1);
    if (
      call.operation === 'getOrderStatusExtended' &&
      previous?.kind === 'gateway' &&
      previous.operation === 'getOrderStatusExtended.do' &&
      previous.outcome === call.outcome &&
      previous.response === call.response_json
    ) {
      previous.repeats = (previous.repeats ?? 0) + 1;
      continue;
    }
    entries.push({
      kind: 'gateway',
      at: call.started_at,
      step,
      operation: `${call.operation}.do`,
      orderNumber: call.order_number,
      durationMs: call.duration_ms,
      outcome: call.outcome,
      errorCode: call.error_code,
      httpStatus: call.http_status,
      error: call.error,
      request: call.request_json,
      response: call.response_json,
    });
  }
  for (const callback of callbacks) {
    entries.push({
      kind: 'callback',
      at: callback.received_at,
      operation: callback.operation,
      status: callback.status,
      verdict: callback.verdict,
      bytes: callback.byte_size,
    });
  }
  for (const event of events) {
    // Leaving "awaiting" for a hold or a payment means the shopper went through steps 3–8 at the bank.
    const step = event.from_state === 'awaiting' && ['approved', 'paid', 'declined'].includes(event.to_state) ? '3–8' : null;
    entries.push({ kind: 'state', at: event.at, step, from: event.from_state, to: event.to_state, cause: event.cause });
  }
  for (const operation of operations) {
    // `reason` is set on the operations the shop made itself (a duplicate payment given back).
    entries.push({
      kind: 'merchant',
      at: operation.created_at,
      operation: operation.kind,
      amount: operation.amount,
      state: operation.state,
      error: operation.error,
      reason: operation.reason,
    });
  }
  // Stable: entries at the same millisecond keep the order they were pushed in.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at - b.entry.at || a.index - b.index)
    .map(({ entry }) => entry);
}
