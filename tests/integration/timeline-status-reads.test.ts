// Opening an order reads its status each time: the timeline shows a status read again only when
// its answer changed (or another call came between), the repeats folded into the first.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { orderTimeline } from '../../lib/console/timeline';
import { openTestDatabase } from '../helpers/test-database';
import { orderRow } from '../helpers/order-row';

let db: Db;
beforeAll(async () => {
  db = await openTestDatabase();
  await db
    .insertInto('orders')
    .values(orderRow({ id: 'order-t', number: 'T1', flow: 'two-stage', customer_email: 'x@example.ru', created_at: 1 }))
    .execute();
});
afterAll(() => db.destroy());

const call = (startedAt: number, operation: string, response: string) => ({
  operation,
  order_id: 'order-t',
  order_number: 'T1-1',
  gateway_order_id: 'gw-t',
  attempt: 1,
  started_at: startedAt,
  duration_ms: 5,
  outcome: 'ok',
  error_code: null,
  http_status: 200,
  error: null,
  request_json: '{}',
  response_json: response,
});

it('folds status reads answered the same; keeps one whose answer changed and one after another call', async () => {
  await db
    .insertInto('gateway_calls')
    .values([
      call(10, 'getOrderStatusExtended', '{"orderStatus":1}'),
      call(20, 'getOrderStatusExtended', '{"orderStatus":1}'),
      call(30, 'getOrderStatusExtended', '{"orderStatus":1}'),
      call(40, 'getOrderStatusExtended', '{"orderStatus":2}'),
      call(50, 'deposit', '{"errorCode":"0"}'),
      call(60, 'getOrderStatusExtended', '{"orderStatus":2}'),
    ])
    .execute();
  const gateway = (await orderTimeline(db, 'order-t')).filter((e) => e.kind === 'gateway');
  expect(gateway.map((e) => [e.operation, e.at, e.repeats ?? 0])).toEqual([
    ['getOrderStatusExtended.do', 10, 2],
    ['getOrderStatusExtended.do', 40, 0],
    ['deposit.do', 50, 0],
    ['getOrderStatusExtended.do', 60, 0],
  ]);
});
