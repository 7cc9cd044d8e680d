// The sandbox's persistence: its own tables, so a restart loses nothing. Every transition is a
// conditional update (WHERE status = …): two requests racing for one order cannot both win,
// exactly as at the bank.
import { sql, type Selectable, type Updateable } from 'kysely';
import type { SandboxOrdersTable, SandboxRefundsTable } from './schema';
import { ActionCode, OrderStatus } from './decisions';
import { actionCodeDescription, type Lang } from './messages';
import type { SandboxDb } from './schema';

export type SandboxOrder = Selectable<SandboxOrdersTable>;
export type SandboxRefund = Selectable<SandboxRefundsTable>;

export type RefundDetails = {
  referenceNumber: string;
  approvalCode: string;
  externalRefundId: string | null;
  items: readonly unknown[] | undefined;
};

/** Rolls the refund's transaction back when the order cannot take it. */
class RefundTooLarge extends Error {}

/** Told of each transition the bank notifies the merchant about (callbacks.ts enqueues it). */
/** The transitions a merchant is notified of (./callbacks.ts). */
export type CallbackOperation = 'approved' | 'deposited' | 'reversed' | 'refunded' | 'declinedByTimeout';

export type TransitionListener = (order: SandboxOrder, operation: CallbackOperation, amount?: number) => Promise<void>;

export function createSandboxStore(db: SandboxDb, onTransition?: TransitionListener) {
  /** Runs after the transition has happened: a listener's failure must not fail the REST answer. */
  async function announce(id: string, operation: CallbackOperation, refundAmount?: number): Promise<void> {
    if (!onTransition) return;
    try {
      const order = await db.selectFrom('sandbox_orders').selectAll().where('id', '=', id).executeTakeFirst();
      const amount = operation === 'deposited' ? order?.deposited_amount : refundAmount;
      if (order) await onTransition(order, operation, amount);
    } catch (error) {
      console.error(`sandbox: ${operation} notification for order ${id} not queued`, error);
    }
  }

  // The offset as last read or moved here: what a synchronous reader (the shop's clock, when this
  // sandbox is its bank) sees. Every REST answer reads it afresh, so other instances catch up.
  let knownOffsetMs = 0;

  return {
    /** The sandbox clock: real time plus an offset tests can move (persisted, so all workers agree). */
    async now(): Promise<number> {
      const row = await db.selectFrom('sandbox_settings').select('value').where('key', '=', 'clock_offset_ms').executeTakeFirst();
      knownOffsetMs = Number(row?.value ?? 0);
      return Date.now() + knownOffsetMs;
    },

    /** The sandbox clock without a database read: real time plus the offset last seen by now() or advanceClock(). */
    nowSync(): number {
      return Date.now() + knownOffsetMs;
    },

    async advanceClock(ms: number): Promise<void> {
      knownOffsetMs += ms;
      await db
        .insertInto('sandbox_settings')
        .values({ key: 'clock_offset_ms', value: String(ms) })
        // Qualified: in PostgreSQL a bare `value` could be the row proposed for insertion too.
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`CAST(CAST(sandbox_settings.value AS BIGINT) + ${ms} AS TEXT)` }))
        .execute();
    },

    /** Returns false when the orderNumber is taken (unique index), without throwing. */
    async insertOrder(order: SandboxOrder): Promise<boolean> {
      const result = await db
        .insertInto('sandbox_orders')
        .values(order)
        .onConflict((oc) => oc.columns(['merchant', 'order_number']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async findById(id: string): Promise<SandboxOrder | undefined> {
      return db.selectFrom('sandbox_orders').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findByNumber(merchant: string, orderNumber: string): Promise<SandboxOrder | undefined> {
      return db
        .selectFrom('sandbox_orders')
        .selectAll()
        .where('merchant', '=', merchant)
        .where('order_number', '=', orderNumber)
        .executeTakeFirst();
    },

    /** Applies `changes` only if the order is still in one of `fromStatuses`; true when it was. */
    async transition(id: string, fromStatuses: readonly number[], changes: Updateable<SandboxOrdersTable>): Promise<boolean> {
      const result = await db
        .updateTable('sandbox_orders')
        .set(changes)
        .where('id', '=', id)
        .where('status', 'in', [...fromStatuses])
        .executeTakeFirst();
      const done = Number(result.numUpdatedRows) === 1;
      // Derived here, not at each call site, so no transition can miss its notification.
      const operation = done ? operationOf(changes) : undefined;
      if (operation) await announce(id, operation);
      return done;
    },

    /** An order still waiting for payment past its lifetime becomes declined (-2007). */
    async expireIfDue(order: SandboxOrder, now: number): Promise<SandboxOrder> {
      if (order.status !== OrderStatus.created || now < order.expires_at) return order;
      await this.transition(order.id, [OrderStatus.created], {
        status: OrderStatus.declined,
        action_code: ActionCode.expired,
        action_code_description: actionCodeDescription(ActionCode.expired, order.language as Lang),
      });
      return (await this.findById(order.id)) ?? order;
    },

    /**
     * Adds a refund if the total stays within the deposited amount, in one transaction: the
     * refund's row first (its externalRefundId unique per order, so a repeated one cannot pass
     * twice), then the conditional update of the order. Returns the refund's row, or 'too-large'
     * or 'duplicate' (that externalRefundId was taken meanwhile).
     */
    async addRefund(id: string, amount: number, now: number, details: RefundDetails): Promise<SandboxRefund | 'too-large' | 'duplicate'> {
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          const inserted = await trx
            .insertInto('sandbox_refunds')
            .values({
              order_id: id,
              amount,
              created_at: now,
              reference_number: details.referenceNumber,
              approval_code: details.approvalCode,
              external_refund_id: details.externalRefundId,
              items_json: details.items ? JSON.stringify(details.items) : null,
            })
            .onConflict((oc) => oc.columns(['order_id', 'external_refund_id']).doNothing())
            .returningAll()
            .executeTakeFirst();
          if (!inserted) return 'duplicate' as const;
          const result = await trx
            .updateTable('sandbox_orders')
            .set({
              status: OrderStatus.refunded,
              refunded_amount: sql`refunded_amount + ${amount}`,
              refunded_at: now,
            })
            .where('id', '=', id)
            .where('status', 'in', [OrderStatus.deposited, OrderStatus.refunded])
            .where(sql<number>`refunded_amount + ${amount}`, '<=', sql<number>`deposited_amount`)
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) !== 1) throw new RefundTooLarge();
          return inserted;
        })
        .catch((error: unknown) => {
          if (error instanceof RefundTooLarge) return 'too-large' as const;
          throw error;
        });
      if (typeof outcome !== 'string') await announce(id, 'refunded', amount);
      return outcome;
    },

    async refundByExternalId(orderId: string, externalRefundId: string): Promise<SandboxRefund | undefined> {
      return db
        .selectFrom('sandbox_refunds')
        .selectAll()
        .where('order_id', '=', orderId)
        .where('external_refund_id', '=', externalRefundId)
        .executeTakeFirst();
    },

    async refundsOf(id: string) {
      return db.selectFrom('sandbox_refunds').selectAll().where('order_id', '=', id).orderBy('id').execute();
    },

    async recordRequest(entry: { method: string; orderId: string | null; orderNumber: string | null; errorCode: number; now: number }) {
      await db
        .insertInto('sandbox_requests')
        .values({
          method: entry.method,
          order_id: entry.orderId,
          order_number: entry.orderNumber,
          error_code: entry.errorCode,
          created_at: entry.now,
        })
        .execute();
    },

    async requestsOf(filter: { orderId?: string; method?: string }) {
      let query = db.selectFrom('sandbox_requests').selectAll().orderBy('id');
      if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
      if (filter.method) query = query.where('method', '=', filter.method);
      return query.execute();
    },

    /** The universal link's token for this order: reuses an unanswered one, so reloads do not pile up. */
    async mirPaySessionFor(orderId: string, now: number, newToken: () => string): Promise<string> {
      const open = await db
        .selectFrom('sandbox_mirpay_sessions')
        .select('token')
        .where('order_id', '=', orderId)
        .where('answered_at', 'is', null)
        .executeTakeFirst();
      if (open) return open.token;
      const token = newToken();
      await db
        .insertInto('sandbox_mirpay_sessions')
        .values({ token, order_id: orderId, created_at: now, card: null, answered_at: null, consumed_at: null })
        .execute();
      return token;
    },

    async findMirPaySession(token: string) {
      return db.selectFrom('sandbox_mirpay_sessions').selectAll().where('token', '=', token).executeTakeFirst();
    },

    /** The app's answer: a card id or "cancel". Only the first answer counts. */
    async answerMirPay(token: string, card: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('sandbox_mirpay_sessions')
        .set({ card, answered_at: now })
        .where('token', '=', token)
        .where('answered_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Claims the app's answer for processing; only one page load processes it. */
    async claimMirPayAnswer(orderId: string, now: number) {
      const answered = await db
        .selectFrom('sandbox_mirpay_sessions')
        .selectAll()
        .where('order_id', '=', orderId)
        .where('answered_at', 'is not', null)
        .where('consumed_at', 'is', null)
        .orderBy('answered_at', 'desc')
        .executeTakeFirst();
      if (!answered) return undefined;
      const result = await db
        .updateTable('sandbox_mirpay_sessions')
        .set({ consumed_at: now })
        .where('token', '=', answered.token)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? answered : undefined;
    },
  };
}

export type SandboxStore = ReturnType<typeof createSandboxStore>;

/** The callback operation of a transition (docs/gateway-api.md §11); declines other than expiry send none. */
function operationOf(changes: Updateable<SandboxOrdersTable>): CallbackOperation | undefined {
  switch (changes.status) {
    case OrderStatus.approved:
      return 'approved';
    case OrderStatus.deposited:
      return 'deposited';
    case OrderStatus.reversed:
      return 'reversed';
    case OrderStatus.declined:
      return changes.action_code === ActionCode.expired ? 'declinedByTimeout' : undefined;
    default:
      return undefined;
  }
}
