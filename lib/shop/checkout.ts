// Placing an order (seed steps 1–3): the amount comes from the catalogue; the order and its attempt
// are saved before the gateway is called; formUrl must point at the configured gateway host.
import type { Db } from '../db/database';
import type { GatewayClient } from '../gateway/client';
import { GatewayError } from '../gateway/errors';
import type { Language, OrderBundle } from '../gateway/schemas';
import { priceCart, type CartEntry, type PricedCart } from './cart';
import {
  findOrder,
  insertNextAttempt,
  insertOrderWithAttempt,
  latestAttempt,
  moveAttempt,
  newOrderId,
  newOrderNumber,
  type Attempt,
  type Order,
  type OrderItem,
} from './orders';
import { syncAttempt } from './payment-sync';

export type PaymentFlow = 'one-stage' | 'two-stage';
export type Customer = { name: string; phone: string; email: string };

export type CheckoutDeps = {
  db: Db;
  gateway: GatewayClient;
  appUrl: string;
  /** Host of the configured gateway: a formUrl elsewhere is never followed (open-redirect guard). */
  gatewayOrigin: string;
  now?: () => number;
};

export type CheckoutResult =
  | { ok: true; orderId: string; formUrl: string }
  | { ok: false; reason: 'empty-cart' | 'gateway-unavailable' | 'gateway-refused' | 'not-retryable'; orderId?: string };

export async function placeOrder(
  deps: CheckoutDeps,
  input: { cart: readonly CartEntry[]; customer: Customer; flow: PaymentFlow; language: Language; mobile: boolean },
): Promise<CheckoutResult> {
  const priced = priceCart(input.cart);
  if (priced.lines.length === 0) return { ok: false, reason: 'empty-cart' };
  const now = (deps.now ?? Date.now)();
  const order: Order = {
    id: newOrderId(),
    number: newOrderNumber(now),
    flow: input.flow,
    amount: priced.total,
    currency: '643',
    language: input.language,
    items_json: JSON.stringify(itemsFrom(priced, input.language)),
    customer_name: input.customer.name,
    customer_phone: input.customer.phone,
    customer_email: input.customer.email,
    created_at: now,
  };
  const attempt = await insertOrderWithAttempt(deps.db, order);
  return registerAttempt(deps, order, attempt, input.mobile);
}

/** Reuses the open attempt of an order (double tap, back button) instead of registering again. */
export async function reusableFormUrl(db: Db, orderId: string): Promise<string | undefined> {
  const attempt = await latestAttempt(db, orderId);
  return attempt?.state === 'awaiting' && attempt.form_url ? attempt.form_url : undefined;
}

/** "Try again": a new attempt with a new orderNumber, after the old gateway order is closed. */
export async function retryPayment(deps: CheckoutDeps, orderId: string, mobile: boolean): Promise<CheckoutResult> {
  const order = await findOrder(deps.db, orderId);
  const previous = order && (await latestAttempt(deps.db, orderId));
  if (!order || !previous) return { ok: false, reason: 'not-retryable' };
  if (previous.state === 'awaiting' && previous.form_url) return { ok: true, orderId, formUrl: previous.form_url };
  if (previous.state === 'declined' && previous.gateway_order_id) {
    // The declined gateway order may still be open for payment: close it so it can never be paid
    // alongside the new one. If it cannot be closed, it was paid meanwhile; the sync says so.
    await deps.gateway.decline({ orderId: previous.gateway_order_id }, { orderId }).catch(() => undefined);
    const synced = await syncAttempt(deps, previous.id);
    if (synced.state !== 'declined') return { ok: false, reason: 'not-retryable', orderId };
  } else if (!['declined', 'expired', 'register_failed'].includes(previous.state)) {
    return { ok: false, reason: 'not-retryable', orderId };
  }
  const next = await insertNextAttempt(deps.db, order, previous);
  if (!next) return { ok: false, reason: 'not-retryable', orderId };
  return registerAttempt(deps, order, next, mobile);
}

async function registerAttempt(deps: CheckoutDeps, order: Order, attempt: Attempt, mobile: boolean): Promise<CheckoutResult> {
  const now = deps.now ?? Date.now;
  const returnUrl = `${deps.appUrl}/checkout/return?order=${encodeURIComponent(order.id)}`;
  const items = JSON.parse(order.items_json) as OrderItem[];
  const request = {
    orderNumber: attempt.order_number,
    amount: order.amount,
    currency: order.currency,
    returnUrl,
    failUrl: returnUrl,
    pageView: mobile ? ('MOBILE' as const) : ('DESKTOP' as const),
    language: order.language as Language,
    description: describe(order, items),
    jsonParams: { shopOrderId: order.id },
    orderBundle: bundleOf(items),
  };
  try {
    const registered =
      order.flow === 'two-stage'
        ? await deps.gateway.registerPreAuth(request, { orderId: order.id })
        : await deps.gateway.register(request, { orderId: order.id });
    if (new URL(registered.formUrl).origin !== deps.gatewayOrigin) {
      await moveAttempt(deps.db, attempt, 'unknown', { gateway_order_id: registered.orderId, error: 'formUrl on a foreign host' }, now());
      return { ok: false, reason: 'gateway-refused', orderId: order.id };
    }
    await moveAttempt(deps.db, attempt, 'awaiting', { gateway_order_id: registered.orderId, form_url: registered.formUrl }, now());
    return { ok: true, orderId: order.id, formUrl: registered.formUrl };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // Unknown outcome: the order may exist at the bank; it stays "registering" for a lookup by
    // orderNumber. A refusal means nothing was created.
    if (!error.outcomeUnknown) await moveAttempt(deps.db, attempt, 'register_failed', { error: error.message }, now());
    return { ok: false, reason: error.outcomeUnknown ? 'gateway-unavailable' : 'gateway-refused', orderId: order.id };
  }
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

/** orderBundle for fiscal receipts: the items' sum equals the amount (gateway-api.md §2.1). */
export function bundleOf(items: readonly OrderItem[]): OrderBundle {
  return {
    cartItems: {
      items: items.map((item, index) => ({
        positionId: index + 1,
        name: item.name.slice(0, 100),
        quantity: { value: item.quantity, measure: 'шт' },
        itemAmount: item.total,
        itemCode: item.slug,
        itemPrice: item.price,
      })),
    },
  };
}

function describe(order: Order, items: readonly OrderItem[]): string {
  const count = items.reduce((n, item) => n + item.quantity, 0);
  return order.language === 'en' ? `Order ${order.number}: ${count} item(s)` : `Заказ ${order.number}: товаров ${count}`;
}
