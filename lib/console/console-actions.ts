// The console's actions as the signed-in user: each checks the user's role itself and writes the
// audit log, whatever page or button led here. Server actions (app/merchant/actions.ts) only find
// the user and the address and call these; tests call them with each role.
import type { Db } from '../db/database';
import type { ShopContext } from '../payments/context';
import { runMerchantAction, type MerchantAction, type OperationOutcome } from '../payments/merchant-operations';
import { setCaptureMode } from '../payments/settings';
import { setHoldPolicy, type HoldPolicy } from '../payments/hold-policy';
import { acknowledgeAlert } from '../alerts/alerts';
import { recordAudit } from './audit';
import { allows, type Permission, type Role } from './roles';
import { disableUser, saveUser, type ConsoleUser, type UserChangeRefusal } from './users';

export type Actor = { user: ConsoleUser; address: string };
export type Refused = { ok: false; reason: 'forbidden' };

async function permitted(
  db: Db,
  actor: Actor,
  permission: Permission,
  action: string,
  subject: string | null,
  now: number,
): Promise<boolean> {
  if (allows(actor.user.role, permission)) return true;
  await recordAudit(
    db,
    { actor: actor.user.login, address: actor.address, action, subject, outcome: `forbidden (${actor.user.role})` },
    now,
  );
  return false;
}

export async function moneyActionAs(
  ctx: ShopContext,
  actor: Actor,
  orderId: string,
  action: MerchantAction,
  requestKey: string,
): Promise<OperationOutcome | Refused> {
  const now = ctx.clock();
  if (!(await permitted(ctx.db, actor, 'money', action.kind, orderId, now))) return { ok: false, reason: 'forbidden' };
  const outcome = await runMerchantAction(ctx, orderId, action, requestKey);
  const amount = outcome.ok ? ` ${outcome.operation.amount}` : '';
  await recordAudit(
    ctx.db,
    {
      actor: actor.user.login,
      address: actor.address,
      action: action.kind,
      subject: orderId,
      outcome: outcome.ok ? `done${amount}` : `refused: ${outcome.reason}`,
    },
    ctx.clock(),
  );
  return outcome;
}

export async function captureModeAs(db: Db, actor: Actor, mode: 'on-return' | 'manual', now: number): Promise<{ ok: true } | Refused> {
  if (!(await permitted(db, actor, 'settings', 'capture-mode', null, now))) return { ok: false, reason: 'forbidden' };
  await setCaptureMode(db, mode);
  await recordAudit(db, { actor: actor.user.login, address: actor.address, action: 'capture-mode', subject: mode, outcome: 'done' }, now);
  return { ok: true };
}

export async function saveUserAs(
  db: Db,
  actor: Actor,
  change: { login: string; role: Role; password: string },
  now: number,
): Promise<{ ok: true } | Refused | { ok: false; reason: UserChangeRefusal }> {
  if (!(await permitted(db, actor, 'users', 'user-save', change.login, now))) return { ok: false, reason: 'forbidden' };
  const outcome = await saveUser(db, change.login, change.role, change.password, now);
  await recordAudit(
    db,
    {
      actor: actor.user.login,
      address: actor.address,
      action: 'user-save',
      subject: `${change.login} (${change.role})`,
      outcome: outcome.ok ? 'done' : `refused: ${outcome.reason}`,
    },
    now,
  );
  return outcome;
}

export async function disableUserAs(
  db: Db,
  actor: Actor,
  login: string,
  now: number,
): Promise<{ ok: true } | Refused | { ok: false; reason: UserChangeRefusal }> {
  if (!(await permitted(db, actor, 'users', 'user-disable', login, now))) return { ok: false, reason: 'forbidden' };
  const outcome = await disableUser(db, login, now);
  await recordAudit(
    db,
    {
      actor: actor.user.login,
      address: actor.address,
      action: 'user-disable',
      subject: login,
      outcome: outcome.ok ? 'done' : `refused: ${outcome.reason}`,
    },
    now,
  );
  return outcome;
}

export async function holdPolicyAs(db: Db, actor: Actor, policy: HoldPolicy, now: number): Promise<{ ok: true } | Refused> {
  const subject = `${policy.action} ${policy.daysBefore}d`;
  if (!(await permitted(db, actor, 'settings', 'hold-policy', subject, now))) return { ok: false, reason: 'forbidden' };
  await setHoldPolicy(db, policy);
  await recordAudit(db, { actor: actor.user.login, address: actor.address, action: 'hold-policy', subject, outcome: 'done' }, now);
  return { ok: true };
}

/** Acknowledges an alert: it leaves the console's open list; the audit log says who did. */
export async function acknowledgeAlertAs(db: Db, actor: Actor, alertId: number, now: number): Promise<{ ok: true } | Refused> {
  const subject = `alert ${alertId}`;
  if (!(await permitted(db, actor, 'alerts', 'alert-acknowledge', subject, now))) return { ok: false, reason: 'forbidden' };
  const done = await acknowledgeAlert(db, alertId, actor.user.login, now);
  await recordAudit(
    db,
    {
      actor: actor.user.login,
      address: actor.address,
      action: 'alert-acknowledge',
      subject,
      outcome: done ? 'done' : 'already acknowledged',
    },
    now,
  );
  return { ok: true };
}
