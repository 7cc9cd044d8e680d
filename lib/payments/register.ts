// Registering one payment attempt at the gateway (payment flow steps 2–3): register.do or
// registerPreAuth.do with the order's amount, returnUrl, language and receipt lines; formUrl must
// point at the configured gateway host before the shopper is sent there.
import type { ShopContext } from './context';
import { isGatewayError } from '../gateway/errors';
import type { Language, OrderBundle } from '../gateway/schemas';
import { itemsOf, moveAttempt, type Attempt, type Order, type OrderItem } from './orders';
import { DELIVERY_NAMES, deliveryOf, type Delivery } from './order-delivery';

/**
 * Where the bank sends the shopper back (returnUrl and failUrl): the order page, which syncs with
 * the bank when the gateway's orderId is appended; one request where a return route's redirect
 * took two round trips. (/checkout/return still serves attempts registered with it.)
 */
export function returnUrlOf(appUrl: string, orderId: string): string {
  return `${appUrl}/orders/${encodeURIComponent(orderId)}`;
}

/** Where the shopper goes next: the bank's page, or why not (nothing to pay; try again later). */
export type RegisterOutcome =
  { ok: true; orderId: string; formUrl: string } | { ok: false; reason: 'gateway-unavailable' | 'gateway-refused'; orderId: string };

export async function registerAttempt(ctx: ShopContext, order: Order, attempt: Attempt, mobile: boolean): Promise<RegisterOutcome> {
  const now = ctx.clock;
  const returnUrl = returnUrlOf(ctx.appUrl, order.id);
  const items = itemsOf(order);
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
    // The e-mail is where the bank's fiscal service, when the merchant has it on, sends the receipt.
    orderBundle: {
      customerDetails: { email: order.customer_email },
      ...bundleOf(items, deliveryOf(order.delivery_json), order.language as Language),
    },
  };
  try {
    const registered =
      order.flow === 'two-stage'
        ? await ctx.gateway.registerPreAuth(request, { orderId: order.id })
        : await ctx.gateway.register(request, { orderId: order.id });
    if (new URL(registered.formUrl).origin !== ctx.gatewayOrigin) {
      // Never sent to the shopper (open-redirect guard). It is still an order the bank would take
      // money for on its own page, so it is closed there at once: a new attempt must be the only
      // payable one. If the decline gets no answer, the next sync closes it (sync.ts).
      await moveAttempt(
        ctx.db,
        attempt,
        'unknown',
        { gateway_order_id: registered.orderId, error: 'formUrl on a foreign host' },
        { at: now(), cause: 'checkout' },
      );
      await ctx.gateway.decline({ orderId: registered.orderId }, { orderId: order.id }).catch(() => undefined);
      return { ok: false, reason: 'gateway-refused', orderId: order.id };
    }
    await moveAttempt(
      ctx.db,
      attempt,
      'awaiting',
      { gateway_order_id: registered.orderId, form_url: registered.formUrl },
      { at: now(), cause: 'checkout' },
    );
    return { ok: true, orderId: order.id, formUrl: registered.formUrl };
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    // A refusal means nothing was created. An unknown outcome ("unknown" with no gateway order
    // id) may exist at the bank, found later by its orderNumber; the shopper never saw its formUrl,
    // so it cannot be paid and a new attempt is safe.
    const state = error.outcomeUnknown ? 'unknown' : 'register_failed';
    await moveAttempt(ctx.db, attempt, state, { error: error.message }, { at: now(), cause: 'checkout' });
    return { ok: false, reason: error.outcomeUnknown ? 'gateway-unavailable' : 'gateway-refused', orderId: order.id };
  }
}

/**
 * orderBundle for fiscal receipts: the items' sum equals the amount (docs/gateway-api.md §2.1).
 * A paid delivery is a line of its own after the goods, marked as a service (paymentObject 4,
 * full prepayment), so the receipt does not count it as goods; a free one is no line at all.
 */
export function bundleOf(items: readonly OrderItem[], delivery?: Delivery, language: Language = 'ru'): OrderBundle {
  const goods = items.map((item, index) => ({
    positionId: index + 1,
    name: item.name.slice(0, 100),
    quantity: { value: item.quantity, measure: 'шт' },
    itemAmount: item.total,
    itemCode: item.slug,
    itemPrice: item.price,
  }));
  if (!delivery || delivery.price === 0) return { cartItems: { items: goods } };
  const service = {
    positionId: goods.length + 1,
    name: DELIVERY_NAMES[delivery.method][language],
    quantity: { value: 1, measure: 'усл' },
    itemAmount: delivery.price,
    itemCode: `delivery-${delivery.method}`,
    itemPrice: delivery.price,
    itemAttributes: {
      attributes: [
        { name: 'paymentMethod', value: '1' },
        { name: 'paymentObject', value: '4' },
      ],
    },
  };
  return { cartItems: { items: [...goods, service] } };
}

function describe(order: Order, items: readonly OrderItem[]): string {
  const count = items.reduce((n, item) => n + item.quantity, 0);
  return order.language === 'en' ? `Order ${order.number}: ${count} item(s)` : `Заказ ${order.number}: товаров ${count}`;
}
