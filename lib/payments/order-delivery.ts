// The delivery stored with an order (orders.delivery_json): courier with its address, or pickup,
// and its price, which is part of the order's amount. The shop decides it at checkout
// (lib/shop/delivery.ts); the receipt lines, the console and the e-mail read it from here.
import type { Kopecks } from '../money';

export type Address = { city: string; street: string; house: string; flat: string };
/** What the shopper chose; the price is added on the server from the catalogue's rules. */
export type DeliveryChoice = { method: 'courier'; address: Address } | { method: 'pickup' };
export type Delivery = DeliveryChoice & { price: Kopecks };
export type DeliveryMethod = Delivery['method'];

/** The order's delivery (undefined for orders placed before delivery existed). */
export function deliveryOf(json: string | null): Delivery | undefined {
  return json ? (JSON.parse(json) as Delivery) : undefined;
}

/** One line for the order page, the console, the CSV and the e-mail. */
export function describeAddress(address: Address): string {
  return [address.city, address.street, address.house, address.flat].filter(Boolean).join(', ');
}

/** The name of the delivery as a service: a receipt line, a CSV cell. */
export const DELIVERY_NAMES = {
  courier: { ru: 'Доставка курьером', en: 'Courier delivery' },
  pickup: { ru: 'Самовывоз', en: 'Pickup' },
} as const;
