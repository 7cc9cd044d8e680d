// getOrderStatusExtended.do as the bank answers it: the field set and shapes of the real captures
// in docs/gateway-api.md §3.5 (a)–(e), plus paymentWay (v9+), depositedDate (v10+) and refunds (v5+).
import { OrderStatus, paymentStateOf, TERMINAL_ID } from './decisions';
import { messages, type Lang } from './messages';
import type { SandboxOrder } from './store';

type Refund = { amount: number; created_at: number };

export function statusView(order: SandboxOrder, refunds: readonly Refund[], lang: Lang): Record<string, unknown> {
  const attempted = order.masked_pan !== null;
  const authorized = order.authorized_at !== null;
  const jsonParams = JSON.parse(order.json_params) as Record<string, string>;
  const view: Record<string, unknown> = {
    errorCode: '0',
    errorMessage: messages.success[lang],
    orderNumber: order.order_number,
    orderStatus: order.status,
    actionCode: order.action_code,
    actionCodeDescription: order.action_code_description,
    amount: order.amount,
    currency: order.currency,
    date: order.created_at,
    orderDescription: order.description,
    ...(order.payer_ip ? { ip: order.payer_ip } : {}),
    merchantOrderParams: Object.entries(jsonParams).map(([name, value]) => ({ name, value })),
    transactionAttributes: [],
    attributes: [{ name: 'mdOrder', value: order.id }],
  };
  if (attempted) {
    view.cardAuthInfo = {
      maskedPan: order.masked_pan,
      expiration: order.card_expiration,
      cardholderName: order.cardholder_name ?? '',
      ...(order.approval_code ? { approvalCode: order.approval_code } : {}),
      paymentSystem: order.payment_system,
      pan: order.masked_pan,
    };
  }
  if (authorized) {
    view.authDateTime = order.authorized_at;
    view.authRefNum = order.auth_ref_num;
  }
  view.terminalId = TERMINAL_ID;
  view.paymentAmountInfo = {
    paymentState: paymentStateOf[order.status] ?? 'CREATED',
    approvedAmount: order.approved_amount,
    depositedAmount: order.deposited_amount,
    refundedAmount: order.refunded_amount,
    feeAmount: 0,
    totalAmount: order.amount,
  };
  view.bankInfo = attempted
    ? { bankName: 'TEST CARD', bankCountryCode: 'RU', bankCountryName: lang === 'ru' ? 'Россия' : 'Russia' }
    : { bankCountryCode: 'UNKNOWN', bankCountryName: lang === 'ru' ? '<Неизвестно>' : '<Unknown>' };
  view.chargeback = false;
  if (order.payment_way && authorized) view.paymentWay = order.payment_way;
  if (order.deposited_at !== null && order.status !== OrderStatus.approved) view.depositedDate = order.deposited_at;
  if (order.reversed_at !== null) view.reversedDate = order.reversed_at;
  if (order.refunded_at !== null) view.refundedDate = order.refunded_at;
  if (refunds.length > 0) {
    view.refunds = refunds.map((refund) => ({ date: refund.created_at, amount: refund.amount, actionCode: 0 }));
  }
  return view;
}
