// A payment attempt on the hosted page, by card or through Mir Pay: the outcome comes from the card
// (cards.ts); the order moves as decided in decisions.ts.
import { randomInt } from 'node:crypto';
import type { Outcome } from './cards';
import { ActionCode, MAX_PAYMENT_ATTEMPTS, OrderStatus } from './decisions';
import { actionCodeDescription, type Lang } from './messages';
import type { SandboxOrder, SandboxStore } from './store';

export type CardUsed = {
  maskedPan: string;
  expiration: string; // YYYYMM
  cardholderName: string;
  paymentSystem: string;
  paymentWay: string;
};

export type AttemptResult = 'approved' | 'declined' | 'not-payable';

export async function applyAttempt(
  store: SandboxStore,
  order: SandboxOrder,
  outcome: Outcome,
  card: CardUsed,
  context: { now: number; ip: string | null },
): Promise<AttemptResult> {
  const lang = order.language as Lang;
  const common = {
    attempts: order.attempts + 1,
    masked_pan: card.maskedPan,
    card_expiration: card.expiration,
    cardholder_name: card.cardholderName,
    payment_system: card.paymentSystem,
    payment_way: card.paymentWay,
    payer_ip: context.ip,
  };
  if (outcome.kind === 'approve') {
    const twoStage = order.two_stage === 1;
    const done = await store.transition(order.id, [OrderStatus.created], {
      ...common,
      // One-stage: the purchase is authorised and deposited at once; two-stage: only held.
      status: twoStage ? OrderStatus.approved : OrderStatus.deposited,
      action_code: ActionCode.success,
      action_code_description: '',
      approved_amount: order.amount,
      deposited_amount: twoStage ? 0 : order.amount,
      approval_code: String(randomInt(100000, 999999)),
      auth_ref_num: String(randomInt(100000000, 999999999)).padStart(12, '0'),
      authorized_at: context.now,
      deposited_at: twoStage ? null : context.now,
    });
    return done ? 'approved' : 'not-payable';
  }
  // A decline leaves the order open for another attempt until the limit (docs/architecture.md §4).
  const lastAttempt = common.attempts >= MAX_PAYMENT_ATTEMPTS;
  const actionCode = lastAttempt ? ActionCode.attemptsExceeded : outcome.actionCode;
  const done = await store.transition(order.id, [OrderStatus.created], {
    ...common,
    status: lastAttempt ? OrderStatus.declined : OrderStatus.created,
    action_code: actionCode,
    action_code_description: actionCodeDescription(actionCode, lang),
  });
  return done ? 'declined' : 'not-payable';
}
