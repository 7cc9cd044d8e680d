// "Pay" (app/checkout/pay/route.ts): validates the contact and delivery fields, prices the cart
// cookie from the catalogue (never from the form), places the order and names where the browser
// goes next: the bank's payment page, or back to the form with what went wrong (the cart
// untouched).
//
// The rate limits are counted here, where an order is placed.
import 'server-only';
import { z } from 'zod';
import { getLang } from '@/app/_i18n/lang';
import { readCart } from '@/app/_server/cart-cookie';
import { readCheckoutOrder, writeCheckoutOrder } from '@/app/_server/checkout-cookie';
import { isMobileBrowser } from '@/app/_server/client-hints';
import { clientAddress } from '@/app/_server/client-address';
import { rememberRecentOrder } from '@/app/_server/recent-orders-cookie';
import { getServices } from '@/app/_server/services';
import { metrics } from '@/lib/metrics/metrics';
import { serializeCart } from '@/lib/shop/cart';
import { earlierOrder, placeOrder, type PaymentFlow } from '@/lib/shop/checkout';
import { parseCustomer, type Customer } from '@/lib/shop/customer';
import { parseDelivery } from '@/lib/shop/delivery';
import type { DeliveryChoice } from '@/lib/payments/order-delivery';
import type { CheckoutFormState, CheckoutValues } from './state';

/** The form's idempotency key: a resubmit after an error reuses the same order. */
export const checkoutKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const flowSchema = z.enum(['one-stage', 'two-stage']);

export type CheckoutOutcome =
  /** The order is registered: the bank's payment page. */
  | { kind: 'pay'; formUrl: string }
  /** The order was paid or closed meanwhile (e.g. in another tab): its page tells the truth. */
  | { kind: 'order'; orderId: string }
  /** Back to the form, with what was typed and what went wrong. */
  | { kind: 'form'; state: CheckoutFormState }
  /** No idempotency key: not a post of the checkout form. */
  | { kind: 'not-a-checkout' };

export async function submitCheckout(form: FormData): Promise<CheckoutOutcome> {
  const field = (name: string) => String(form.get(name) ?? '');
  const values: CheckoutValues = {
    name: field('name'),
    phone: field('phone'),
    email: field('email'),
    delivery: field('delivery') === 'courier' ? 'courier' : 'pickup',
    city: field('city'),
    street: field('street'),
    house: field('house'),
    flat: field('flat'),
  };
  const key = checkoutKeySchema.safeParse(form.get('checkoutKey'));
  if (!key.success) return { kind: 'not-a-checkout' };
  const state: CheckoutFormState = { checkoutKey: key.data, values, errors: {} };

  const valid = validate(values);
  if (!valid.ok) return { kind: 'form', state: { ...state, errors: valid.errors } };

  const services = await getServices();
  const cart = await readCart();
  const openOrder = await readCheckoutOrder();
  const earlier = openOrder ? await earlierOrder(services.shop, openOrder, cart) : undefined;
  if (earlier && form.get('repeat') !== 'yes')
    return { kind: 'form', state: { ...state, earlier, failure: earlier.state === 'paid' ? 'already-paid' : 'already-processing' } };
  const { checkouts } = metrics();
  checkouts.inc({ result: 'started' });
  const limit = await services.limits.checkout.hit(await clientAddress(), serializeCart(cart));
  if (!limit.allowed) {
    checkouts.inc({ result: 'refused' });
    return { kind: 'form', state: { ...state, failure: 'rate-limited' } };
  }
  const result = await placeOrder(services.shop, {
    cart,
    customer: valid.customer,
    delivery: valid.delivery,
    flow: chosenFlow(services.sandbox !== undefined, form.get('flow'), services.paymentFlow),
    language: await getLang(),
    mobile: await isMobileBrowser(),
    checkoutKey: state.checkoutKey,
  });
  checkouts.inc({ result: result.ok ? 'registered' : 'refused' });
  if (result.ok) {
    await writeCheckoutOrder(result.orderId);
    await rememberRecentOrder(result.orderId);
    return { kind: 'pay', formUrl: result.formUrl };
  }
  if (result.reason === 'not-retryable' && result.orderId) return { kind: 'order', orderId: result.orderId };
  return { kind: 'form', state: { ...state, failure: result.reason } };
}

/** The contact and delivery fields, parsed; or each wrong field's first problem. */
export function validate(
  values: CheckoutValues,
): { ok: true; customer: Customer; delivery: DeliveryChoice } | { ok: false; errors: CheckoutFormState['errors'] } {
  const customer = parseCustomer(values);
  const delivery = parseDelivery(values.delivery, values);
  if (customer.ok && delivery.ok) return { ok: true, customer: customer.customer, delivery: delivery.choice };
  return { ok: false, errors: { ...(customer.ok ? {} : customer.errors), ...(delivery.ok ? {} : delivery.errors) } };
}

/** The sandbox's "demo settings" may pick the flow per order; against a real bank only PAYMENT_FLOW counts. */
function chosenFlow(sandbox: boolean, requested: FormDataEntryValue | null, configured: PaymentFlow): PaymentFlow {
  const parsed = flowSchema.safeParse(requested);
  return sandbox && parsed.success ? parsed.data : configured;
}
