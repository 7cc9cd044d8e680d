// Refunds by receipt line (54-FZ): the merchant picks how many of each line of the order's receipt
// to give back; the refund's amount is their sum and refund.do carries them as refundItems, the
// same lines (positionId, name, code, price) the order was registered with (register-attempt.ts
// bundleOf; docs/gateway-api.md §5 refund.do). A line is never refunded beyond what was bought: every
// earlier refund by lines of the payment counts, including one whose outcome is not known yet.
import type { RefundItems } from '../gateway/schemas';
import type { Db } from '../db/database';
import { itemsOf, type Order } from './orders';

export type RefundLineChoice = { positionId: number; quantity: number };
export type RefundableLine = { positionId: number; name: string; price: number; bought: number; left: number };

/** Operations that may have refunded their lines: done, or still unsettled. */
const COUNTED_STATES = ['done', 'pending', 'unknown'];

/** The order's receipt lines with how many of each may still be refunded from this attempt. */
export async function refundableLines(db: Db, order: Order, attemptId: number): Promise<RefundableLine[]> {
  const earlier = await db
    .selectFrom('merchant_operations')
    .select('items_json')
    .where('attempt_id', '=', attemptId)
    .where('kind', '=', 'refund')
    .where('state', 'in', COUNTED_STATES)
    .where('items_json', 'is not', null)
    .execute();
  const refunded = new Map<number, number>();
  for (const row of earlier) {
    for (const item of (JSON.parse(row.items_json!) as RefundItems).items) {
      refunded.set(item.positionId, (refunded.get(item.positionId) ?? 0) + item.quantity.value);
    }
  }
  return itemsOf(order).map((item, index) => {
    const positionId = index + 1;
    return { positionId, name: item.name, price: item.price, bought: item.quantity, left: item.quantity - (refunded.get(positionId) ?? 0) };
  });
}

/**
 * refundItems for the chosen quantities, or undefined when the choice is empty, names a line the
 * receipt does not have, or asks for more of a line than is left.
 */
export function refundItemsFor(
  order: Order,
  lines: readonly RefundableLine[],
  choices: readonly RefundLineChoice[],
): RefundItems | undefined {
  const items = itemsOf(order);
  const chosen = choices.filter((choice) => choice.quantity > 0);
  if (chosen.length === 0) return undefined;
  const result: RefundItems['items'] = [];
  for (const choice of chosen) {
    const line = lines.find((l) => l.positionId === choice.positionId);
    const item = items[choice.positionId - 1];
    if (!line || !item || !Number.isInteger(choice.quantity) || choice.quantity > line.left) return undefined;
    result.push({
      positionId: choice.positionId,
      name: item.name.slice(0, 100),
      quantity: { value: choice.quantity, measure: 'шт' },
      itemAmount: item.price * choice.quantity,
      itemCode: item.slug,
      itemPrice: item.price,
    });
  }
  return { items: result };
}
