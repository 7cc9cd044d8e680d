// Placing an order (payment flow steps 1–3) and paying it again. The amount comes from the catalogue; the
// order and its attempt are saved before the gateway is called. A repeated submit of the same
// checkout form (double tap, back button) finds its order by the form's key and reuses the open
// attempt instead of registering again.
import type { ShopContext } from '../payments/context';
import type { Language } from '../gateway/schemas';
import { priceCart, type CartEntry, type PricedCart } from './cart';
import {
  findOrder,
  findOrderByKey,
  insertNextAttempt,
  insertOrderWithAttempt,
  itemsOf,
  latestAttempt,
  newOrderId,
  newOrderNumber,
  type Attempt,
  type Order,
  type OrderItem,
} from '../payments/orders';
import { primaryAttempt } from '../payments/kept-payment';
import { isSecured } from '../payments/states';
import { syncAttempt } from '../payments/sync';
import { registerAttempt } from '../payments/register';
import { sum } from '../money';
import { deliveryOf, type DeliveryChoice } from '../payments/order-delivery';
import { priceDelivery, sameChoice } from './delivery';

export type PaymentFlow = 'one-stage' | 'two-stage';
import type { Customer } from './customer';

export type { Customer };

export type CheckoutResult =
  | { ok: true; orderId: string; formUrl: string }
  | { ok: false; reason: 'empty-cart' | 'gateway-unavailable' | 'gateway-refused' | 'not-retryable'; orderId?: string };

export type CheckoutInput = {
  cart: readonly CartEntry[];
  customer: Customer;
  /** Courier or pickup; its price is the catalogue's rule for these goods. Pickup when absent. */
  delivery?: DeliveryChoice;
  flow: PaymentFlow;
  language: Language;
  mobile: boolean;
  /** Random per rendering of the checkout form; the same key means the same order. */
  checkoutKey?: string;
};

/** A formUrl handed out this recently is reused; an older one may be close to expiry (1200 s). */
export const REUSE_WINDOW_MS = 10 * 60 * 1000;

export async function placeOrder(ctx: ShopContext, input: CheckoutInput): Promise<CheckoutResult> {
  const priced = priceCart(input.cart);
  if (priced.lines.length === 0) return { ok: false, reason: 'empty-cart' };
  const now = ctx.clock();
  const delivery = priceDelivery(input.delivery ?? { method: 'pickup' }, priced.total);
  const order: Order = {
    id: newOrderId(),
    number: newOrderNumber(now),
    flow: input.flow,
    amount: sum([priced.total, delivery.price]),
    currency: '643',
    language: input.language,
    items_json: JSON.stringify(itemsFrom(priced, input.language)),
    customer_name: input.customer.name,
    customer_phone: input.customer.phone,
    customer_email: input.customer.email,
    created_at: now,
    checkout_key: input.checkoutKey ?? null,
    cart_spent_at: null,
    paid_at: null,
    latest_attempt_no: 1,
    latest_state: 'registering',
    delivery_json: JSON.stringify(delivery),
  };
  // Insert first, look up only on a conflict: the key is new on every first submit, so the usual
  // path makes no read, and a repeated or parallel submit with the same key finds its order.
  const attempt = await insertOrderWithAttempt(ctx.db, order);
  if (!attempt) {
    const existing = await findOrderByKey(ctx.db, input.checkoutKey!);
    return existing ? resume(ctx, existing, priced, input) : { ok: false, reason: 'not-retryable' };
  }
  return registerAttempt(ctx, order, attempt, input.mobile);
}

/** The key to put in a freshly rendered checkout form: the open order's, if the cart is unchanged. */
export async function openCheckoutKey(ctx: Pick<ShopContext, 'db' | 'clock'>, orderId: string, cart: readonly CartEntry[]) {
  const order = await findOrder(ctx.db, orderId);
  const attempt = order && (await latestAttempt(ctx.db, order.id));
  if (!order?.checkout_key || !attempt || !sameCart(order, priceCart(cart))) return undefined;
  const reusable =
    attempt.state === 'awaiting' || attempt.state === 'register_failed' || (attempt.state === 'unknown' && !attempt.form_url);
  return reusable ? order.checkout_key : undefined;
}

/**
 * This browser's last order for the same goods, when "Pay" would start a second one beside it:
 * its money is secured (held or paid), or the bank may be taking it right now (the registration's
 * answer is still awaited, or the payment's outcome is unknown). An order simply awaiting payment
 * is not one: "Pay" continues it (openCheckoutKey).
 */
export type EarlierOrder = { orderId: string; number: string; state: 'paid' | 'processing' };

/**
 * A second "Pay" for the goods of such an order (Mir Pay brought the shopper back in another
 * browser, a tab kept the cart) could pay twice: checkout says so first and registers nothing
 * unless the shopper confirms they want to buy again.
 */
export async function earlierOrder(
  ctx: Pick<ShopContext, 'db'>,
  orderId: string,
  cart: readonly CartEntry[],
): Promise<EarlierOrder | undefined> {
  const order = await findOrder(ctx.db, orderId);
  if (!order || !sameCart(order, priceCart(cart))) return undefined;
  const attempt = await primaryAttempt(ctx.db, order.id);
  if (!attempt) return undefined;
  if (isSecured(attempt.state)) return { orderId: order.id, number: order.number, state: 'paid' };
  const atTheBank = attempt.state === 'registering' || (attempt.state === 'unknown' && attempt.form_url !== null);
  return atTheBank ? { orderId: order.id, number: order.number, state: 'processing' } : undefined;
}

/** "Pay" again on an existing order: reuse its open formUrl, or close the old gateway order and
 * register a new attempt with a new orderNumber ("try again" after a decline or expiry). */
export async function retryPayment(ctx: ShopContext, orderId: string, mobile: boolean): Promise<CheckoutResult> {
  const order = await findOrder(ctx.db, orderId);
  if (!order) return { ok: false, reason: 'not-retryable' };
  const previous = await settledAttempt(ctx, order.id);
  if (!previous) return { ok: false, reason: 'not-retryable', orderId };
  if (previous.state === 'registering') return { ok: false, reason: 'gateway-unavailable', orderId };
  const now = ctx.clock();
  if (previous.state === 'awaiting' && previous.form_url && now - previous.updated_at < REUSE_WINDOW_MS) {
    return { ok: true, orderId, formUrl: previous.form_url };
  }
  if (previous.gateway_order_id && (previous.state === 'awaiting' || previous.state === 'declined')) {
    // The old gateway order may still be open for payment: close it so that it can never be paid
    // alongside the new one. If it cannot be closed, it was paid meanwhile; the sync says so.
    await ctx.gateway.decline({ orderId: previous.gateway_order_id }, { orderId }).catch(() => undefined);
    const synced = await syncAttempt(ctx, previous.id, 'checkout').catch(() => previous);
    if (synced.state !== 'declined' && synced.state !== 'expired') return { ok: false, reason: 'not-retryable', orderId };
  } else if (!retryable(previous)) {
    return { ok: false, reason: 'not-retryable', orderId };
  }
  const next = await insertNextAttempt(ctx.db, order, previous);
  if (!next) return { ok: false, reason: 'not-retryable', orderId };
  return registerAttempt(ctx, order, next, mobile);
}

/** Whether "try again" may register a new attempt after this one. */
export function retryable(attempt: Attempt): boolean {
  if (attempt.state === 'declined' || attempt.state === 'expired' || attempt.state === 'register_failed') return true;
  // Registered with an unknown outcome, but its formUrl never reached the shopper: nobody can pay it.
  return attempt.state === 'unknown' && attempt.form_url === null;
}

async function resume(ctx: ShopContext, order: Order, priced: PricedCart, input: CheckoutInput): Promise<CheckoutResult> {
  // The cart or the delivery changed since the form was rendered (another tab, or the shopper came
  // back from the bank and chose otherwise): that is a different order.
  const delivery = deliveryOf(order.delivery_json) ?? { method: 'pickup' };
  if (!sameCart(order, priced) || !sameChoice(delivery, input.delivery ?? { method: 'pickup' })) {
    return placeOrder(ctx, { ...input, checkoutKey: undefined });
  }
  return retryPayment(ctx, order.id, input.mobile);
}

/** The latest attempt, after waiting a little while a parallel submit is still registering it. */
async function settledAttempt(ctx: ShopContext, orderId: string): Promise<Attempt | undefined> {
  const deadline = Date.now() + ctx.registrationWaitMs;
  for (;;) {
    const attempt = await latestAttempt(ctx.db, orderId);
    if (attempt?.state !== 'registering' || Date.now() >= deadline) return attempt;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The same goods at the same prices (the delivery, part of the amount, is compared apart). */
function sameCart(order: Order, priced: PricedCart): boolean {
  const items = itemsOf(order);
  return (
    order.amount - (deliveryOf(order.delivery_json)?.price ?? 0) === priced.total &&
    items.length === priced.lines.length &&
    items.every((item, i) => item.slug === priced.lines[i]!.product.slug && item.quantity === priced.lines[i]!.quantity)
  );
}

function itemsFrom(priced: PricedCart, language: Language): OrderItem[] {
  return priced.lines.map((line) => ({
    slug: line.product.slug,
    name: line.product.name[language],
    price: line.product.price,
    quantity: line.quantity,
    total: line.total,
  }));
}
