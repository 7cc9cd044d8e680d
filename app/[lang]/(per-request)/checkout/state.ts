// The checkout form's state: what was typed and what went wrong, from "Pay" (./submit.ts) back to
// the form (./form-cookie.ts carries it to the page the browser is sent back to).
import type { EarlierOrder } from '@/lib/shop/checkout';
import type { CustomerErrors, CustomerField } from '@/lib/shop/customer';
import type { AddressField, DeliveryErrors } from '@/lib/shop/delivery';

/** Every typed value of the form, kept through an error: contacts, delivery method, address. */
export type CheckoutValues = Record<CustomerField | AddressField | 'delivery', string>;

export const EMPTY_VALUES: CheckoutValues = {
  name: '',
  phone: '',
  email: '',
  delivery: 'pickup',
  city: '',
  street: '',
  house: '',
  flat: '',
};

export const CHECKOUT_FAILURES = [
  'empty-cart',
  'gateway-unavailable',
  'gateway-refused',
  'not-retryable',
  'rate-limited',
  'already-paid',
  'already-processing',
] as const;

export type CheckoutFailure = (typeof CHECKOUT_FAILURES)[number];

export type CheckoutFormState = {
  /** The idempotency key of this form: a resubmit after an error reuses the same order. */
  checkoutKey: string;
  values: CheckoutValues;
  errors: CustomerErrors & DeliveryErrors;
  failure?: CheckoutFailure;
  /** This browser's order for the same goods, already paid: "Pay" asks to confirm buying again. */
  earlier?: EarlierOrder;
};
