// Read-only look into the shop's and the bank's databases, to check that a load run did what it
// claims: the gateway calls the shop made (the shop's gateway_calls table), the REST calls the bank
// answered (the bank's sandbox_requests), and the payment attempts' states. Opening it read-only never takes a write
// lock, and unlike /api/orders it triggers no sync.
import Database from 'better-sqlite3';

export type Ledger = {
  /** A point in time to count from. */
  mark(): LedgerMark;
  /** Gateway calls by operation since the mark: made by the shop, and answered by the sandbox (bench's own calls included). */
  since(mark: LedgerMark): LedgerDelta;
  /** States of the latest attempts of these orders. */
  attemptStates(orderIds: readonly string[]): Record<string, number>;
  close(): void;
};

export type LedgerMark = { gatewayCallId: number; sandboxRequestId: number };

export type LedgerDelta = {
  shopCalls: Record<string, number>;
  /** Shop gateway calls whose outcome was not ok (refused or unknown). */
  shopCallFailures: number;
  sandboxRequests: Record<string, number>;
  /** Sandbox answers with a non-zero errorCode. */
  sandboxErrors: number;
};

export function openLedger(shopDatabasePath: string, bankDatabasePath: string): Ledger {
  const db = new Database(shopDatabasePath, { readonly: true, fileMustExist: true });
  const bank = new Database(bankDatabasePath, { readonly: true, fileMustExist: true });
  const of = (table: string) => (table.startsWith('sandbox_') ? bank : db);
  const maxId = (table: string) => (of(table).prepare(`SELECT COALESCE(MAX(rowid), 0) AS id FROM ${table}`).get() as { id: number }).id;
  const countBy = (sql: string, after: number) =>
    Object.fromEntries(
      (
        of(/FROM (\w+)/.exec(sql)![1]!)
          .prepare(sql)
          .all(after) as { key: string; n: number }[]
      ).map(({ key, n }) => [key, n]),
    );
  const count = (sql: string, after: number) =>
    (
      of(/FROM (\w+)/.exec(sql)![1]!)
        .prepare(sql)
        .get(after) as { n: number }
    ).n;
  return {
    mark: () => ({ gatewayCallId: maxId('gateway_calls'), sandboxRequestId: maxId('sandbox_requests') }),
    since(mark) {
      return {
        shopCalls: countBy(
          'SELECT operation AS key, COUNT(*) AS n FROM gateway_calls WHERE rowid > ? GROUP BY operation',
          mark.gatewayCallId,
        ),
        shopCallFailures: count("SELECT COUNT(*) AS n FROM gateway_calls WHERE rowid > ? AND outcome <> 'ok'", mark.gatewayCallId),
        sandboxRequests: countBy(
          'SELECT method AS key, COUNT(*) AS n FROM sandbox_requests WHERE rowid > ? GROUP BY method',
          mark.sandboxRequestId,
        ),
        sandboxErrors: count('SELECT COUNT(*) AS n FROM sandbox_requests WHERE rowid > ? AND error_code <> 0', mark.sandboxRequestId),
      };
    },
    attemptStates(orderIds) {
      const latest = db.prepare('SELECT state FROM payment_attempts WHERE order_id = ? ORDER BY attempt_no DESC LIMIT 1');
      const states: Record<string, number> = {};
      for (const id of orderIds) {
        const row = latest.get(id) as { state: string } | undefined;
        const state = row?.state ?? 'missing';
        states[state] = (states[state] ?? 0) + 1;
      }
      return states;
    },
    close: () => {
      db.close();
      bank.close();
    },
  };
}
