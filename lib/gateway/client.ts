// The one typed client of the bank's gateway (docs/architecture.md §3). It speaks the classic REST
// protocol: POST, application/x-www-form-urlencoded, UTF-8, to <baseUrl><method>.do, with
// jsonParams/orderBundle as JSON strings inside form fields (docs/gateway-api.md §1.2). The sandbox
// is reached the same way, over HTTP, so nothing here knows which of the two answers.
import type { z } from 'zod';
import { toGatewayError, GatewayError, type FailedExchange } from './errors';
import { rootLogger } from '../log/logger';
import { maskSecrets } from './mask';
import { operations, type GatewayOperation } from './operations';
import { fetchTransport, httpTransport, type GatewayTransport } from './transport';
import {
  acknowledgementSchema,
  declineRequestSchema,
  depositRequestSchema,
  envelopeSchema,
  refundRequestSchema,
  registerRequestSchema,
  registerResponseSchema,
  reverseRequestSchema,
  statusRequestSchema,
  statusResponseSchema,
  type Acknowledgement,
  type DeclineRequest,
  type DepositRequest,
  type RefundRequest,
  type RegisterRequest,
  type RegisterResponse,
  type ReverseRequest,
  type StatusRequest,
  type StatusResponse,
} from './schemas';

if (typeof window !== 'undefined') {
  throw new Error('lib/gateway is server-only: it holds the gateway credentials');
}

export type GatewayAuth = { userName: string; password: string } | { token: string };

/** One record per HTTP exchange, already masked: safe to log and to store. */
export type GatewayCallRecord = {
  operation: GatewayOperation;
  /** Our order id, when the caller passed one: ties the call to the shop's order. */
  orderId: string | undefined;
  orderNumber: string | undefined;
  gatewayOrderId: string | undefined;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  outcome: 'ok' | 'rejected' | 'unknown';
  errorCode: number | undefined;
  httpStatus: number | undefined;
  error: string | undefined;
  request: Record<string, unknown>;
  response: unknown;
};

export type GatewayClientOptions = {
  baseUrl: string;
  auth: GatewayAuth;
  timeoutMs?: number;
  /** Extra attempts for status reads after an unknown outcome (connection, timeout, 5xx). */
  statusRetries?: number;
  /** How posts reach the gateway (default: node:http(s) with keep-alive, ./transport.ts). */
  transport?: GatewayTransport;
  /** A fetch-shaped stand-in for the transport: tests script the gateway's answers with it. */
  fetch?: typeof fetch;
  onCall?: (record: GatewayCallRecord) => void | Promise<void>;
  /** Injectable for tests of the backoff. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** Ties a call to our order in the call record. */
export type CallContext = {
  orderId?: string;
  /**
   * A deadline of this call's own, shorter than the client's timeout and with no retry: a status
   * read on the shopper's path answers within it or is left to the next poll (the reconciler and
   * callbacks keep the patient defaults).
   */
  deadlineMs?: number;
};

export type GatewayClient = {
  register(request: RegisterRequest, context?: CallContext): Promise<RegisterResponse>;
  registerPreAuth(request: RegisterRequest, context?: CallContext): Promise<RegisterResponse>;
  getOrderStatusExtended(request: StatusRequest, context?: CallContext): Promise<StatusResponse>;
  deposit(request: DepositRequest, context?: CallContext): Promise<Acknowledgement>;
  reverse(request: ReverseRequest, context?: CallContext): Promise<Acknowledgement>;
  refund(request: RefundRequest, context?: CallContext): Promise<Acknowledgement>;
  decline(request: DeclineRequest, context?: CallContext): Promise<Acknowledgement>;
};

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 2_000;

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const statusRetries = options.statusRetries ?? 2;
  const transport = options.transport ?? (options.fetch ? fetchTransport(options.fetch) : httpTransport);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  async function call<T>(
    operation: GatewayOperation,
    params: Record<string, unknown>,
    responseSchema: z.ZodType<T>,
    context: CallContext | undefined,
  ): Promise<T> {
    const policy = operations[operation];
    const maxAttempts = policy.safeToRetry && context?.deadlineMs === undefined ? 1 + statusRetries : 1;
    const body = toFormBody({ ...options.auth, ...params }).toString();
    for (let attempt = 1; ; attempt++) {
      const startedAt = new Date();
      const result = await exchange(operation, body, responseSchema, context?.deadlineMs ?? timeoutMs);
      const record: GatewayCallRecord = {
        operation,
        orderId: context?.orderId,
        orderNumber: stringOrUndefined(params.orderNumber),
        gatewayOrderId: stringOrUndefined(params.orderId) ?? gatewayOrderIdOf(result.raw),
        attempt,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        outcome: result.ok ? 'ok' : result.error.outcomeUnknown ? 'unknown' : 'rejected',
        errorCode: result.ok ? undefined : result.error.errorCode,
        httpStatus: result.httpStatus,
        error: result.ok ? undefined : result.error.message,
        request: maskSecrets(params) as Record<string, unknown>,
        response: maskSecrets(result.raw),
      };
      await report(record);
      if (result.ok) return result.value;
      if (!(result.error.outcomeUnknown && attempt < maxAttempts)) throw result.error;
      const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
      await sleep(Math.max(BACKOFF_BASE_MS, backoff * (0.5 + random() / 2)));
    }
  }

  type Exchange<T> =
    | { ok: true; value: T; raw: unknown; httpStatus: number }
    | { ok: false; error: GatewayError; raw: unknown; httpStatus: number | undefined };

  async function exchange<T>(
    operation: GatewayOperation,
    body: string,
    responseSchema: z.ZodType<T>,
    callTimeoutMs: number,
  ): Promise<Exchange<T>> {
    const fail = (failure: FailedExchange, raw: unknown, httpStatus?: number): Exchange<T> => ({
      ok: false,
      error: toGatewayError(operation, failure),
      raw,
      httpStatus,
    });
    let httpStatus: number;
    let text: string;
    try {
      // The timeout covers the whole exchange, body included: a gateway that sends headers and then
      // stalls is as unknown as one that never answers.
      ({ status: httpStatus, text } = await transport(new URL(operations[operation].method, baseUrl), body, callTimeoutMs));
    } catch (cause) {
      const isTimeout = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      return fail({ kind: isTimeout ? 'timeout' : 'connection', cause }, undefined);
    }
    if (httpStatus !== 200) return fail({ kind: 'http', httpStatus, raw: text.slice(0, 500) }, text.slice(0, 500), httpStatus);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail({ kind: 'protocol', httpStatus, raw: text.slice(0, 500), detail: 'not JSON' }, text.slice(0, 500), httpStatus);
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      return fail({ kind: 'protocol', httpStatus, raw: json, detail: 'not a JSON object' }, json, httpStatus);
    }
    const { errorCode, errorMessage } = envelope.data;
    if (errorCode !== undefined && String(errorCode).trim() !== '' && Number(errorCode) !== 0) {
      const code = Number(errorCode);
      if (!Number.isInteger(code)) {
        return fail({ kind: 'protocol', httpStatus, raw: json, detail: `errorCode ${String(errorCode)}` }, json, httpStatus);
      }
      return fail({ kind: 'business', errorCode: code, errorMessage: errorMessage ?? '', raw: json }, json, httpStatus);
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ');
      return fail({ kind: 'protocol', httpStatus, raw: json, detail: `schema: ${detail}` }, json, httpStatus);
    }
    return { ok: true, value: parsed.data, raw: json, httpStatus };
  }

  async function report(record: GatewayCallRecord): Promise<void> {
    if (!options.onCall) return;
    try {
      await options.onCall(record);
    } catch (error) {
      // Recording must never change the outcome of a payment call.
      rootLogger().error({ event: 'gateway.record_failed', operation: record.operation, error: String(error) });
    }
  }

  function validate<S extends z.ZodType>(operation: GatewayOperation, schema: S, request: unknown): z.infer<S> {
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      throw new GatewayError({
        operation,
        message: `${operation}: invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      });
    }
    return parsed.data;
  }

  // async, so that a request refused by validation is a rejected promise like every other failure.
  const registerWith = (operation: 'register' | 'registerPreAuth') => async (request: RegisterRequest, context?: CallContext) =>
    call(operation, validate(operation, registerRequestSchema, request), registerResponseSchema, context);

  return {
    register: registerWith('register'),
    registerPreAuth: registerWith('registerPreAuth'),
    getOrderStatusExtended: async (request, context) =>
      call('getOrderStatusExtended', validate('getOrderStatusExtended', statusRequestSchema, request), statusResponseSchema, context),
    deposit: async (request, context) =>
      call('deposit', validate('deposit', depositRequestSchema, request), acknowledgementSchema, context),
    reverse: async (request, context) =>
      call('reverse', validate('reverse', reverseRequestSchema, request), acknowledgementSchema, context),
    refund: async (request, context) => call('refund', validate('refund', refundRequestSchema, request), acknowledgementSchema, context),
    decline: async (request, context) =>
      call('decline', validate('decline', declineRequestSchema, request), acknowledgementSchema, context),
  };
}

/** Form fields are strings; structured parameters travel as JSON strings (docs/gateway-api.md §1.2). */
export function toFormBody(params: Record<string, unknown>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    body.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return body;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** register answers with orderId; a status read by orderNumber names it in attributes (mdOrder). */
function gatewayOrderIdOf(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  if ('orderId' in raw) return stringOrUndefined(raw.orderId);
  if ('attributes' in raw && Array.isArray(raw.attributes)) {
    const mdOrder = (raw.attributes as unknown[]).find(
      (a): a is { name: string; value: unknown } => a !== null && typeof a === 'object' && 'name' in a && a.name === 'mdOrder',
    );
    return stringOrUndefined(mdOrder?.value);
  }
  return undefined;
}
