// Typed gateway errors and the one function that maps a failed exchange to them.
// `outcomeUnknown` is the question a payments engineer asks first: did the bank perhaps do it?
// A timeout, a dropped connection, a 5xx or an unreadable body mean "unknown", never "failed"
// (docs/reliability.md §2.3): money calls are then settled by re-reading the status, not by retrying.
import type { GatewayOperation } from './operations';

export type GatewayErrorInit = {
  operation: GatewayOperation;
  message: string;
  errorCode?: number;
  httpStatus?: number;
  raw?: unknown;
  cause?: unknown;
};

// The bundler may give server chunks their own copies of this module, and then `instanceof`
// fails for an error thrown by another copy (the services are built once per process, by whichever
// chunk comes first). A registered symbol is the same in every copy: catch sites use the guards.
const BRAND = Symbol.for('mirpay-shop.GatewayError');

/** True for any gateway error, whichever copy of this module created it. */
export function isGatewayError(value: unknown): value is GatewayError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** errorCode 6: the bank does not know the order (or our orderNumber). */
export function isOrderNotFound(value: unknown): value is GatewayError {
  return isGatewayError(value) && value.name === 'GatewayOrderNotFoundError';
}

export class GatewayError extends Error {
  override name = 'GatewayError';
  readonly [BRAND] = true;
  readonly operation: GatewayOperation;
  readonly errorCode: number | undefined;
  readonly httpStatus: number | undefined;
  readonly raw: unknown;
  /** True when the bank may have carried out the operation although we got no usable answer. */
  readonly outcomeUnknown: boolean = false;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.errorCode = init.errorCode;
    this.httpStatus = init.httpStatus;
    this.raw = init.raw;
  }
}

/** No HTTP answer at all: refused, reset, DNS failure. */
export class GatewayConnectionError extends GatewayError {
  override name = 'GatewayConnectionError';
  override readonly outcomeUnknown = true;
}

/** No complete answer within the per-call timeout. */
export class GatewayTimeoutError extends GatewayError {
  override name = 'GatewayTimeoutError';
  override readonly outcomeUnknown = true;
}

/** An HTTP status other than 200 (the bank answers business errors with 200, docs/gateway-api.md §1.4). */
export class GatewayHttpError extends GatewayError {
  override name = 'GatewayHttpError';
  override readonly outcomeUnknown = true;
}

/** A body that is not JSON, is truncated, or does not match the schema. */
export class GatewayProtocolError extends GatewayError {
  override name = 'GatewayProtocolError';
  override readonly outcomeUnknown = true;
}

/** The bank refused the request (errorCode 1, 3, 4, 5, 13, 14, …): nothing happened. */
export class GatewayRejectedError extends GatewayError {
  override name = 'GatewayRejectedError';
}

/** errorCode 1: this orderNumber is already registered (docs/gateway-api.md §10). */
export class GatewayDuplicateOrderError extends GatewayRejectedError {
  override name = 'GatewayDuplicateOrderError';
}

/** errorCode 5: wrong credentials or a wrong parameter value. */
export class GatewayAccessDeniedError extends GatewayRejectedError {
  override name = 'GatewayAccessDeniedError';
}

/** errorCode 6: the gateway does not know this order. */
export class GatewayOrderNotFoundError extends GatewayRejectedError {
  override name = 'GatewayOrderNotFoundError';
}

/** errorCode 7: the order is not in a state that allows this (or "system error", same code). */
export class GatewayOrderStateError extends GatewayError {
  override name = 'GatewayOrderStateError';
}

export type FailedExchange =
  | { kind: 'timeout'; cause: unknown }
  | { kind: 'connection'; cause: unknown }
  | { kind: 'http'; httpStatus: number; raw: string }
  | { kind: 'protocol'; httpStatus: number; raw: unknown; detail: string }
  | { kind: 'business'; errorCode: number; errorMessage: string; raw: unknown };

/** The one mapping from a failed exchange to an error class. */
export function toGatewayError(operation: GatewayOperation, failure: FailedExchange): GatewayError {
  switch (failure.kind) {
    case 'timeout':
      return new GatewayTimeoutError({ operation, message: `${operation}: no answer within the timeout`, cause: failure.cause });
    case 'connection':
      return new GatewayConnectionError({ operation, message: `${operation}: connection failed`, cause: failure.cause });
    case 'http':
      return new GatewayHttpError({
        operation,
        message: `${operation}: HTTP ${failure.httpStatus}`,
        httpStatus: failure.httpStatus,
        raw: failure.raw,
      });
    case 'protocol':
      return new GatewayProtocolError({
        operation,
        message: `${operation}: unexpected response (${failure.detail})`,
        httpStatus: failure.httpStatus,
        raw: failure.raw,
      });
    case 'business': {
      const init = {
        operation,
        message: `${operation}: errorCode ${failure.errorCode}: ${failure.errorMessage}`,
        errorCode: failure.errorCode,
        httpStatus: 200,
        raw: failure.raw,
      };
      switch (failure.errorCode) {
        case 1:
          return new GatewayDuplicateOrderError(init);
        case 5:
          return new GatewayAccessDeniedError(init);
        case 6:
          return new GatewayOrderNotFoundError(init);
        case 7:
          return new GatewayOrderStateError(init);
        default:
          return new GatewayRejectedError(init);
      }
    }
  }
}
