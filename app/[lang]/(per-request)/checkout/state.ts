// The checkout form's state between the server action and the form (plain data: it crosses to
// the browser and back).
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

export type CheckoutFailure =
  'empty-cart' | 'gateway-unavailable' | 'gateway-refused' | 'not-retryable' | 'rate-limited' | 'already-paid' | 'already-processing';

export type CheckoutFormState = {
  /** The idempotency key of this form: a resubmit after an error reuses the same order. */
  checkoutKey: string;
  values: CheckoutValues;
  errors: CustomerErrors & DeliveryErrors;
  failure?: CheckoutFailure;
  /** This browser's order for the same goods, already paid: "Pay" asks to confirm buying again. */
  earlier?: EarlierOrder;
};
