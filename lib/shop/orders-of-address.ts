// The orders placed with one e-mail address, newest first, for "find my orders". Matched in any
// case, as the console's contact search does (the index on lower(customer_email), migration 0024).
import { sql } from 'kysely';
import type { Db } from '../db/database';

export type AddressOrder = { id: string; number: string; amount: number; created_at: number; customer_email: string };

/** How many orders one "find my orders" e-mail links to. */
export const ORDERS_PER_MAIL = 10;

export async function ordersOfAddress(db: Db, email: string, limit = ORDERS_PER_MAIL): Promise<AddressOrder[]> {
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'number', 'amount', 'created_at', 'customer_email'])
    .where(sql<string>`lower(customer_email)`, '=', sql<string>`lower(${email})`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, amount: Number(row.amount), created_at: Number(row.created_at) }));
}
