// Which of an order's attempts it stands for: the kept payment when the bank holds or has taken
// money for one (a paid attempt over a hold, then the highest-numbered), else the latest attempt.
// Plain reads, for the shopper's page, the console, the merchant's operations and the give-back of
// a duplicate payment (./duplicate-payments.ts) alike.
import type { Db } from '../db/database';
import type { Attempt } from './orders';
import { isSecured, securedStates, type AttemptState } from './states';

/** The order's attempts the bank holds or has taken money for, lowest number first. */
export async function securedAttempts(db: Db, orderId: string): Promise<Attempt[]> {
  return await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('state', 'in', [...securedStates])
    .orderBy('attempt_no')
    .execute();
}

/**
 * Which secured attempt stays: money already taken over a hold (a deposit costs the shopper
 * nothing to keep, a refund takes days), then the latest, the one the order page shows.
 */
export function keptOf(secured: readonly Attempt[]): Attempt {
  const rank = (attempt: Attempt) => (securedStates as readonly AttemptState[]).indexOf(attempt.state);
  return secured.reduce((best, attempt) =>
    rank(attempt) > rank(best) || (rank(attempt) === rank(best) && attempt.attempt_no > best.attempt_no) ? attempt : best,
  );
}

/**
 * The attempt an order stands for, for the shopper's page and the merchant's actions: the kept
 * payment when one is secured (an order paid on an older page keeps that payment), else the latest.
 */
export function primaryOf(attempts: readonly Attempt[]): Attempt | undefined {
  const secured = attempts.filter((attempt) => isSecured(attempt.state));
  return secured.length > 0
    ? keptOf(secured)
    : attempts.reduce<Attempt | undefined>((latest, a) => (!latest || a.attempt_no > latest.attempt_no ? a : latest), undefined);
}

export async function primaryAttempt(db: Db, orderId: string): Promise<Attempt | undefined> {
  return primaryOf(await db.selectFrom('payment_attempts').selectAll().where('order_id', '=', orderId).execute());
}
