// The console's audit log: every log-in (success and failure), log-out, money action and user
// change, with who, when, from which address and the outcome. The owner reads it and exports it.
import type { Db } from '../db/database';

export type AuditEntry = { actor: string; address: string; action: string; subject?: string | null; outcome: string };
export type AuditRow = Required<AuditEntry> & { id: number; at: number };

export async function recordAudit(db: Db, entry: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now,
      // A failed log-in's login is typed by anyone: kept short so the log cannot be flooded with text.
      actor: entry.actor.slice(0, 64),
      address: entry.address.slice(0, 64),
      action: entry.action,
      subject: entry.subject ?? null,
      outcome: entry.outcome.slice(0, 200),
    })
    .execute();
}

/** Entries in [from, to), newest first, at most `limit`. */
export async function auditEntries(db: Db, range: { from?: number; to?: number }, limit = 500): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (range.from !== undefined) query = query.where('at', '>=', range.from);
  if (range.to !== undefined) query = query.where('at', '<', range.to);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, at: Number(r.at), subject: r.subject }));
}

/** A spreadsheet cell: quoted, and a leading = + - @ neutralised so no formula runs when opened. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const header = ['time', 'actor', 'address', 'action', 'subject', 'outcome'];
  const lines = rows.map((r) =>
    [new Date(r.at).toISOString(), r.actor, r.address, r.action, r.subject ?? '', r.outcome].map(cell).join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
