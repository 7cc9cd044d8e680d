// The checkout form's state between the server action and the form (plain data: it crosses to
// the browser and back).
import type { EarlierOrder } from '@/lib/shop/checkout';
import type { CustomerErrors, CustomerField } from '@/lib/shop/customer';

export type CheckoutFailure =
  'empty-cart' | 'gateway-unavailable' | 'gateway-refused' | 'not-retryable' | 'rate-limited' | 'already-paid' | 'already-processing';

export type CheckoutFormState = {
  /** The idempotency key of this form: a resubmit after an error reuses the same order. */
  checkoutKey: string;
  values: Record<CustomerField, string>;
  errors: CustomerErrors;
  failure?: CheckoutFailure;
  /** This browser's order for the same goods, already paid: "Pay" asks to confirm buying again. */
  earlier?: EarlierOrder;
};
