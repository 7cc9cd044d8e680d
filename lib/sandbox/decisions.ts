// Where the bank's behaviour is unconfirmed (docs/gateway-api.md §12), the sandbox decides here, in one
// place, and the README lists these decisions (docs/architecture.md §4).

/** Order lifetime when register.do gives no sessionTimeoutSecs (docs/gateway-api.md §2.1: 1200 s). */
export const DEFAULT_SESSION_TIMEOUT_SECS = 1200;

/** Declined attempts allowed per order; the last one makes it status 6 / actionCode -2013. */
export const MAX_PAYMENT_ATTEMPTS = 3;

/** paymentWay of a Mir Pay payment: the name BPC uses in allowedPaymentWays (docs/gateway-api.md §7). */
export const MIR_PAY_PAYMENT_WAY = 'MIR_PAY';
export const CARD_PAYMENT_WAY = 'CARD';

export const TERMINAL_ID = '123456';

/**
 * register.do/registerPreAuth.do refuse a returnUrl or failUrl whose origin is not the merchant's
 * site (the sandbox's own origin, APP_URL, or SANDBOX_RETURN_ORIGINS) with errorCode 5, the bank's
 * code for "a parameter has an invalid value" (4 is for a missing or empty one, as a relative
 * returnUrl is here). Banks bind return addresses to the merchant's registered site in their
 * merchant settings; the exact code they answer with is unconfirmed. Without this, anyone holding
 * the API credentials could make the payment page, on the shop's own origin, send shoppers to any
 * site after paying.
 *
 * dynamicCallbackUrl is bound the same way (those origins, plus SANDBOX_CALLBACK_URL's): the
 * sandbox itself calls it, from inside the deployment's network and signed with the callback key,
 * so an unbound one would let a caller make the server request any address (SSRF).
 */
export const FOREIGN_URL_ERROR_CODE = 5;

/**
 * A method the sandbox does not emulate (getBindings, unBindCard, paymentOrderBinding, addParams,
 * verifyEnrollment, anything else under /payment/rest/) is answered as the bank answers a method
 * the merchant has no permission for: HTTP 200, JSON, errorCode 5 ("access denied", docs/gateway-api.md
 * §1.3, §2.3) and a message in the request's language. The bank's exact code for a method it does
 * not offer is unconfirmed; a 404 page would be wrong either way, as clients read it as a network
 * failure and retry.
 */
export const UNSUPPORTED_METHOD_ERROR_CODE = 5;

/**
 * After a refund, paymentAmountInfo.depositedAmount keeps the amount captured and refundedAmount
 * grows (docs/gateway-api.md §5 refund.do, decision there with its sources): refunds are limited by
 * "Σ refunds ≤ deposited" (S3, S4), a ceiling that only reads as one if depositedAmount stays.
 */
export const REFUND_KEEPS_DEPOSITED_AMOUNT = true;

/** orderStatus values (docs/gateway-api.md §3.2). */
export const OrderStatus = {
  created: 0,
  approved: 1,
  deposited: 2,
  reversed: 3,
  refunded: 4,
  acsStarted: 5,
  declined: 6,
} as const;

/** actionCode values the sandbox produces (docs/gateway-api.md §3.3). */
export const ActionCode = {
  success: 0,
  waitingForPayment: -100,
  expired: -2007,
  attemptsExceeded: -2013,
  declinedUnknown: 5,
  insufficientFunds: 116,
  invalidPaymentData: 71015,
  /** "Declined by merchant" (docs/gateway-api.md §3.3, S4): what decline.do leaves on the order. */
  declinedByMerchant: 4005,
} as const;

export const paymentStateOf: Record<number, string> = {
  0: 'CREATED',
  1: 'APPROVED',
  2: 'DEPOSITED',
  3: 'REVERSED',
  4: 'REFUNDED',
  5: 'CREATED',
  6: 'DECLINED',
};

/** Reversal of a one-stage payment is allowed until the end of the bank day, Moscow time (UTC+3). */
export function sameMoscowDay(a: number, b: number): boolean {
  const day = (ms: number) => Math.floor((ms + 3 * 3600_000) / 86_400_000);
  return day(a) === day(b);
}
