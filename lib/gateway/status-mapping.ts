// What the bank's status of an order means for us: getOrderStatusExtended's orderStatus and
// actionCode (docs/gateway-api.md §3.2), checked against the amount and currency we expect.
import type { StatusResponse } from './schemas';

/** The states the bank's answer alone can tell; the shop's own steps (registering, depositing…) are not among them. */
export type BankState = 'awaiting' | 'declined' | 'approved' | 'paid' | 'expired' | 'reversed' | 'refunded' | 'mismatch' | 'unknown';

export type GatewayView = {
  state: BankState;
  actionCode: number;
  approvedAmount: number;
  depositedAmount: number;
  refundedAmount: number;
};

/**
 * docs/gateway-api.md §3.2: orderStatus 0–6; amounts and currency are checked against our order. A hold
 * must be the order amount; a deposit must be the order amount or, after the merchant captured
 * part of a hold, exactly that part (`captured`).
 */
export function stateFromStatus(
  status: StatusResponse,
  expected: { amount: number; currency: string; captured?: number | null },
): GatewayView {
  const info = status.paymentAmountInfo;
  const view = {
    actionCode: status.actionCode,
    approvedAmount: info?.approvedAmount ?? 0,
    depositedAmount: info?.depositedAmount ?? 0,
    refundedAmount: info?.refundedAmount ?? 0,
  };
  const currencyOk = (status.currency ?? expected.currency) === expected.currency;
  switch (status.orderStatus) {
    case 0:
      return { ...view, state: status.actionCode === -100 ? 'awaiting' : 'declined' };
    case 1:
      return { ...view, state: view.approvedAmount === expected.amount && currencyOk ? 'approved' : 'mismatch' };
    case 2:
      return { ...view, state: view.depositedAmount === (expected.captured ?? expected.amount) && currencyOk ? 'paid' : 'mismatch' };
    case 3:
      return { ...view, state: 'reversed' };
    case 4:
      return { ...view, state: 'refunded' };
    case 5:
      return { ...view, state: 'awaiting' };
    case 6:
      return { ...view, state: status.actionCode === -2007 ? 'expired' : 'declined' };
    default:
      return { ...view, state: 'unknown' };
  }
}
