// The reconciler: the shopper who never comes back, the callback that never arrives, the
// register.do or deposit.do whose answer was lost. Each tick syncs every payment attempt that is
// not final with the gateway, at most once per `minIntervalMs` each (a claim on synced_at, so
// several reconcilers, or a reconciler and a polling page, never read the same attempt at once).
import { hourOf, raiseAlert } from '../alerts/alerts';
import type { ShopContext } from './context';
import { isGatewayError, isOrderNotFound } from '../gateway/errors';
import { claimNextToReconcile, findOrder, moveAttempt, type Attempt } from './orders';
import { requestIdOf, withRequestId } from '../log/request-id';
import { metrics } from '../metrics/metrics';
import { syncAttempt } from './sync';
import { applyHoldPolicy, holdPolicy } from './hold-policy';

export type ReconcileOptions = {
  /** An attempt synced more recently than this is skipped (default 30 s). */
  minIntervalMs?: number;
  /** A register.do with no answer is looked up by orderNumber only after this (default: the context's inFlightMs). */
  registerGraceMs?: number;
  /** Alert on holds older than this (default 5 days: Mir holds live at most 7). */
  holdAlertMs?: number;
  /** How long the bank keeps an uncaptured hold before reversing it (default 7 days): the hold policy's deadline. */
  holdLifetimeMs?: number;
  /** Declined attempts older than this are no longer read (default 3 h; the bank's lifetime is 20 min). */
  horizonMs?: number;
  batchSize?: number;
  /** Asked before each claim: true ends the tick (the server is shutting down). */
  stopping?: () => boolean;
};

export type ReconcileReport = {
  examined: number;
  changed: number;
  adopted: number;
  notRegistered: number;
  holdAlerts: number;
  /** Holds captured or cancelled by the shop's hold policy in this tick. */
  holdPolicyActions: number;
  errors: number;
};

const DEFAULTS = {
  minIntervalMs: 30_000,
  holdAlertMs: 5 * 24 * 3600_000,
  holdLifetimeMs: 7 * 24 * 3600_000,
  horizonMs: 3 * 3600_000,
  batchSize: 200,
};

export async function reconcileOnce(ctx: ShopContext, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const settings = { ...DEFAULTS, registerGraceMs: ctx.inFlightMs, ...options };
  const now = ctx.clock();
  const log = ctx.log;
  const report: ReconcileReport = { examined: 0, changed: 0, adopted: 0, notRegistered: 0, holdAlerts: 0, holdPolicyActions: 0, errors: 0 };
  const policy = await holdPolicy(ctx.db);
  // One attempt at a time, claimed as it is taken: several reconcilers (one per instance) share
  // the work instead of queueing behind each other's locks.
  while (report.examined < settings.batchSize && !settings.stopping?.()) {
    const attempt = await claimNextToReconcile(ctx.db, {
      syncedBefore: now - Math.max(1, settings.minIntervalMs),
      registeredBefore: now - settings.registerGraceMs,
      declinedAfter: now - settings.horizonMs,
      // Stamped with the time of the claim, not of the tick: in a long tick, an attempt claimed late
      // must not look stale already to another instance's reconciler.
      claimedAt: Math.max(now, ctx.clock()),
    });
    if (!attempt) break;
    report.examined++;
    metrics().reconcilerClaims.inc();
    try {
      const before = attempt.state;
      const after = attempt.gateway_order_id === null ? await findLostRegistration(ctx, attempt, report) : attempt;
      const synced = await syncAttempt(ctx, after.id, 'reconciler', { attempt: after });
      if (synced.state !== before) report.changed++;
      const done = await applyHoldPolicy(ctx, synced, policy, settings.holdLifetimeMs);
      if (done?.ok) report.holdPolicyActions++;
      if (done && !done.ok) log('reconcile.error', { orderId: synced.order_id, error: `hold policy: ${done.reason}` }, 'warn');
      // Under a policy that captures or cancels, an ageing hold is the policy's to settle: the
      // merchant hears of it only when the policy could not (an alert beside its own action, in
      // the same tick, would only be noise). Under "alert only", the alert is the policy.
      const unsettled = policy.action === 'alert' || (done !== undefined && !done.ok);
      if (unsettled && synced.state === 'approved' && now - synced.updated_at > settings.holdAlertMs) {
        report.holdAlerts++;
        await raiseAlert(ctx, {
          kind: 'hold-ageing',
          key: `${synced.id}`,
          orderId: synced.order_id,
          details: { heldDays: Math.floor((now - synced.updated_at) / 86_400_000) },
        });
      }
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      report.errors++;
      metrics().reconcilerErrors.inc();
      log('reconcile.error', { orderId: attempt.order_id, error: error.message }, 'warn');
      await raiseAlert(ctx, { kind: 'reconciler-error', key: hourOf(now), orderId: attempt.order_id, details: { error: error.message } });
    }
  }
  return report;
}

/**
 * A register.do that got no answer: the order may exist at the bank. Looked up by our
 * orderNumber; if found, its id is adopted and, as its formUrl never reached the shopper, it is
 * closed with decline.do. If the bank does not know it, nothing was created.
 */
async function findLostRegistration(ctx: ShopContext, attempt: Attempt, report: ReconcileReport): Promise<Attempt> {
  const now = ctx.clock;
  try {
    const status = await ctx.gateway.getOrderStatusExtended({ orderNumber: attempt.order_number }, { orderId: attempt.order_id });
    const gatewayOrderId = status.attributes?.find((a) => a.name === 'mdOrder')?.value;
    if (!gatewayOrderId) {
      report.errors++;
      metrics().reconcilerErrors.inc();
      ctx.log('reconcile.error', { orderId: attempt.order_id, error: 'status by orderNumber without mdOrder' }, 'warn');
      return attempt;
    }
    await moveAttempt(ctx.db, attempt, attempt.state, { gateway_order_id: gatewayOrderId }, { at: now(), cause: 'reconciler' });
    report.adopted++;
    if (status.orderStatus === 0)
      await ctx.gateway.decline({ orderId: gatewayOrderId }, { orderId: attempt.order_id }).catch(() => undefined);
    return { ...attempt, gateway_order_id: gatewayOrderId };
  } catch (error) {
    if (!isOrderNotFound(error)) throw error;
    const order = await findOrder(ctx.db, attempt.order_id);
    if (order)
      await moveAttempt(ctx.db, attempt, 'register_failed', { error: 'not registered at the gateway' }, { at: now(), cause: 'reconciler' });
    report.notRegistered++;
    return attempt;
  }
}

/**
 * Runs reconcileOnce every `intervalMs` inside the server; a tick still running skips the next.
 * stop() lets a running tick finish the attempt it has claimed, then waits for it.
 */
export function startReconciler(ctx: ShopContext, intervalMs: number, options: ReconcileOptions = {}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const log = ctx.log;
  const tick = async () => {
    metrics().reconcilerTicks.inc();
    try {
      const report = await reconcileOnce(ctx, { ...options, stopping: () => stopped });
      if (report.examined > 0) log('reconcile.tick', { ...report });
    } catch (error) {
      metrics().reconcilerErrors.inc();
      const message = error instanceof Error ? error.message : String(error);
      log('reconcile.failed', { error: message }, 'error');
      await raiseAlert(ctx, { kind: 'reconciler-error', key: hourOf(ctx.clock()), details: { error: message } });
    } finally {
      running = undefined;
    }
  };
  // Each tick logs under an id of its own: the timer would otherwise carry the id of the request
  // that happened to start the services, on every tick for the life of the process.
  const timer = setInterval(() => {
    running ??= withRequestId(requestIdOf(undefined), tick);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
