// Payment attempt states, the one mapping from the gateway's status to them, and which moves are
// allowed (state never goes backwards). An unknown gateway value maps to "unknown", never a crash.
import type { StatusResponse } from '../gateway/schemas';

export const attemptStates = [
  'registering', // saved, register.do not answered yet
  'register_failed', // the gateway refused the registration: nothing exists there
  'awaiting', // registered, waiting for the shopper to pay
  'declined', // the last payment try was declined (the gateway order may still be open)
  'approved', // two-stage: the amount is held
  'depositing', // two-stage: deposit.do claimed by exactly one caller
  'paid', // deposited
  'expired',
  'reversed',
  'refunded',
  'mismatch', // the gateway's amount or currency differs from ours: never paid, alert
  'unknown',
] as const;
export type AttemptState = (typeof attemptStates)[number];

const terminal: ReadonlySet<AttemptState> = new Set(['register_failed', 'expired', 'reversed', 'refunded', 'mismatch']);

export function isFinal(state: AttemptState): boolean {
  return terminal.has(state) || state === 'paid';
}

/** The bank holds or has taken the money: a shopper has paid this attempt. In order of how much
 * has happened (lib/shop/duplicate-payments.ts keeps the furthest one). */
export const securedStates: readonly AttemptState[] = ['approved', 'depositing', 'paid'];

export function isSecured(state: AttemptState): boolean {
  return securedStates.includes(state);
}

/** Whether an attempt may move from `from` to `to`. */
export function canMove(from: AttemptState, to: AttemptState): boolean {
  if (from === to || terminal.has(from)) return false;
  if (from === 'paid') return to === 'refunded' || to === 'reversed';
  if (from === 'depositing') return ['paid', 'reversed', 'refunded', 'expired', 'mismatch', 'unknown'].includes(to);
  if (to === 'depositing') return from === 'approved';
  if (to === 'registering') return false;
  return true;
}

export type GatewayView = {
  state: AttemptState;
  actionCode: number;
  approvedAmount: number;
  depositedAmount: number;
  refundedAmount: number;
};

/**
 * gateway-api.md §3.2: orderStatus 0–6; amounts and currency are checked against our order. A hold
 * must be the order amount; a deposit must be the order amount or, after the merchant captured
 * part of a hold, exactly that part (`captured`).
 */
export function stateFromStatus(status: StatusResponse, expected: { amount: number; currency: string; captured?: number | null }): GatewayView {
  const info = status.paymentAmountInfo;
  const view = {
    actionCode: status.actionCode,
    approvedAmount: info?.approvedAmount ?? 0,
    depositedAmount: info?.depositedAmount ?? 0,
    refundedAmount: info?.refundedAmount ?? 0,
  };
  const currencyOk = (status.currency ?? expected.currency) === expected.currency;
  switch (status.orderStatus) {
    case 0:
      return { ...view, state: status.actionCode === -100 ? 'awaiting' : 'declined' };
    case 1:
      return { ...view, state: view.approvedAmount === expected.amount && currencyOk ? 'approved' : 'mismatch' };
    case 2:
      return { ...view, state: view.depositedAmount === (expected.captured ?? expected.amount) && currencyOk ? 'paid' : 'mismatch' };
    case 3:
      return { ...view, state: 'reversed' };
    case 4:
      return { ...view, state: 'refunded' };
    case 5:
      return { ...view, state: 'awaiting' };
    case 6:
      return { ...view, state: status.actionCode === -2007 ? 'expired' : 'declined' };
    default:
      return { ...view, state: 'unknown' };
  }
}

/** What the shopper is told: the order's state follows its latest attempt. */
export type OrderState = 'processing' | 'held' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'refunded';

export function orderStateOf(attempt: AttemptState): OrderState {
  switch (attempt) {
    case 'paid':
      return 'paid';
    // Two-stage with the merchant capturing later: the money is held on the card.
    case 'approved':
      return 'held';
    case 'declined':
    case 'register_failed':
    case 'mismatch':
      return 'failed';
    case 'expired':
      return 'expired';
    case 'reversed':
      return 'cancelled';
    case 'refunded':
      return 'refunded';
    default:
      return 'processing';
  }
}
