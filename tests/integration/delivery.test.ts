// Delivery through placeOrder against the real sandbox over HTTP: the price comes from the
// catalogue's rules (courier 300 ₽, free from 3 000 ₽ of goods; pickup free), is part of the
// amount, is its own orderBundle line marked as a service, and is kept with the order.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import type { GatewayCallRecord } from '../../lib/gateway/client';
import { placeOrder, type CheckoutInput } from '../../lib/shop/checkout';
import { findOrder } from '../../lib/payments/orders';
import { deliveryOf } from '../../lib/payments/order-delivery';
import { setUpShopHarness, type ShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
let db: Db;
let deps: ShopHarness['deps'];
let calls: GatewayCallRecord[];
beforeAll(() => void ({ db, deps, calls } = shop));

const address = { city: 'Москва', street: 'Тверская', house: '7', flat: '12' };
const base = {
  customer: { name: 'Ада', phone: '+79120000005', email: 'ada@example.ru' },
  flow: 'one-stage',
  language: 'ru',
  mobile: true,
} as const;

async function place(input: Omit<CheckoutInput, keyof typeof base>) {
  const placed = await placeOrder(deps, { ...base, ...input });
  if (!placed.ok) throw new Error(placed.reason);
  const order = (await findOrder(db, placed.orderId))!;
  const register = calls.filter((c) => c.operation === 'register' && c.orderId === placed.orderId);
  expect(register).toHaveLength(1);
  return {
    order,
    request: register[0]!.request as {
      amount: number;
      orderBundle: { customerDetails?: unknown; cartItems: { items: Record<string, unknown>[] } };
    },
  };
}

describe('delivery', () => {
  it('courier under 3 000 ₽: 300 ₽ added to the amount and sent as a service line after the goods', async () => {
    const { order, request } = await place({ cart: [{ slug: 'mug', quantity: 2 }], delivery: { method: 'courier', address } });
    expect(order.amount).toBe(158_000 + 30_000);
    expect(request.amount).toBe(188_000);
    const lines = request.orderBundle.cartItems.items;
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      positionId: 2,
      name: 'Доставка курьером',
      quantity: { value: 1, measure: 'усл' },
      itemAmount: 30_000,
      itemCode: 'delivery-courier',
      itemPrice: 30_000,
      itemAttributes: {
        attributes: [
          { name: 'paymentMethod', value: '1' },
          { name: 'paymentObject', value: '4' },
        ],
      },
    });
    expect(lines.reduce((sum, line) => sum + (line.itemAmount as number), 0)).toBe(request.amount);
    // The fiscal receipt goes, when the bank's fiscal service is on, to the shopper's e-mail.
    expect(request.orderBundle).toMatchObject({ customerDetails: { email: 'ada@example.ru' } });
    expect(deliveryOf(order.delivery_json)).toEqual({ method: 'courier', address, price: 30_000 });
  });

  it('courier from 3 000 ₽ of goods is free: no delivery line, the amount is the goods', async () => {
    const cart = [
      { slug: 'french-press', quantity: 1 },
      { slug: 'mug', quantity: 1 },
    ];
    const { order, request } = await place({ cart, delivery: { method: 'courier', address } });
    expect(order.amount).toBe(249_000 + 79_000);
    expect(request.orderBundle.cartItems.items.map((line) => line.itemCode)).toEqual(['french-press', 'mug']);
    expect(deliveryOf(order.delivery_json)).toMatchObject({ method: 'courier', price: 0 });
  });

  it('pickup is free and carries no address', async () => {
    const { order, request } = await place({ cart: [{ slug: 'honey', quantity: 1 }], delivery: { method: 'pickup' } });
    expect(order.amount).toBe(65_000);
    expect(request.orderBundle.cartItems.items).toHaveLength(1);
    expect(deliveryOf(order.delivery_json)).toEqual({ method: 'pickup', price: 0 });
  });

  it('the same checkout form sent again with another delivery is another order, at its own price', async () => {
    const checkoutKey = `delivery-${Date.now()}-abcdef`;
    const cart = [{ slug: 'honey', quantity: 1 }];
    const first = await placeOrder(deps, { ...base, cart, checkoutKey, delivery: { method: 'pickup' } });
    const again = await placeOrder(deps, { ...base, cart, checkoutKey, delivery: { method: 'pickup' } });
    const courier = await placeOrder(deps, { ...base, cart, checkoutKey, delivery: { method: 'courier', address } });
    expect(first.ok && again.ok && courier.ok).toBe(true);
    if (!first.ok || !again.ok || !courier.ok) return;
    expect(again.orderId).toBe(first.orderId);
    expect(courier.orderId).not.toBe(first.orderId);
    expect((await findOrder(db, courier.orderId))!.amount).toBe(65_000 + 30_000);
  });
});
