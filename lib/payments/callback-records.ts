// What the shop keeps of each callback notification in `payment_callbacks`. A genuine one (signed
// with our key) keeps its parameters, checksum dropped: the bank sent them and they are evidence.
// A refused one (unsigned, forged, malformed, or any while no key is set) could come from anyone
// in any size, so it keeps only a summary: verdict, byte size, parameter count and a SHA-256 of
// the raw parameters (enough to tell a replayed junk request from a new one), never a value; and
// refused rows are pruned by age and by count, so a flood cannot grow the table without bound.
import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import type { Attempt } from './orders';

export type RefusedVerdict = 'unsigned' | 'forged' | 'malformed' | 'disabled';
export type GenuineVerdict = 'accepted' | 'unknown-order';

export type RefusedRetention = {
  /** Refused rows older than this are deleted. */
  maxAgeMs: number;
  /** At most this many refused rows are kept (the newest). */
  maxRows: number;
  /** A prune runs after this many refused notifications in this process… */
  pruneEvery: number;
  /** …or at the first one after this long without a prune. */
  pruneAfterMs: number;
};

/**
 * A week of evidence, and at most 10 000 summaries (about 2 MB with the index): a prune costs two
 * indexed deletes and one indexed lookup of the 10 001st newest refused row, run once per 100
 * refusals (or hourly while they trickle in), so a flood pays it on 1 % of its requests.
 */
export const REFUSED_RETENTION: RefusedRetention = {
  maxAgeMs: 7 * 24 * 3600_000,
  maxRows: 10_000,
  pruneEvery: 100,
  pruneAfterMs: 3600_000,
};

type PruneState = { sincePrune: number; prunedAt: number };
const pruneStates = new WeakMap<Db, PruneState>();

/** A signed notification: its parameters as received, checksum dropped. */
export async function recordGenuine(
  db: Db,
  at: number,
  verdict: GenuineVerdict,
  params: Record<string, string>,
  entries: [string, string][],
  attempt: Attempt | undefined,
) {
  const kept = Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'checksum'));
  await db
    .insertInto('payment_callbacks')
    .values({
      received_at: at,
      md_order: params.mdOrder ?? null,
      order_number: params.orderNumber ?? null,
      operation: params.operation ?? null,
      status: params.status ?? null,
      verdict,
      order_id: attempt?.order_id ?? null,
      attempt_id: attempt?.id ?? null,
      params_json: JSON.stringify(kept),
      refused: 0,
      byte_size: rawBytes(entries).length,
      params_sha256: null,
      param_count: entries.length,
    })
    .execute();
}

/**
 * A refused notification's summary. `claimed`: the attempt its mdOrder names, if any, so that the
 * merchant sees on that order's timeline that someone sent forged or unsigned notifications for it
 * (the link is ours; the claimed value itself is not kept).
 */
export async function recordRefused(
  db: Db,
  at: number,
  verdict: RefusedVerdict,
  entries: [string, string][],
  claimed: Attempt | undefined,
  retention: RefusedRetention = REFUSED_RETENTION,
) {
  const raw = rawBytes(entries);
  await db
    .insertInto('payment_callbacks')
    .values({
      received_at: at,
      md_order: null,
      order_number: null,
      operation: null,
      status: null,
      verdict,
      order_id: claimed?.order_id ?? null,
      attempt_id: claimed?.id ?? null,
      // No parameter is kept: not a name, not a value.
      params_json: '{}',
      refused: 1,
      byte_size: raw.length,
      params_sha256: createHash('sha256').update(raw).digest('hex'),
      param_count: entries.length,
    })
    .execute();
  await pruneNowAndThen(db, at, retention);
}

/** The parameters as one form-encoded string, in the order received: what the size and hash cover. */
function rawBytes(entries: [string, string][]): Buffer {
  return Buffer.from(new URLSearchParams(entries).toString(), 'utf8');
}

/**
 * Counted per process: with several instances each prunes after its own refusals, so the table
 * holds at most `maxRows` plus `pruneEvery` per instance refused rows. The counter is reset before
 * the prune starts, so concurrent refusals never start a second one.
 */
async function pruneNowAndThen(db: Db, now: number, retention: RefusedRetention) {
  const state = pruneStates.get(db) ?? { sincePrune: 0, prunedAt: Number.NEGATIVE_INFINITY };
  pruneStates.set(db, state);
  state.sincePrune++;
  if (state.sincePrune < retention.pruneEvery && now - state.prunedAt < retention.pruneAfterMs) return;
  state.sincePrune = 0;
  state.prunedAt = now;
  await pruneRefusedCallbacks(db, now, retention);
}

/** Deletes refused rows past their age, then all but the newest `maxRows`; how many went. */
export async function pruneRefusedCallbacks(
  db: Db,
  now: number,
  retention: Pick<RefusedRetention, 'maxAgeMs' | 'maxRows'> = REFUSED_RETENTION,
): Promise<number> {
  const aged = await db
    .deleteFrom('payment_callbacks')
    .where('refused', '=', 1)
    .where('received_at', '<', now - retention.maxAgeMs)
    .executeTakeFirst();
  // The newest refused row beyond the cap, found on the (refused, id) index; it and older ones go.
  const edge = await db
    .selectFrom('payment_callbacks')
    .select('id')
    .where('refused', '=', 1)
    .orderBy('id', 'desc')
    .limit(1)
    .offset(retention.maxRows)
    .executeTakeFirst();
  const capped = edge
    ? await db.deleteFrom('payment_callbacks').where('refused', '=', 1).where('id', '<=', edge.id).executeTakeFirst()
    : undefined;
  return Number(aged.numDeletedRows) + Number(capped?.numDeletedRows ?? 0);
}
