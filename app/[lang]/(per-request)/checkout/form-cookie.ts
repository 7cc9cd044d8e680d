// The checkout form's state across the redirect back to /checkout after a "Pay" that went wrong:
// what was typed and the failure, if any. Each value is cut to one character over its field's
// limit, so that "too long" survives and the cookie stays well under a browser's 4 KB. The field
// errors are derived again from the values (./submit.ts's validate): nothing in the cookie is taken
// on trust but what the shopper typed. proxy.ts hands it to the page once (CHECKOUT_FORM_HEADER).
import 'server-only';
import { cookies, headers } from 'next/headers';
import { z } from 'zod';
import { CHECKOUT_FORM_COOKIE, CHECKOUT_FORM_COOKIE_OPTIONS, CHECKOUT_FORM_HEADER } from '@/app/_server/checkout-cookie';
import { CUSTOMER_MAX_LENGTH } from '@/lib/shop/customer';
import { ADDRESS_MAX_LENGTH } from '@/lib/shop/delivery';
import { CHECKOUT_FAILURES, type CheckoutFormState, type CheckoutValues } from './state';
import { checkoutKeySchema, validate } from './submit';

type TextField = Exclude<keyof CheckoutValues, 'delivery'>;
const MAX_LENGTH: Readonly<Record<TextField, number>> = { ...CUSTOMER_MAX_LENGTH, ...ADDRESS_MAX_LENGTH };
const TEXT_FIELDS = Object.keys(MAX_LENGTH) as TextField[];

const keptSchema = z.object({
  key: checkoutKeySchema,
  values: z.object({
    ...Object.fromEntries(TEXT_FIELDS.map((name) => [name, z.string()])),
    delivery: z.enum(['courier', 'pickup']),
  }),
  failure: z.enum(CHECKOUT_FAILURES).optional(),
});

export async function keepFormState(state: CheckoutFormState): Promise<void> {
  const values = { ...state.values };
  for (const name of TEXT_FIELDS) values[name] = values[name].slice(0, MAX_LENGTH[name] + 1);
  const kept = JSON.stringify({ key: state.checkoutKey, values, failure: state.failure });
  (await cookies()).set(CHECKOUT_FORM_COOKIE, Buffer.from(kept).toString('base64url'), CHECKOUT_FORM_COOKIE_OPTIONS);
}

/** The state the last "Pay" left, without the earlier order (the page looks that up itself). */
export async function keptFormState(): Promise<Omit<CheckoutFormState, 'earlier'> | undefined> {
  const raw = (await headers()).get(CHECKOUT_FORM_HEADER);
  if (!raw) return undefined;
  const parsed = keptSchema.safeParse(decoded(raw));
  if (!parsed.success) return undefined;
  const values = parsed.data.values as CheckoutValues;
  const valid = validate(values);
  return { checkoutKey: parsed.data.key, values, errors: valid.ok ? {} : valid.errors, failure: parsed.data.failure };
}

function decoded(raw: string): unknown {
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
