// getOrderStatus.do, the older status method many plug-ins still call: its own answer shape, with
// the capitalised keys of the old protocol (docs/gateway-api.md §1.4, §3.6) and its own error codes.
import { OrderStatus } from './decisions';
import { messages, type Lang } from './messages';
import type { SandboxOrder } from './store';

/** ErrorCode 2 of the old method: the order exists, but the payment was declined (docs/gateway-api.md §3.6). */
const DECLINED_ERROR_CODE = 2;

export const legacyMessages = {
  declined: {
    ru: 'Заказ отклонен по причине ошибки в реквизитах платежа',
    en: 'The order was declined because of an error in the payment details',
  },
} as const;

export function legacyStatusView(order: SandboxOrder, lang: Lang): Record<string, unknown> {
  const declined = order.status === OrderStatus.declined;
  const view: Record<string, unknown> = {
    ErrorCode: String(declined ? DECLINED_ERROR_CODE : 0),
    ErrorMessage: declined ? legacyMessages.declined[lang] : messages.success[lang],
    OrderStatus: order.status,
    OrderNumber: order.order_number,
    Amount: order.amount,
    currency: order.currency,
    date: order.created_at,
    orderDescription: order.description,
  };
  if (order.masked_pan !== null) {
    view.Pan = order.masked_pan;
    view.expiration = order.card_expiration;
    view.cardholderName = order.cardholder_name ?? '';
  }
  if (order.approval_code !== null) {
    view.approvalCode = order.approval_code;
    // Deprecated in the old protocol and always 2 there (docs/gateway-api.md §3.6).
    view.authCode = 2;
  }
  if (order.deposited_at !== null) view.depositAmount = order.deposited_amount;
  if (order.payer_ip !== null) view.Ip = order.payer_ip;
  if (order.client_id !== null) view.clientId = order.client_id;
  return view;
}
