// What an accepted callback triggers: the usual sync, coalesced per payment attempt. A captured
// genuine notification can be replayed at will (its checksum stays valid), so replays must not
// become as many gateway calls: per attempt at most one callback sync runs in this process, and a
// new one starts at most once per CALLBACK_SYNC_INTERVAL_MS after any sync of that attempt began
// (the same synced_at the polls, returns and reconcilers claim, so this holds across instances).
//
// No real change is missed: a notification may announce something a sync already running did not
// see (the bank moved the money just after that sync read the status). Each notification is
// settled only by a sync that began after it arrived: when none has (synced_at, stamped when a
// sync begins, is not later than its arrival), one trailing sync runs once the interval is over.
import type { Db } from '../db/database';
import { isGatewayError } from '../gateway/errors';
import { withCause } from './cause';
import { claimSyncAfter, syncedAt, type Attempt } from './orders';
import { isFinal } from './payment-state';
import { syncAttempt, type SyncDeps } from './payment-sync';
import { POLL_SYNC_INTERVAL_MS } from './shopper-sync';

/** Like the order page's polls: one status read per attempt every 3 s at most, whatever triggers it. */
export const CALLBACK_SYNC_INTERVAL_MS = POLL_SYNC_INTERVAL_MS;

type Waiter = { arrivedAt: number; resolve: () => void; reject: (error: unknown) => void };
/** One per attempt with notifications not yet settled; dropped when none is left. */
type Slot = { attemptId: number; orderId: string; waiters: Waiter[]; running: boolean; timer: ReturnType<typeof setTimeout> | undefined };

// Per shop (database) in this process: the server has one, tests open several.
const slotsByDb = new WeakMap<Db, Map<number, Slot>>();

/**
 * Runs after the bank got its answer. Resolves once this notification is settled: a sync that began
 * after it arrived has run here, or another one (a poll, a return, a reconciler, another instance)
 * began after it. A gateway failure is logged and leaves the attempt to the next trigger.
 */
export function syncAfterCallback(deps: SyncDeps, attempt: Attempt, intervalMs = CALLBACK_SYNC_INTERVAL_MS): Promise<void> {
  // A refunded, reversed or expired attempt never changes again: nothing to read (paid may still
  // be refunded or reversed, which is what a notification on a paid order usually announces).
  if (isFinal(attempt.state) && attempt.state !== 'paid') return Promise.resolve();
  const slots = slotsByDb.get(deps.db) ?? new Map<number, Slot>();
  slotsByDb.set(deps.db, slots);
  let slot = slots.get(attempt.id);
  if (!slot) {
    slot = { attemptId: attempt.id, orderId: attempt.order_id, waiters: [], running: false, timer: undefined };
    slots.set(attempt.id, slot);
  }
  const arrivedAt = (deps.now ?? Date.now)();
  const settled = new Promise<void>((resolve, reject) => slot.waiters.push({ arrivedAt, resolve, reject }));
  // Running or waiting for its interval: this notification joins the trailing sync.
  if (!slot.running && !slot.timer) void run(deps, slots, slot, intervalMs);
  return settled;
}

async function run(deps: SyncDeps, slots: Map<number, Slot>, slot: Slot, intervalMs: number): Promise<void> {
  const now = deps.now ?? Date.now;
  slot.timer = undefined;
  slot.running = true;
  let nextAt: number;
  try {
    // The notifications here now arrived before this claim, so the status read that follows it
    // sees what they announced; those arriving from now on wait for the next one.
    const present = new Set(slot.waiters);
    const latestArrival = Math.max(...slot.waiters.map((w) => w.arrivedAt));
    const claimedAt = now();
    if (await claimSyncAfter(deps.db, slot.attemptId, claimedAt, latestArrival, intervalMs)) {
      const covered = take(slot, (w) => present.has(w));
      try {
        await syncOnce(deps, slot);
      } catch (error) {
        for (const w of covered) w.reject(error);
        throw error;
      }
      for (const w of covered) w.resolve();
      nextAt = claimedAt + intervalMs;
    } else {
      const last = await syncedAt(deps.db, slot.attemptId);
      if (last === undefined) {
        for (const w of take(slot, () => true)) w.resolve(); // the attempt is gone
        nextAt = now();
      } else {
        // Someone else's sync began after these notifications arrived: theirs settles them.
        for (const w of take(slot, (w) => last !== null && w.arrivedAt < last)) w.resolve();
        nextAt = last === null ? now() : last + intervalMs;
      }
    }
  } catch (error) {
    for (const w of take(slot, () => true)) w.reject(error);
    nextAt = now();
  } finally {
    slot.running = false;
  }
  if (slot.waiters.length === 0) {
    slots.delete(slot.attemptId);
    return;
  }
  // One timer per attempt; unref'd, so it never keeps a process alive on its own.
  slot.timer = setTimeout(() => void run(deps, slots, slot, intervalMs), Math.max(0, nextAt - now()));
  slot.timer.unref?.();
}

/** Removes and returns the waiters `which` selects. */
function take(slot: Slot, which: (w: Waiter) => boolean): Waiter[] {
  const taken = slot.waiters.filter(which);
  slot.waiters = slot.waiters.filter((w) => !which(w));
  return taken;
}

/** The sync itself, reading the attempt afresh (a paid one too: the notification may announce its refund). */
async function syncOnce(deps: SyncDeps, slot: Slot): Promise<void> {
  try {
    await withCause('callback', () => syncAttempt(deps, slot.attemptId, { rereadPaid: true }));
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    (deps.log ?? console.info)(JSON.stringify({ event: 'payment.sync_failed', trigger: 'callback', orderId: slot.orderId, error: error.message }));
  }
}
