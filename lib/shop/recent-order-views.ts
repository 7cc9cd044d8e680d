// What the "My orders" page shows of the orders this browser placed (its signed cookie list,
// ./recent-orders.ts): each order's view as its own page shows it, newest first. Orders that no
// longer exist are left out.
import type { Db } from '../db/database';
import { orderView, type OrderView } from './order-view';

export async function recentOrderViews(db: Db, ids: readonly string[]): Promise<OrderView[]> {
  const views = await Promise.all(ids.map((id) => orderView(db, id)));
  return views.filter((view): view is OrderView => view !== undefined).sort((a, b) => b.createdAt - a.createdAt);
}
