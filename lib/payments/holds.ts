// Two-stage payments the bank holds (approved, not yet captured or released): how many, and how
// old the oldest is. A Mir hold lasts at most 7 days; one older than a few is money about to be
// lost (the reconciler also alerts on it: ReconcileOptions.holdAlertMs).
import type { Db } from '../db/database';

export async function openHolds(db: Db, now: number): Promise<{ count: number; oldestAgeSeconds: number }> {
  const row = await db
    .selectFrom('payment_attempts')
    .select((eb) => [eb.fn.countAll<string | number>().as('count'), eb.fn.min('updated_at').as('oldest')])
    .where('state', '=', 'approved')
    .executeTakeFirst();
  const count = Number(row?.count ?? 0);
  const oldest = row?.oldest == null ? undefined : Number(row.oldest);
  return { count, oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000) };
}
