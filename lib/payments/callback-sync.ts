// What an accepted callback triggers: the usual sync, coalesced per payment attempt. A captured
// genuine notification can be replayed at will (its checksum stays valid), so replays must not
// become as many gateway calls: per attempt at most one callback sync runs in this process, and a
// new one starts at most once per CALLBACK_SYNC_INTERVAL_MS after any sync of that attempt began
// (the same synced_at the polls, returns and reconcilers claim, so this holds across instances).
//
// No real change is missed: a notification may announce something a sync already running did not
// see (the bank moved the money just after that sync read the status). A notification is settled
// only by a sync that began after it arrived: when none has (synced_at, stamped when a sync begins,
// is not later than its arrival), one trailing sync runs once the interval is over.
import type { ShopContext } from './context';
import type { Db } from '../db/database';
import { isGatewayError } from '../gateway/errors';
import { claimSyncAfter, syncedAt, type Attempt } from './orders';
import { isFinal } from './states';
import { syncAttempt } from './sync';
import { POLL_SYNC_INTERVAL_MS } from './shopper-sync';

/** Like the order page's polls: one status read per attempt every 3 s at most, whatever triggers it. */
export const CALLBACK_SYNC_INTERVAL_MS = POLL_SYNC_INTERVAL_MS;

/**
 * The notifications waiting for the same next sync: one promise and the latest arrival, however
 * many replays join, so a flood costs constant memory per attempt.
 */
type Batch = { latestArrival: number; settled: Promise<void>; resolve: () => void; reject: (error: unknown) => void };
/** One per attempt with notifications not yet settled; dropped when none is left. */
type Slot = {
  attemptId: number;
  orderId: string;
  waiting: Batch | undefined;
  running: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
};

// Per shop (database) in this process: the server has one, tests open several.
const slotsByDb = new WeakMap<Db, Map<number, Slot>>();

/**
 * Runs after the bank got its answer. Resolves once this notification is settled: a sync that began
 * after it arrived has run here, or another one (a poll, a return, a reconciler, another instance)
 * began after it. A gateway failure is logged and leaves the attempt to the next trigger.
 */
export function syncAfterCallback(ctx: ShopContext, attempt: Attempt, intervalMs = CALLBACK_SYNC_INTERVAL_MS): Promise<void> {
  // A refunded, reversed or expired attempt never changes again: nothing to read (paid may still
  // be refunded or reversed, which is what a notification on a paid order usually announces).
  if (isFinal(attempt.state) && attempt.state !== 'paid') return Promise.resolve();
  const slots = slotsByDb.get(ctx.db) ?? new Map<number, Slot>();
  slotsByDb.set(ctx.db, slots);
  let slot = slots.get(attempt.id);
  if (!slot) {
    slot = { attemptId: attempt.id, orderId: attempt.order_id, waiting: undefined, running: false, timer: undefined };
    slots.set(attempt.id, slot);
  }
  const batch = (slot.waiting ??= newBatch());
  batch.latestArrival = Math.max(batch.latestArrival, ctx.clock());
  // A sync running or an interval not over yet: this notification waits for the trailing sync.
  if (!slot.running && !slot.timer) void run(ctx, slots, slot, intervalMs);
  return batch.settled;
}

async function run(ctx: ShopContext, slots: Map<number, Slot>, slot: Slot, intervalMs: number): Promise<void> {
  const now = ctx.clock;
  slot.timer = undefined;
  slot.running = true;
  const batch = slot.waiting!;
  let nextAt = now();
  try {
    const claimedAt = now();
    if (await claimSyncAfter(ctx.db, slot.attemptId, claimedAt, batch.latestArrival, intervalMs)) {
      // Everything in the batch arrived before this point, so the status read that follows sees
      // what it announced; notifications arriving from now on form the next batch.
      slot.waiting = undefined;
      nextAt = claimedAt + intervalMs;
      await syncOnce(ctx, slot).then(batch.resolve, batch.reject);
    } else {
      const last = await syncedAt(ctx.db, slot.attemptId);
      // The attempt is gone, or another sync began after the whole batch arrived: theirs settles it.
      if (last === undefined || (last !== null && last > batch.latestArrival)) {
        slot.waiting = undefined;
        batch.resolve();
      }
      if (last) nextAt = last + intervalMs;
    }
  } catch (error) {
    // The database failed: these notifications are not settled here (the reconciler will be).
    if (slot.waiting === batch) slot.waiting = undefined;
    batch.reject(error);
  } finally {
    slot.running = false;
  }
  if (!slot.waiting) {
    slots.delete(slot.attemptId);
    return;
  }
  // One timer per attempt; unref'd, so it never keeps a process alive on its own.
  slot.timer = setTimeout(() => void run(ctx, slots, slot, intervalMs), Math.max(0, nextAt - now()));
  slot.timer.unref?.();
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const settled = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { latestArrival: Number.NEGATIVE_INFINITY, settled, resolve, reject };
}

/** The sync itself, reading the attempt afresh (a paid one too: the notification may announce its refund). */
async function syncOnce(ctx: ShopContext, slot: Slot): Promise<void> {
  try {
    await syncAttempt(ctx, slot.attemptId, 'callback');
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    ctx.log('payment.sync_failed', { trigger: 'callback', orderId: slot.orderId, error: error.message }, 'warn');
  }
}
