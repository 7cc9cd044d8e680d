// How the goods arrive: a courier to the shopper's address, or pickup at the shop. The price is
// the catalogue's rule, never the browser's: courier 300 ₽, free from 3 000 ₽ of goods; pickup free.
import { z } from 'zod';
import type { Kopecks } from '../money';
import { describeAddress, type Address, type Delivery, type DeliveryChoice, type DeliveryMethod } from '../payments/order-delivery';
import { stripControls } from './customer';

export type AddressField = keyof Address;

export const DELIVERY_RULES = {
  courier: { price: 300_00, freeFrom: 3_000_00 },
  pickup: { price: 0 },
} as const;

/** Where pickup orders wait, and when the shop is open (shown at checkout and on the order page). */
export const PICKUP_POINT = {
  address: { ru: 'Москва, ул. Мясницкая, д.\u00a024, стр.\u00a01', en: '24/1 Myasnitskaya St., Moscow' },
  hours: { ru: 'Ежедневно с\u00a010:00 до\u00a021:00', en: 'Daily, 10:00 to 21:00' },
} as const;

export function deliveryPrice(method: DeliveryMethod, goodsTotal: Kopecks): Kopecks {
  if (method === 'pickup') return DELIVERY_RULES.pickup.price;
  return goodsTotal >= DELIVERY_RULES.courier.freeFrom ? 0 : DELIVERY_RULES.courier.price;
}

export type AddressError = 'required' | 'too-long';
export type DeliveryErrors = Partial<Record<AddressField, AddressError>>;

const text = (max: number) =>
  z
    .string()
    .transform(stripControls)
    .pipe(z.string().trim().min(1, { error: 'required' }).max(max, { error: 'too-long' }));

/** The longest value each address field takes (a longer one is "too long"). */
export const ADDRESS_MAX_LENGTH: Readonly<Record<AddressField, number>> = { city: 60, street: 100, house: 20, flat: 20 };

const addressSchema = z.object({
  city: text(ADDRESS_MAX_LENGTH.city),
  street: text(ADDRESS_MAX_LENGTH.street),
  house: text(ADDRESS_MAX_LENGTH.house),
  // A private house has no flat number.
  flat: z
    .string()
    .transform(stripControls)
    .pipe(z.string().trim().max(ADDRESS_MAX_LENGTH.flat, { error: 'too-long' })),
});

export type DeliveryParse = { ok: true; choice: DeliveryChoice } | { ok: false; errors: DeliveryErrors };

/** Validates the delivery part of the checkout form; anything but "courier" is pickup. */
export function parseDelivery(method: unknown, address: Record<AddressField, string>): DeliveryParse {
  if (method !== 'courier') return { ok: true, choice: { method: 'pickup' } };
  const parsed = addressSchema.safeParse(address);
  if (parsed.success) return { ok: true, choice: { method: 'courier', address: parsed.data } };
  const errors: DeliveryErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as AddressField;
    errors[field] ??= issue.message === 'too-long' ? 'too-long' : 'required';
  }
  return { ok: false, errors };
}

export function priceDelivery(choice: DeliveryChoice, goodsTotal: Kopecks): Delivery {
  return { ...choice, price: deliveryPrice(choice.method, goodsTotal) };
}

export function sameChoice(a: DeliveryChoice, b: DeliveryChoice): boolean {
  if (a.method !== b.method) return false;
  return a.method === 'pickup' || (b.method === 'courier' && describeAddress(a.address) === describeAddress(b.address));
}
