// The bare gateway calls the two payment paths make, with the shop's real client
// (lib/gateway/client.ts) against the bench's bank: the yardstick for "our
// overhead over the gateway itself". Requests have the shape the shop sends (same amount, receipt
// lines, returnUrl, pageView, language), built with the shop's own helpers.
import { createGatewayClient, type GatewayClient } from '../../lib/gateway/client';
import { parseCart, priceCart } from '../../lib/shop/cart';
import { newOrderId, type OrderItem } from '../../lib/payments/orders';
import { bundleOf, returnUrlOf } from '../../lib/payments/register';
import { CART } from './config.mjs';
import { payByCard } from './shopper.mjs';

const priced = priceCart(parseCart(CART));
const items: OrderItem[] = priced.lines.map((line) => ({
  slug: line.product.slug,
  name: line.product.name.ru,
  price: line.product.price,
  quantity: line.quantity,
  total: line.total,
}));
export const CART_AMOUNT = priced.total;

/** The client as the shop builds it for the bench's bank: its credentials, default timeout and retries. */
export function benchClient(restUrl: string): GatewayClient {
  return createGatewayClient({
    baseUrl: restUrl,
    auth: { userName: 'sandbox-api', password: 'sandbox-password' },
    timeoutMs: 15_000,
    statusRetries: 2,
  });
}

let sequence = 0;
const run = Date.now().toString(36).slice(-5).toUpperCase();

/** A register.do / registerPreAuth.do request as registerAttempt() sends it, with a new orderNumber. */
export function registerRequest(base: string) {
  const orderId = newOrderId();
  const orderNumber = `B${run}-${(++sequence).toString(36).toUpperCase()}-1`;
  const returnUrl = returnUrlOf(base, orderId);
  return {
    orderNumber,
    amount: CART_AMOUNT,
    currency: '643',
    returnUrl,
    failUrl: returnUrl,
    pageView: 'MOBILE' as const,
    language: 'ru' as const,
    description: `Заказ ${orderNumber}: товаров ${priced.count}`,
    jsonParams: { shopOrderId: orderId },
    orderBundle: bundleOf(items),
  };
}

/** One bare register.do. */
export async function bareRegister(client: GatewayClient, base: string): Promise<void> {
  await client.register(registerRequest(base));
}

/** A two-stage order at the sandbox, its hold approved by card: what the return route finds. */
export async function approvedHold(client: GatewayClient, base: string): Promise<string> {
  const registered = await client.registerPreAuth(registerRequest(base));
  await payByCard(registered.formUrl);
  return registered.orderId;
}

/** The return route's three calls, bare: status (approved), deposit, status (deposited). */
export async function bareStatusDepositStatus(client: GatewayClient, orderId: string): Promise<void> {
  const before = await client.getOrderStatusExtended({ orderId });
  if (before.orderStatus !== 1) throw new Error(`expected an approved hold (1), got orderStatus ${before.orderStatus}`);
  await client.deposit({ orderId, amount: CART_AMOUNT });
  const after = await client.getOrderStatusExtended({ orderId });
  if (after.orderStatus !== 2) throw new Error(`expected deposited (2), got orderStatus ${after.orderStatus}`);
}
