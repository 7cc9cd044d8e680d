// The reconciler: the shopper who never comes back, the callback that never arrives, the
// register.do or deposit.do whose answer was lost. Each tick syncs every payment attempt that is
// not final with the gateway, at most once per `minIntervalMs` each (a claim on synced_at, so
// several reconcilers, or a reconciler and a polling page, never read the same attempt at once).
import { isGatewayError, isOrderNotFound } from '../gateway/errors';
import { withCause } from './cause';
import { sql } from 'kysely';
import { findOrder, moveAttempt, type Attempt } from './orders';
import { syncAttempt, type SyncDeps } from './payment-sync';

export type ReconcileOptions = {
  /** An attempt synced more recently than this is skipped (default 30 s). */
  minIntervalMs?: number;
  /** A register.do with no answer is looked up by orderNumber only after this (default 60 s). */
  registerGraceMs?: number;
  /** A "depositing" claim older than this whose hold is still approved is deposited again (default 60 s). */
  redepositAfterMs?: number;
  /** Alert on holds older than this (default 5 days: Mir holds live at most 7). */
  holdAlertMs?: number;
  /** Declined attempts older than this are no longer read (default 3 h; the bank's lifetime is 20 min). */
  horizonMs?: number;
  depositOnApproval?: boolean;
  batchSize?: number;
};

export type ReconcileReport = {
  examined: number;
  changed: number;
  adopted: number;
  notRegistered: number;
  holdAlerts: number;
  errors: number;
};

const DEFAULTS = {
  minIntervalMs: 30_000,
  registerGraceMs: 60_000,
  redepositAfterMs: 60_000,
  holdAlertMs: 5 * 24 * 3600_000,
  horizonMs: 3 * 3600_000,
  batchSize: 200,
};

export function reconcileOnce(deps: SyncDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  return withCause('reconciler', () => reconcileOnceInner(deps, options));
}

async function reconcileOnceInner(deps: SyncDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const settings = { ...DEFAULTS, ...options };
  const now = (deps.now ?? Date.now)();
  const log = deps.log ?? ((line: string) => console.info(line));
  const report: ReconcileReport = { examined: 0, changed: 0, adopted: 0, notRegistered: 0, holdAlerts: 0, errors: 0 };
  // One attempt at a time, claimed as it is taken: several reconcilers (one per instance) share
  // the work instead of queueing behind each other's locks.
  while (report.examined < settings.batchSize) {
    const attempt = await claimNext(deps, now, settings);
    if (!attempt) break;
    report.examined++;
    try {
      const before = attempt.state;
      const after = attempt.gateway_order_id === null ? await findLostRegistration(deps, attempt, report) : attempt;
      const synced = await syncAttempt(deps, after.id, { depositOnApproval: settings.depositOnApproval, redepositAfterMs: settings.redepositAfterMs }, { attempt: after });
      if (synced.state !== before) report.changed++;
      if (synced.state === 'approved' && now - synced.updated_at > settings.holdAlertMs) {
        report.holdAlerts++;
        log(JSON.stringify({ event: 'payment.alert', reason: 'hold ageing', orderId: synced.order_id, heldSinceMs: now - synced.updated_at }));
      }
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      report.errors++;
      log(JSON.stringify({ event: 'reconcile.error', orderId: attempt.order_id, error: error.message }));
    }
  }
  return report;
}

/**
 * Claims the next attempt that needs reading, by setting its synced_at, in one statement. On
 * PostgreSQL the row is locked with SKIP LOCKED, so two instances' reconcilers never take the same
 * attempt and never wait for each other; SQLite has one writer at a time anyway. The claim also
 * keeps a polling page or a shopper's return from reading the attempt in the same moment.
 */
async function claimNext(deps: SyncDeps, now: number, settings: typeof DEFAULTS & ReconcileOptions): Promise<Attempt | undefined> {
  // At least 1 ms, so an attempt claimed in this tick (synced_at = now) is not taken twice.
  const syncedBefore = now - Math.max(1, settings.minIntervalMs);
  const next = deps.db
    .selectFrom('payment_attempts')
    .select('id')
    .where((eb) =>
      eb.or([
        // Awaiting ends in a final state (paid, declined or expired) at the gateway, so it is
        // always read; a declined order may still be paid on the same page, for a while.
        eb('state', 'in', ['awaiting', 'approved', 'depositing', 'unknown']),
        eb.and([eb('state', '=', 'registering'), eb('created_at', '<=', now - settings.registerGraceMs)]),
        eb.and([eb('state', '=', 'declined'), eb('created_at', '>', now - settings.horizonMs)]),
      ]),
    )
    .where((eb) => eb.or([eb('synced_at', 'is', null), eb('synced_at', '<=', syncedBefore)]))
    .orderBy(sql`coalesce(synced_at, 0)`)
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked();
  // Stamped with the time of the claim, not of the tick: in a long tick, an attempt claimed late
  // must not look stale already to another instance's reconciler.
  const claimedAt = Math.max(now, (deps.now ?? Date.now)());
  return (await deps.db.updateTable('payment_attempts').set({ synced_at: claimedAt }).where('id', '=', next).returningAll().executeTakeFirst()) as Attempt | undefined;
}

/**
 * A register.do that got no answer: the order may exist at the bank. Looked up by our
 * orderNumber; if found, its id is adopted and, as its formUrl never reached the shopper, it is
 * closed with decline.do. If the bank does not know it, nothing was created.
 */
async function findLostRegistration(deps: SyncDeps, attempt: Attempt, report: ReconcileReport): Promise<Attempt> {
  const now = deps.now ?? Date.now;
  try {
    const status = await deps.gateway.getOrderStatusExtended({ orderNumber: attempt.order_number }, { orderId: attempt.order_id });
    const gatewayOrderId = status.attributes?.find((a) => a.name === 'mdOrder')?.value;
    if (!gatewayOrderId) {
      report.errors++;
      (deps.log ?? console.info)(JSON.stringify({ event: 'reconcile.error', orderId: attempt.order_id, error: 'status by orderNumber without mdOrder' }));
      return attempt;
    }
    await deps.db.updateTable('payment_attempts').set({ gateway_order_id: gatewayOrderId }).where('id', '=', attempt.id).execute();
    report.adopted++;
    if (status.orderStatus === 0) await deps.gateway.decline({ orderId: gatewayOrderId }, { orderId: attempt.order_id }).catch(() => undefined);
    return { ...attempt, gateway_order_id: gatewayOrderId };
  } catch (error) {
    if (!isOrderNotFound(error)) throw error;
    const order = await findOrder(deps.db, attempt.order_id);
    if (order) await moveAttempt(deps.db, attempt, 'register_failed', { error: 'not registered at the gateway' }, now());
    report.notRegistered++;
    return attempt;
  }
}

/** Runs reconcileOnce every `intervalMs` inside the server; a tick still running skips the next. */
export function startReconciler(deps: SyncDeps, intervalMs: number, options: ReconcileOptions = {}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const log = deps.log ?? ((line: string) => console.info(line));
  const tick = async () => {
    try {
      const report = await reconcileOnce(deps, options);
      if (report.examined > 0) log(JSON.stringify({ event: 'reconcile.tick', ...report }));
    } catch (error) {
      log(JSON.stringify({ event: 'reconcile.failed', error: error instanceof Error ? error.message : String(error) }));
    } finally {
      running = undefined;
    }
  };
  const timer = setInterval(() => {
    running ??= tick();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
