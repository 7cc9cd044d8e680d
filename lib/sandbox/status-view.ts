// getOrderStatusExtended.do as the bank answers it: the field set and shapes of the real captures
// in docs/gateway-api.md §3.5 (a)–(e), plus paymentWay (v9+), depositedDate (v10+) and refunds (v5+).
import { createHash } from 'node:crypto';
import { CARD_PAYMENT_WAY, OrderStatus, paymentStateOf, TERMINAL_ID } from './decisions';
import { messages, type Lang } from './messages';
import type { SandboxOrder, SandboxRefund } from './store';

type Refund = Pick<SandboxRefund, 'amount' | 'created_at' | 'reference_number' | 'approval_code' | 'external_refund_id'>;

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
    // The address the merchant's server registered the order from, as in the real captures (C2, C3).
    transactionAttributes: order.merchant_ip ? [{ name: 'merchantIp', value: order.merchant_ip }] : [],
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
      ...(order.payment_way === CARD_PAYMENT_WAY && authorized ? { secureAuthInfo: secureAuthInfoOf(order) } : {}),
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
    view.refunds = refunds.map((refund) => ({
      date: refund.created_at,
      ...(refund.external_refund_id ? { externalRefundId: refund.external_refund_id } : {}),
      approvalCode: refund.approval_code ?? '',
      actionCode: 0,
      referenceNumber: refund.reference_number ?? '',
      amount: refund.amount,
    }));
  }
  return view;
}

/**
 * 3-D Secure result of a card payment, in the shape of the real capture (docs/gateway-api.md §3.5 (b)):
 * ECI 5 (authenticated) and a CAVV that is the same on every read of the order.
 */
function secureAuthInfoOf(order: SandboxOrder): Record<string, unknown> {
  const cavv = createHash('sha256').update(`cavv:${order.id}`).digest().subarray(0, 20).toString('base64');
  return { eci: 5, threeDSInfo: { cavv } };
}
