// Orders and their payment attempts in the database. Transitions are conditional updates
// (WHERE state = …), so concurrent callers cannot both win (docs/architecture.md §5, §6).
import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database';
import { hasRowLocks } from '../db/row-locks';
import type { OrdersTable, PaymentAttemptsTable } from '../db/schema';
import { metrics } from '../metrics/metrics';
import { owePaidMail, oweRefundMail } from './owed-mail';
import { canMove, isFinal, isSecured, type AttemptState } from './states';
import type { Cause } from './triggers';

export type Order = Selectable<OrdersTable>;
export type Attempt = Selectable<PaymentAttemptsTable>;

export type OrderItem = { slug: string; name: string; price: number; quantity: number; total: number };

/** 128 random bits: the order page's URL is its only key, so it must be unguessable. */
export function newOrderId(): string {
  return randomBytes(16).toString('base64url');
}

/** A short human order number; the attempt suffix keeps the gateway's orderNumber ≤ 32 chars. */
export function newOrderNumber(now: number): string {
  return `${new Date(now).toISOString().slice(2, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function attemptNumberOf(orderNumber: string, attemptNo: number): string {
  return `${orderNumber}-${attemptNo}`;
}

export function itemsOf(order: Order): OrderItem[] {
  return JSON.parse(order.items_json) as OrderItem[];
}

export async function findOrder(db: Db, id: string): Promise<Order | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function latestAttempt(db: Db, orderId: string): Promise<Attempt | undefined> {
  return await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('attempt_no', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findAttemptByGatewayId(db: Db, orderId: string, gatewayOrderId: string): Promise<Attempt | undefined> {
  return await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('gateway_order_id', '=', gatewayOrderId)
    .executeTakeFirst();
}

/**
 * An attempt set aside: its formUrl never reached the shopper (a foreign host, a lost answer), or
 * a later attempt of the same order replaced it. Either way nobody should pay it any more.
 */
export async function isSetAside(db: Db, attempt: Pick<Attempt, 'order_id' | 'attempt_no' | 'form_url'>): Promise<boolean> {
  if (attempt.form_url === null) return true;
  const later = await db
    .selectFrom('payment_attempts')
    .select('id')
    .where('order_id', '=', attempt.order_id)
    .where('attempt_no', '>', attempt.attempt_no)
    .executeTakeFirst();
  return later !== undefined;
}

/** Claims the right to sync an attempt now if nobody did in the last `minIntervalMs`. */
export async function claimSync(db: Db, attemptId: number, now: number, minIntervalMs: number): Promise<boolean> {
  const result = await db
    .updateTable('payment_attempts')
    .set({ synced_at: now })
    .where('id', '=', attemptId)
    .where((eb) => eb.or([eb('synced_at', 'is', null), eb('synced_at', '<=', now - minIntervalMs)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A shopper's return claims its sync against other returns only (reloads, duplicate redirects):
 * a poll, callback or reconciler tick that began a moment earlier may have read the status before
 * the shopper paid, so it never stands in for the return's own read.
 */
export async function claimReturnSync(db: Db, attemptId: number, now: number, minIntervalMs: number): Promise<boolean> {
  const result = await db
    .updateTable('payment_attempts')
    .set({ return_synced_at: now, synced_at: sql<number>`case when synced_at > ${now} then synced_at else cast(${now} as bigint) end` })
    .where('id', '=', attemptId)
    .where((eb) => eb.or([eb('return_synced_at', 'is', null), eb('return_synced_at', '<=', now - minIntervalMs)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Claims a sync for notifications that arrived up to `arrivedBy`: only if no sync began after
 * they arrived (synced_at is stamped when one begins) and none began in the last `minIntervalMs`.
 */
export async function claimSyncAfter(db: Db, attemptId: number, now: number, arrivedBy: number, minIntervalMs: number): Promise<boolean> {
  const result = await db
    .updateTable('payment_attempts')
    .set({ synced_at: now })
    .where('id', '=', attemptId)
    .where((eb) => eb.or([eb('synced_at', 'is', null), eb('synced_at', '<=', Math.min(arrivedBy, now - minIntervalMs))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The reconciler's claim on the next attempt that needs reading, by setting its synced_at, in one
 * statement. On PostgreSQL the row is locked with SKIP LOCKED, so two instances' reconcilers never
 * take the same attempt and never wait for each other; SQLite has one writer at a time anyway. The
 * claim also keeps a polling page or a shopper's return from reading the attempt in the same moment.
 */
export async function claimNextToReconcile(
  db: Db,
  when: { syncedBefore: number; registeredBefore: number; declinedAfter: number; claimedAt: number },
): Promise<Attempt | undefined> {
  const next = db
    .selectFrom('payment_attempts')
    .select('id')
    .where((eb) =>
      eb.or([
        // Awaiting ends in a final state (paid, declined or expired) at the gateway, so it is
        // always read; a declined order may still be paid on the same page, for a while.
        eb('state', 'in', ['awaiting', 'approved', 'depositing', 'unknown']),
        eb.and([eb('state', '=', 'registering'), eb('created_at', '<=', when.registeredBefore)]),
        eb.and([eb('state', '=', 'declined'), eb('created_at', '>', when.declinedAfter)]),
      ]),
    )
    .where((eb) => eb.or([eb('synced_at', 'is', null), eb('synced_at', '<=', when.syncedBefore)]))
    .orderBy(sql`coalesce(synced_at, 0)`)
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked();
  return await db
    .updateTable('payment_attempts')
    .set({ synced_at: when.claimedAt })
    .where('id', '=', next)
    .returningAll()
    .executeTakeFirst();
}

/** When the attempt's latest sync began: null if never, undefined if there is no such attempt. */
export async function syncedAt(db: Db, attemptId: number): Promise<number | null | undefined> {
  const row = await db.selectFrom('payment_attempts').select('synced_at').where('id', '=', attemptId).executeTakeFirst();
  return row && (row.synced_at === null ? null : Number(row.synced_at));
}

/** A "depositing" claim older than `staleMs` whose deposit.do never reached the bank: claim it again. */
export async function reclaimStaleDeposit(
  db: Db,
  attempt: Pick<Attempt, 'id' | 'updated_at'>,
  now: number,
  staleMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('payment_attempts')
    .set({ updated_at: now })
    .where('id', '=', attempt.id)
    .where('state', '=', 'depositing')
    .where('updated_at', '=', attempt.updated_at)
    .where('updated_at', '<=', now - staleMs)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findAttempt(db: Db, id: number): Promise<Attempt | undefined> {
  return await db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrderByKey(db: Db, checkoutKey: string): Promise<Order | undefined> {
  return db.selectFrom('orders').selectAll().where('checkout_key', '=', checkoutKey).executeTakeFirst();
}

/** Saves the order and its first attempt in one transaction, before the gateway is called.
 * undefined when an order with the same checkout key exists already. */
export async function insertOrderWithAttempt(db: Db, order: Order): Promise<Attempt | undefined> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('orders')
      .values(order)
      .onConflict((oc) => oc.column('checkout_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    return await trx.insertInto('payment_attempts').values(newAttemptRow(order, 1)).returningAll().executeTakeFirstOrThrow();
  });
}

/** A new attempt with the next number, now the order's latest; undefined if another caller added it first. */
export async function insertNextAttempt(db: Db, order: Order, previous: Attempt): Promise<Attempt | undefined> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('payment_attempts')
      .values(newAttemptRow(order, previous.attempt_no + 1))
      .onConflict((oc) => oc.columns(['order_id', 'attempt_no']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await trx
        .updateTable('orders')
        .set({ latest_attempt_no: row.attempt_no, latest_state: row.state })
        .where('id', '=', order.id)
        .where('latest_attempt_no', '<', row.attempt_no)
        .execute();
    }
    return row;
  });
}

function newAttemptRow(order: Order, attemptNo: number) {
  return {
    order_id: order.id,
    attempt_no: attemptNo,
    order_number: attemptNumberOf(order.number, attemptNo),
    state: 'registering' as const,
    gateway_order_id: null,
    form_url: null,
    action_code: null,
    approved_amount: null,
    deposited_amount: null,
    error: null,
    created_at: order.created_at,
    updated_at: order.created_at,
    synced_at: null,
  };
}

export type AttemptChanges = Partial<
  Pick<
    Attempt,
    | 'gateway_order_id'
    | 'form_url'
    | 'action_code'
    | 'approved_amount'
    | 'deposited_amount'
    | 'refunded_amount'
    | 'capture_amount'
    | 'error'
    | 'synced_at'
  >
>;

/** When a move happens and who made it: the timeline's event carries both. */
export type MoveStamp = { at: number; cause: Cause };

/**
 * The one writer of an attempt's state. Moves it to `to` if it is still in the state the caller
 * saw (a conditional update, so concurrent callers cannot both move it) and the move is in the
 * table (./states.ts), with its timeline event in the same transaction. `to` equal to the
 * current state updates the other fields only. The attempt as moved, or undefined when it had
 * changed meanwhile or the move is not allowed.
 */
export async function moveAttempt(
  db: Db,
  attempt: Pick<Attempt, 'id' | 'state' | 'order_id'>,
  to: AttemptState,
  changes: AttemptChanges,
  stamp: MoveStamp,
): Promise<Attempt | undefined> {
  const now = stamp.at;
  if (attempt.state !== to && !canMove(attempt.state, to)) return undefined;
  // updated_at is when the attempt entered its state: a stuck "depositing" is told by its age.
  const entered = attempt.state === to ? {} : { updated_at: now };
  // synced_at says when the latest sync began; a slower sync finishing late never moves it back.
  const { synced_at: syncStarted, ...rest } = changes;
  const syncStamp =
    syncStarted == null
      ? {}
      : { synced_at: sql<number>`case when synced_at > ${syncStarted} then synced_at else cast(${syncStarted} as bigint) end` };
  // The move, its timeline event and what the order keeps of it stand or fall together.
  const result = await inTransaction(db, async (trx) => {
    // The order's row first, then the attempt's, as claimDeposit and a new attempt take them: on
    // PostgreSQL the opposite order deadlocked against a deposit claim (a reconciler's deposit
    // beside a merchant's cancel of the same order).
    await lockOrder(trx, attempt.order_id);
    // What was refunded before a move to "refunded", read under the order's lock: a refund event
    // is a rise of it (only such a move can raise it; the others need not read it).
    const refundedBefore =
      to === 'refunded'
        ? ((await trx.selectFrom('payment_attempts').select('refunded_amount').where('id', '=', attempt.id).executeTakeFirst())
            ?.refunded_amount ?? 0)
        : undefined;
    const moved = await trx
      .updateTable('payment_attempts')
      .set({ ...rest, ...syncStamp, ...entered, state: to })
      .where('id', '=', attempt.id)
      .where('state', '=', attempt.state)
      .returningAll()
      .executeTakeFirst();
    if (!moved) return moved;
    // The shopper's e-mail for each refund, owed from the moment it stands (lib/mail sends it):
    // a later partial refund keeps the state "refunded" and raises only the amount.
    if (refundedBefore !== undefined) await oweRefundMail(trx, moved, refundedBefore, now);
    if (attempt.state === to) return moved;
    await recordEvent(trx, attempt, to, stamp);
    await markOrder(trx, moved, now);
    if (to === 'paid') await owePaidMail(trx, attempt, now);
    return moved;
  });
  // Counted once committed, by the one writer that made the move.
  if (result && attempt.state !== to && isFinal(to)) metrics().payments.inc({ state: to });
  return result;
}

/**
 * What the order's row keeps of a move, in one statement (a move is on the shopper's path):
 * - Its latest state, which follows its latest attempt only. The condition is on the order's own
 *   row, which PostgreSQL evaluates again on the row's newest version after waiting for a
 *   concurrent insertNextAttempt's lock, so a move of an older attempt never overwrites the newer
 *   attempt's state.
 * - Once the money for its goods is secured, whoever moved the attempt (a return, a poll, a
 *   callback, the reconciler, the merchant): the browser holding this order empties its cart on
 *   its next page (proxy.ts). Set once; a later refund does not give the cart back.
 * - When it was first paid: the console's "paid today" and conversion count orders by it. Set once.
 */
async function markOrder(db: Db, moved: Attempt, now: number): Promise<void> {
  await db
    .updateTable('orders')
    .set({
      latest_state: sql<AttemptState>`case when latest_attempt_no = ${moved.attempt_no} then ${moved.state} else latest_state end`,
      ...(isSecured(moved.state) ? { cart_spent_at: sql<number>`coalesce(cart_spent_at, ${now})` } : {}),
      ...(moved.state === 'paid' ? { paid_at: sql<number>`coalesce(paid_at, ${now})` } : {}),
    })
    .where('id', '=', moved.order_id)
    .execute();
}

/** The order if its cart is spent (see markOrder): what a browser's `checkout` cookie asks about. */
export async function spentOrder(db: Db, orderId: string): Promise<Pick<Order, 'id' | 'number'> | undefined> {
  return db
    .selectFrom('orders')
    .select(['id', 'number'])
    .where('id', '=', orderId)
    .where('cart_spent_at', 'is not', null)
    .executeTakeFirst();
}

/** Locks the order's row until the transaction ends (PostgreSQL; SQLite's transaction holds the whole database). */
async function lockOrder(trx: Db, orderId: string): Promise<void> {
  if (hasRowLocks(trx)) await trx.selectFrom('orders').select('id').where('id', '=', orderId).forUpdate().executeTakeFirst();
}

/** Runs `work` in a transaction, or in the caller's when `db` is one already (Kysely does not nest them). */
function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * approved → depositing, the claim that lets exactly one caller send deposit.do, and only while no
 * other attempt of the same order is being deposited or paid (one order, one payment). The order's
 * row is locked for the check and the move (PostgreSQL; SQLite has one writer), so two attempts'
 * claims cannot both pass.
 */
export async function claimDeposit(
  db: Db,
  attempt: Pick<Attempt, 'id' | 'state' | 'order_id'>,
  changes: AttemptChanges,
  stamp: MoveStamp,
): Promise<Attempt | undefined> {
  return db.transaction().execute(async (trx) => {
    await lockOrder(trx, attempt.order_id);
    const rival = await trx
      .selectFrom('payment_attempts')
      .select('id')
      .where('order_id', '=', attempt.order_id)
      .where('id', '!=', attempt.id)
      .where('state', 'in', ['depositing', 'paid'])
      .executeTakeFirst();
    return rival ? undefined : moveAttempt(trx, attempt, 'depositing', changes, stamp);
  });
}

async function recordEvent(db: Db, attempt: Pick<Attempt, 'id' | 'state' | 'order_id'>, to: AttemptState, stamp: MoveStamp) {
  await db
    .insertInto('payment_events')
    .values({
      order_id: attempt.order_id,
      attempt_id: attempt.id,
      at: stamp.at,
      from_state: attempt.state,
      to_state: to,
      cause: stamp.cause,
    })
    .execute();
}
