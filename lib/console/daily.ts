// The last 30 days, day by day (the merchant's days: `todayStart` is midnight in their time zone):
// orders started, orders paid and their amount. Two grouped index ranges, (created_at, paid_at)
// and paid_at, so a million orders are never read row by row in JavaScript.
import { sql } from 'kysely';
import type { Db } from '../db/database';

export type Day = { start: number; started: number; paid: number; amount: number };
const DAY_MS = 86_400_000;

export async function dailyFigures(db: Db, todayStart: number, days = 30): Promise<Day[]> {
  const first = todayStart - (days - 1) * DAY_MS;
  // Whole-number literals, not parameters: PostgreSQL then divides bigints as integers, as SQLite does.
  const dayOf = (column: string) => sql<number>`(${sql.ref(column)} - ${sql.lit(first)}) / ${sql.lit(DAY_MS)}`;
  const started = await db
    .selectFrom('orders')
    .select([dayOf('created_at').as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', first)
    .groupBy(dayOf('created_at'))
    .execute();
  const paid = await db
    .selectFrom('orders')
    .select([dayOf('paid_at').as('day'), (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount').as('amount')])
    .where('paid_at', '>=', first)
    .groupBy(dayOf('paid_at'))
    .execute();
  const series: Day[] = Array.from({ length: days }, (_, i) => ({ start: first + i * DAY_MS, started: 0, paid: 0, amount: 0 }));
  for (const row of started) {
    const day = series[Number(row.day)];
    if (day) day.started = Number(row.n);
  }
  for (const row of paid) {
    const day = series[Number(row.day)];
    if (day) Object.assign(day, { paid: Number(row.n), amount: Number(row.amount ?? 0) });
  }
  return series;
}
