// The one idempotent sync that brings a payment attempt in line with the bank: status, deposit
// when due, status again (./status-read.ts), and one order, one payment: an attempt found to be a
// second secured payment of its order is given back instead of deposited (./duplicate-payments.ts).
// Every trigger calls it, saying who it is (./triggers.ts): the return route, status polling,
// callbacks, the reconciler, checkout's retry, the merchant's console.
import type { Db } from '../db/database';
import type { ShopContext } from './context';
import { settleDuplicates } from './duplicate-payments';
import { findAttempt, type Attempt, type Order } from './orders';
import { isSecured } from './states';
import { depositIfDue, loadAttempt, readable, readAndApply, type Loaded } from './status-read';
import { SYNC_POLICY, type SyncPolicy, type Trigger } from './triggers';

/**
 * `loaded`: the attempt (and order) the caller has just read, saving a second read. Every write
 * is conditional on the state the attempt was seen in, so a stale copy cannot do harm: a move
 * that finds the state changed re-reads the attempt.
 */
export function syncAttempt(ctx: ShopContext, attemptId: number, trigger: Trigger, loaded?: Loaded): Promise<Attempt> {
  return tracked(ctx.db, attemptId, syncAttemptInner(ctx, attemptId, SYNC_POLICY[trigger], loaded));
}

/**
 * The rest of a sync whose status read the caller has just made and applied: the deposit when due
 * and the read after it, without reading the status once more first. The shopper's return answers
 * after its read and runs this after the response, so a two-stage return costs the bank three calls,
 * not four. `read` is the attempt as that read left it (the duplicate check ran on it): the deposit's
 * claim is conditional on that state and on no other attempt of the order being secured, so a copy
 * gone stale meanwhile (a merchant's cancel, a callback's deposit) claims nothing.
 */
export function depositAfterRead(ctx: ShopContext, trigger: Trigger, order: Order, read: Attempt): Promise<Attempt> {
  return tracked(ctx.db, read.id, finishSync(ctx, SYNC_POLICY[trigger], order, read));
}

/** Known to this process while it runs: a return that finds the sync taken waits for its result. */
function tracked(db: Db, attemptId: number, running: Promise<Attempt>): Promise<Attempt> {
  const inFlight = inFlightOf(db);
  inFlight.set(attemptId, running);
  const forget = () => {
    if (inFlight.get(attemptId) === running) inFlight.delete(attemptId);
  };
  running.then(forget, forget);
  return running;
}

const inFlightByDb = new WeakMap<Db, Map<number, Promise<Attempt>>>();

function inFlightOf(db: Db): Map<number, Promise<Attempt>> {
  let map = inFlightByDb.get(db);
  if (!map) inFlightByDb.set(db, (map = new Map()));
  return map;
}

/** The sync of this attempt running in this process right now, if any. */
export function syncInFlight(db: Db, attemptId: number): Promise<Attempt> | undefined {
  return inFlightByDb.get(db)?.get(attemptId);
}

async function syncAttemptInner(ctx: ShopContext, attemptId: number, policy: SyncPolicy, loaded?: Loaded): Promise<Attempt> {
  const { attempt, order } = await loadAttempt(ctx, attemptId, loaded);
  if (!order || !readable(policy, attempt)) return attempt;
  const read = await readAndApply(ctx, policy, order, attempt);
  // One order, one payment: an extra secured attempt is given back, never deposited.
  if (policy.settleDuplicates && isSecured(read.state) && (await settleDuplicates(ctx, order, read.id))) {
    return (await findAttempt(ctx.db, attemptId))!;
  }
  return finishSync(ctx, policy, order, read);
}

async function finishSync(ctx: ShopContext, policy: SyncPolicy, order: Order, read: Attempt): Promise<Attempt> {
  const after = await depositIfDue(ctx, policy, order, read);
  // Now paid, this attempt may outrank another one's hold, which is then given back.
  if (policy.settleDuplicates && after !== read && after.state === 'paid') await settleDuplicates(ctx, order, after.id);
  return after;
}
