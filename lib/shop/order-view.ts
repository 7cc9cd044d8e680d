// What the shopper's order page and /api/orders/<id> show: the order's state in the shopper's
// terms, never the phone or e-mail.
import type { Db } from '../db/database';
import { retryable } from './checkout';
import { declineReasonOf, type DeclineReason } from './decline-reasons';
import { findOrder, itemsOf, latestAttempt, type OrderItem } from './orders';
import { orderStateOf, type OrderState } from './payment-state';

export type OrderView = {
  id: string;
  number: string;
  createdAt: number;
  flow: string;
  amount: number;
  items: OrderItem[];
  state: OrderState;
  /** Set when the state is "failed". */
  reason: DeclineReason | null;
  /** Polling stops once the state is no longer "processing". */
  final: boolean;
  canRetry: boolean;
};

export async function orderView(db: Db, orderId: string): Promise<OrderView | undefined> {
  const order = await findOrder(db, orderId);
  const attempt = order && (await latestAttempt(db, order.id));
  if (!order || !attempt) return undefined;
  const state = orderStateOf(attempt.state);
  return {
    id: order.id,
    number: order.number,
    createdAt: order.created_at,
    flow: order.flow,
    amount: order.amount,
    items: itemsOf(order),
    state,
    reason: state === 'failed' ? declineReasonOf(attempt.action_code) : null,
    final: state !== 'processing',
    canRetry: retryable(attempt),
  };
}
