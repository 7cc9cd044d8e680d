// Whether an order page's id is one the shop has no order for, asked by proxy.ts before the page
// renders. Such a page is answered with the prerendered "no such order" page (404, both languages
// prerendered), because Next answers a page rendered per request that calls notFound() with an
// empty document that only its JavaScript fills in: blank without JavaScript, and nothing for a
// crawler or a link checker to read. Unsure (no services yet, a database that does not answer)
// counts as known: the page then decides, as it always has.
import 'server-only';
import { findOrder } from '@/lib/payments/orders';
import { runningDb } from './running-db';

export async function isUnknownOrder(id: string): Promise<boolean> {
  const db = await runningDb();
  if (!db) return false;
  try {
    return (await findOrder(db, id)) === undefined;
  } catch {
    return false;
  }
}
