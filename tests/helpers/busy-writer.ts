// One process of the two-writer test (tests/integration/two-writers.test.ts). Says "ready" once its
// database is open; once the file GO exists (the test makes it when both writers are ready), places
// ROUNDS two-stage orders in DATABASE_URL and takes each through the moves a payment makes
// (registered, approved, the deposit's claim, paid), as the shop and a cron reconciler do side by
// side. Prints one JSON line: how many payments got to "paid", and the first error, if any.
import { existsSync } from 'node:fs';
import { openDatabase } from '../../lib/db/database';
import { claimDeposit, insertOrderWithAttempt, moveAttempt, newOrderId, newOrderNumber } from '../../lib/payments/orders';
import { orderRow } from './order-row';

async function main(): Promise<void> {
  const db = await openDatabase(process.env.DATABASE_URL!);
  const rounds = Number(process.env.ROUNDS);
  console.log('ready');
  while (!existsSync(process.env.GO!)) await new Promise((resolve) => setTimeout(resolve, 2));
  let paid = 0;
  let error: string | undefined;
  try {
    for (let round = 0; round < rounds; round++) {
      const now = Date.now();
      const order = orderRow({
        id: newOrderId(),
        number: newOrderNumber(now),
        flow: 'two-stage',
        amount: 10_000,
        customer_name: 'Анна',
        customer_phone: '+79123456789',
        customer_email: 'anna@example.ru',
        created_at: now,
      });
      const stamp = { at: now, cause: 'reconciler' as const };
      const registered = await moveAttempt(
        db,
        (await insertOrderWithAttempt(db, order))!,
        'awaiting',
        { gateway_order_id: order.id },
        stamp,
      );
      const approved = await moveAttempt(db, registered!, 'approved', { approved_amount: 10_000 }, stamp);
      const depositing = await claimDeposit(db, approved!, {}, stamp);
      const done = await moveAttempt(db, depositing!, 'paid', { deposited_amount: 10_000 }, stamp);
      if (done?.state === 'paid') paid++;
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  await db.destroy();
  console.log(JSON.stringify({ paid, error }));
}

void main();
