// Receipt lines of a refund (54-FZ): refundItems (BPC/classic, docs/gateway-api.md §5 refund.do) or, as
// Sber's "ecom" API sends them, orderBundle.cartItems. Each line must be a line of the order's
// registered orderBundle, no more of it than is left after earlier refunds, and the lines must
// add up to the refund's amount, as deposit.do's items must (docs/gateway-api.md §5).
import { z } from 'zod';

const item = z.looseObject({
  positionId: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  name: z.string().min(1).max(255),
  quantity: z.looseObject({ value: z.number().positive(), measure: z.string().optional() }),
  itemAmount: z.number().int().min(0).optional(),
  itemPrice: z.number().int().min(0).optional(),
  itemCode: z.string().max(100).optional(),
});
export type RefundItem = z.infer<typeof item>;

const refundItemsSchema = z.looseObject({ items: z.array(item).min(1) });
const bundleSchema = z.looseObject({ cartItems: z.looseObject({ items: z.array(item).min(1) }) });

/** The lines a refund names, or undefined when it names none; throws 'invalid' for a malformed value. */
export function readRefundLines(refundItems: unknown, orderBundle: unknown): RefundItem[] | undefined {
  if (refundItems !== undefined) {
    const parsed = refundItemsSchema.safeParse(refundItems);
    if (!parsed.success) throw new Error('invalid');
    return parsed.data.items;
  }
  if (orderBundle !== undefined) {
    const parsed = bundleSchema.safeParse(orderBundle);
    if (!parsed.success) throw new Error('invalid');
    return parsed.data.cartItems.items;
  }
  return undefined;
}

/** A line's amount: itemAmount, else itemPrice × quantity. */
export function lineAmount(line: RefundItem): number {
  return line.itemAmount ?? Math.round((line.itemPrice ?? 0) * line.quantity.value);
}

export type LinesVerdict = 'ok' | 'unknown-position' | 'too-many' | 'sum-mismatch';

/**
 * Checks lines against the order's registered cart and the lines refunded before. `registered`
 * is the orderBundle the order was registered with (JSON), `earlier` the items of earlier refunds.
 */
export function checkRefundLines(
  lines: readonly RefundItem[],
  amount: number,
  registered: string | null,
  earlier: readonly RefundItem[],
): LinesVerdict {
  const cart = registered ? bundleSchema.safeParse(JSON.parse(registered)) : undefined;
  if (!cart?.success) return 'unknown-position';
  const left = new Map<number, number>();
  for (const line of cart.data.cartItems.items) left.set(line.positionId, (left.get(line.positionId) ?? 0) + line.quantity.value);
  for (const line of earlier) left.set(line.positionId, (left.get(line.positionId) ?? 0) - line.quantity.value);
  for (const line of lines) {
    const remaining = left.get(line.positionId);
    if (remaining === undefined) return 'unknown-position';
    if (line.quantity.value > remaining + 1e-9) return 'too-many';
    left.set(line.positionId, remaining - line.quantity.value);
  }
  const total = lines.reduce((sum, line) => sum + lineAmount(line), 0);
  return total === amount ? 'ok' : 'sum-mismatch';
}
