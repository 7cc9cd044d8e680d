// An order as the checkout writes it, before its first attempt moves, for tests that put one in
// the database themselves: what a test does not name is filled plainly.
import type { Order } from '../../lib/payments/orders';

export function orderRow(fields: Pick<Order, 'id' | 'number' | 'created_at'> & Partial<Order>): Order {
  return {
    flow: 'one-stage',
    amount: 1000,
    currency: '643',
    language: 'ru',
    items_json: '[]',
    customer_name: 'x',
    customer_phone: '+79120000000',
    customer_email: 'buyer@example.ru',
    checkout_key: null,
    cart_spent_at: null,
    paid_at: null,
    latest_attempt_no: 1,
    latest_state: 'registering',
    delivery_json: null,
    ...fields,
  };
}
