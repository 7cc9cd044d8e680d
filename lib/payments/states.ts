// A payment attempt's states and the one table of the moves between them. A payment never goes
// backwards: an attempt the bank has approved is never "awaiting" again, a paid one only refunded
// or reversed, and a final one never moves. Every write of an attempt's state goes through
// moveAttempt (./orders.ts), which refuses any move not in this table.
import type { BankState } from '../gateway/status-mapping';

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
  'unknown', // the bank's answer could not be read as any of these: read again
] as const;
export type AttemptState = (typeof attemptStates)[number];

/** What the bank may still say of an order that is not settled: any of its states. */
const ANY_BANK_STATE = [
  'awaiting',
  'declined',
  'approved',
  'paid',
  'expired',
  'reversed',
  'refunded',
  'mismatch',
  'unknown',
] as const satisfies readonly BankState[];
const without = (states: readonly AttemptState[], ...left: AttemptState[]) => states.filter((state) => !left.includes(state));

/**
 * Every move an attempt may make. Not listed: backwards (a hold or a payment back to "awaiting",
 * anything back to "registering"), out of a final state, and into "depositing" other than from an
 * approved hold (the claim that lets one caller send deposit.do).
 */
export const transitions: Readonly<Record<AttemptState, readonly AttemptState[]>> = {
  registering: ['register_failed', ...ANY_BANK_STATE],
  // The shopper has not paid yet (or their last try was declined and they may try again).
  awaiting: without(ANY_BANK_STATE, 'awaiting'),
  declined: without(ANY_BANK_STATE, 'declined'),
  // Unreadable last time: whatever the bank says now, or, for a registration it never had, failed.
  unknown: ['register_failed', ...without(ANY_BANK_STATE, 'unknown')],
  approved: ['depositing', ...without(ANY_BANK_STATE, 'awaiting', 'approved')],
  // Claimed for deposit.do: settled by what the bank says; a refused capture releases the hold.
  depositing: without(ANY_BANK_STATE, 'awaiting'),
  paid: ['refunded', 'reversed'],
  register_failed: [],
  expired: [],
  reversed: [],
  refunded: [],
  mismatch: [],
};

export function canMove(from: AttemptState, to: AttemptState): boolean {
  return transitions[from].includes(to);
}

/** Nothing more will happen to the money unless the merchant acts (a paid order may be refunded). */
export function isFinal(state: AttemptState): boolean {
  return state === 'paid' || transitions[state].length === 0;
}

/** The bank holds or has taken the money: a shopper has paid this attempt. In order of how much
 * has happened (lib/payments/duplicate-payments.ts keeps the furthest one). */
export const securedStates = ['approved', 'depositing', 'paid'] as const satisfies readonly AttemptState[];

export function isSecured(state: AttemptState): boolean {
  return (securedStates as readonly AttemptState[]).includes(state);
}

/** Registered and not paid: the bank's page may still take the shopper's money. */
export const payableStates = ['awaiting', 'declined', 'unknown'] as const satisfies readonly AttemptState[];

export function isPayable(state: AttemptState): boolean {
  return (payableStates as readonly AttemptState[]).includes(state);
}

/** What the shopper is told: the order's state follows its latest attempt. */
export type OrderState = 'processing' | 'held' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'refunded';

export function orderStateOf(attempt: AttemptState): OrderState {
  switch (attempt) {
    case 'paid':
      return 'paid';
    // Two-stage: the money is held on the card, and may be being captured (depositing) right now:
    // the shopper's answer is already definite ("payment confirmed"); "paid" follows by itself.
    case 'approved':
    case 'depositing':
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
