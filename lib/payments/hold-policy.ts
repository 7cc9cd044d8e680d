// What the shop does with a hold nobody captured before the bank reverses it by itself (after
// HOLD_LIFETIME_DAYS): by default only alert; or capture, or cancel, N days before the deadline.
// The reconciler carries it out once per hold: the operation's request key names the attempt, so
// a second tick, another instance or a retry finds the operation already recorded.
import type { Db } from '../db/database';
import type { ShopContext } from './context';
import { runMerchantAction, type OperationOutcome } from './merchant-operations';
import type { Attempt } from './orders';

export type HoldPolicy = { action: 'alert' | 'capture' | 'cancel'; daysBefore: number };
export const DEFAULT_HOLD_POLICY: HoldPolicy = { action: 'alert', daysBefore: 1 };
const DAY_MS = 86_400_000;

export async function holdPolicy(db: Db): Promise<HoldPolicy> {
  const row = await db.selectFrom('shop_settings').select('value').where('key', '=', 'hold_policy').executeTakeFirst();
  try {
    const stored = JSON.parse(row?.value ?? 'null') as Partial<HoldPolicy> | null;
    const action = stored?.action;
    const days = Number(stored?.daysBefore);
    if ((action === 'alert' || action === 'capture' || action === 'cancel') && Number.isInteger(days) && days >= 0 && days <= 30)
      return { action, daysBefore: days };
  } catch {
    // A value not written by setHoldPolicy: the safe default.
  }
  return DEFAULT_HOLD_POLICY;
}

export async function setHoldPolicy(db: Db, policy: HoldPolicy): Promise<void> {
  const value = JSON.stringify(policy);
  await db
    .insertInto('shop_settings')
    .values({ key: 'hold_policy', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** When the bank reverses a hold by itself: its approval time (the attempt's last move) plus the lifetime. */
export function holdDeadline(attempt: Pick<Attempt, 'updated_at'>, lifetimeMs: number): number {
  return attempt.updated_at + lifetimeMs;
}

/** Carries out the policy on a hold that is due; undefined when nothing is due or the policy only alerts. */
export async function applyHoldPolicy(
  ctx: ShopContext,
  attempt: Attempt,
  policy: HoldPolicy,
  lifetimeMs: number,
): Promise<OperationOutcome | undefined> {
  if (policy.action === 'alert' || attempt.state !== 'approved') return undefined;
  const deadline = holdDeadline(attempt, lifetimeMs);
  if (ctx.clock() < deadline - policy.daysBefore * DAY_MS) return undefined;
  const reason = `hold policy: ${policy.action} ${policy.daysBefore} d before the bank's deadline`;
  const action =
    policy.action === 'capture' ? { kind: 'capture' as const, amount: attempt.approved_amount ?? 0 } : { kind: 'cancel' as const };
  return runMerchantAction(ctx, attempt.order_id, action, `hold-policy-${attempt.id}`, {
    attemptId: attempt.id,
    reason,
    trigger: 'reconciler',
  });
}
