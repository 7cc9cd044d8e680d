// Alerts: what needs a person, not only a log line. Each occurrence is one row (its alert_key, so
// a condition seen by every reconciler tick, every instance and every replayed callback is raised
// once), listed in the console until someone acknowledges it, and owed to the merchant's webhook
// from the row itself (./webhook.ts): the row is the outbox. Raising never fails a payment: a
// database that refuses the row leaves a log line instead.
import type { Db } from '../db/database';
import type { ShopContext } from '../payments/context';

export type AlertKind =
  /** A two-stage hold not captured for days: the bank releases it by itself at its deadline. */
  | 'hold-ageing'
  /** The bank's amount or currency is not the order's. */
  | 'amount-mismatch'
  /** The bank answered a state the shop cannot map, or an orderNumber not the attempt's. */
  | 'status-unknown'
  /** One order secured twice (two attempts held or paid): the extra one is given back. */
  | 'paid-twice'
  /** Notifications refused (unsigned, forged, malformed): an attack, or a wrong CALLBACK_KEY. */
  | 'callbacks-refused'
  /** The reconciler could not read or settle a payment. */
  | 'reconciler-error';

export const ALERT_KINDS: readonly AlertKind[] = [
  'hold-ageing',
  'amount-mismatch',
  'status-unknown',
  'paid-twice',
  'callbacks-refused',
  'reconciler-error',
];

export type AlertDeps = Pick<ShopContext, 'db' | 'clock' | 'log' | 'alertWebhook'>;

export type NewAlert = { kind: AlertKind; key: string; orderId?: string; details: Record<string, unknown> };

/**
 * Raised at most once per key; true when this call raised it. The log has the line once too (a
 * hold that stays uncaptured is seen by every reconciler tick); if the row cannot be written, the
 * line is all there is, and says so.
 */
export async function raiseAlert(deps: AlertDeps, alert: NewAlert): Promise<boolean> {
  const alertKey = `${alert.kind}:${alert.key}`;
  const line = { kind: alert.kind, alertKey, orderId: alert.orderId, ...alert.details };
  try {
    const now = deps.clock();
    const inserted = await deps.db
      .insertInto('alerts')
      .values({
        alert_key: alertKey,
        kind: alert.kind,
        order_id: alert.orderId ?? null,
        details_json: JSON.stringify(alert.details),
        created_at: now,
        acknowledged_at: null,
        acknowledged_by: null,
        delivery: deps.alertWebhook ? 'pending' : 'off',
        next_at: now,
        delivered_at: null,
        last_error: null,
      })
      .onConflict((conflict) => conflict.column('alert_key').doNothing())
      .executeTakeFirst();
    const raised = Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    if (raised) deps.log('payment.alert', line, 'error');
    return raised;
  } catch (error) {
    deps.log('payment.alert', { ...line, recordFailed: error instanceof Error ? error.message : String(error) }, 'error');
    return false;
  }
}

/** The hour an occurrence falls in: conditions that recur (refused callbacks, reconciler errors) alert once an hour. */
export function hourOf(at: number): string {
  return new Date(at - (at % 3_600_000)).toISOString().slice(0, 13);
}

export type Alert = {
  id: number;
  kind: AlertKind;
  orderId: string | null;
  details: Record<string, unknown>;
  createdAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  delivery: 'pending' | 'sent' | 'failed' | 'off';
};

/** The console's list: open ones first (newest first), then the latest acknowledged ones. */
export async function listAlerts(db: Db, limit = 50): Promise<Alert[]> {
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .orderBy((eb) => eb.case().when('acknowledged_at', 'is', null).then(0).else(1).end())
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as AlertKind,
    orderId: row.order_id,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    acknowledgedAt: row.acknowledged_at === null ? null : Number(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    delivery: row.delivery,
  }));
}

export async function openAlertCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Acknowledged once: a second click (or a second person) changes nothing; true when this one did. */
export async function acknowledgeAlert(db: Db, id: number, by: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('alerts')
    .set({ acknowledged_at: at, acknowledged_by: by })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
