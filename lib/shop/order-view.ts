// What the shopper's order page and /api/orders/<id> show: the order's state in the shopper's
// terms, never the phone or e-mail.
import type { Db } from '../db/database';
import { retryable } from './checkout';
import { declineReasonOf, type DeclineReason } from '../payments/decline-reasons';
import { primaryAttempt } from '../payments/kept-payment';
import { findOrder, itemsOf, type OrderItem } from '../payments/orders';
import { deliveryOf, type Delivery } from '../payments/order-delivery';
import { captureMode, type CaptureMode } from '../payments/settings';
import { orderStateOf, type OrderState } from '../payments/states';

export type OrderView = {
  id: string;
  number: string;
  createdAt: number;
  flow: string;
  amount: number;
  items: OrderItem[];
  /** Courier (with the address the shopper typed) or pickup; undefined on older orders. */
  delivery?: Delivery;
  state: OrderState;
  /** Set when the state is "failed". */
  reason: DeclineReason | null;
  /** A hold the shop is capturing now (two-stage, capture on return): "paid" follows by itself. */
  capturing: boolean;
  /** Polling stops once the state is no longer "processing" and no capture is under way. */
  final: boolean;
  canRetry: boolean;
  /** Money given back so far, of what was taken: "700,50 ₽ of 3 140 ₽" after a partial refund. */
  refund: { refunded: number; captured: number } | null;
};

/** `known.captureMode`: the setting as the caller has just read it, not read again. */
export async function orderView(db: Db, orderId: string, known: { captureMode?: CaptureMode } = {}): Promise<OrderView | undefined> {
  const order = await findOrder(db, orderId);
  // The kept payment when one is secured, else the latest attempt (lib/payments/duplicate-payments.ts).
  const attempt = order && (await primaryAttempt(db, order.id));
  if (!order || !attempt) return undefined;
  const refunded = attempt.refunded_amount ?? 0;
  const state = orderStateOf(attempt.state);
  const capturing =
    attempt.state === 'depositing' ||
    (state === 'held' && order.flow === 'two-stage' && (known.captureMode ?? (await captureMode(db))) === 'on-return');
  return {
    id: order.id,
    number: order.number,
    createdAt: order.created_at,
    flow: order.flow,
    amount: order.amount,
    items: itemsOf(order),
    delivery: deliveryOf(order.delivery_json),
    state,
    reason: state === 'failed' ? declineReasonOf(attempt.action_code) : null,
    capturing,
    final: state !== 'processing' && !capturing,
    canRetry: retryable(attempt),
    refund: refunded > 0 ? { refunded, captured: attempt.deposited_amount ?? order.amount } : null,
  };
}
