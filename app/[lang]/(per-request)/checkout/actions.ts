'use server';
// "Pay": a plain form post (works without JavaScript). Validates the contact and delivery fields, prices the
// cart cookie from the catalogue (never from the form), places the order and sends the browser to
// the bank's payment page. Any failure comes back to the form with the cart untouched.
//
// The rate limits are counted here, where an order is placed, not by URL in the proxy: Next runs a
// server action named in a post to any page (`/cart`, `/`, …), so a limit on the path `/checkout`
// is a limit on nothing.
import { notFound, redirect } from 'next/navigation';
import { z } from 'zod';
import { getLang } from '@/app/_i18n/lang';
import { formOf } from '@/app/_server/action-form';
import { readCart } from '@/app/_server/cart-cookie';
import { readCheckoutOrder, writeCheckoutOrder } from '@/app/_server/checkout-cookie';
import { isMobileBrowser } from '@/app/_server/client-hints';
import { clientAddress } from '@/app/_server/client-address';
import { rememberRecentOrder } from '@/app/_server/recent-orders-cookie';
import { getServices } from '@/app/_server/services';
import { metrics } from '@/lib/metrics/metrics';
import { serializeCart } from '@/lib/shop/cart';
import { earlierOrder, placeOrder, type PaymentFlow } from '@/lib/shop/checkout';
import { parseCustomer } from '@/lib/shop/customer';
import { parseDelivery } from '@/lib/shop/delivery';
import type { CheckoutFormState, CheckoutValues } from './state';
import { inRequest } from '@/app/_server/request-id';

const keySchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const flowSchema = z.enum(['one-stage', 'two-stage']);

export async function placeOrderAction(previous: CheckoutFormState, formData: FormData): Promise<CheckoutFormState> {
  return inRequest(() => placeOrderActionInRequest(previous, formData));
}

async function placeOrderActionInRequest(previous: CheckoutFormState, formData: FormData): Promise<CheckoutFormState> {
  const form = formOf(formData);
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
  // The form's key, else the one of the state it last answered with; a post with neither was not
  // made by the checkout form (lib/web/request-shape.ts lets only plain data through as the state).
  const key = keySchema.safeParse(form.get('checkoutKey'));
  const previousKey = keySchema.safeParse((previous as Partial<CheckoutFormState> | null)?.checkoutKey);
  const checkoutKey = key.success ? key.data : previousKey.success ? previousKey.data : notFound();
  const state: CheckoutFormState = { checkoutKey, values, errors: {} };

  const customer = parseCustomer(values);
  const delivery = parseDelivery(values.delivery, values);
  if (!customer.ok || !delivery.ok)
    return { ...state, errors: { ...(customer.ok ? {} : customer.errors), ...(delivery.ok ? {} : delivery.errors) } };

  const services = await getServices();
  const cart = await readCart();
  const openOrder = await readCheckoutOrder();
  const earlier = openOrder ? await earlierOrder(services.shop, openOrder, cart) : undefined;
  if (earlier && form.get('repeat') !== 'yes')
    return { ...state, earlier, failure: earlier.state === 'paid' ? 'already-paid' : 'already-processing' };
  const { checkouts } = metrics();
  checkouts.inc({ result: 'started' });
  const limit = await services.limits.checkout.hit(await clientAddress(), serializeCart(cart));
  if (!limit.allowed) {
    checkouts.inc({ result: 'refused' });
    return { ...state, failure: 'rate-limited' };
  }
  const result = await placeOrder(services.shop, {
    cart,
    customer: customer.customer,
    delivery: delivery.choice,
    flow: chosenFlow(services.sandbox !== undefined, form.get('flow'), services.paymentFlow),
    language: await getLang(),
    mobile: await isMobileBrowser(),
    checkoutKey: state.checkoutKey,
  });
  checkouts.inc({ result: result.ok ? 'registered' : 'refused' });
  if (result.ok) {
    await writeCheckoutOrder(result.orderId);
    await rememberRecentOrder(result.orderId);
    redirect(result.formUrl);
  }
  // The order was paid or closed meanwhile (e.g. in another tab): its page tells the truth.
  if (result.reason === 'not-retryable' && result.orderId) redirect(`/orders/${result.orderId}`);
  return { ...state, failure: result.reason };
}

/** The sandbox's "demo settings" may pick the flow per order; against a real bank only PAYMENT_FLOW counts. */
function chosenFlow(sandbox: boolean, requested: FormDataEntryValue | null, configured: PaymentFlow): PaymentFlow {
  const parsed = flowSchema.safeParse(requested);
  return sandbox && parsed.success ? parsed.data : configured;
}
