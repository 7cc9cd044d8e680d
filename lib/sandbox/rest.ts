// The sandbox's REST methods (/sandbox/payment/rest/<method>.do): the bank's parameters, validation
// and error envelope (docs/gateway-api.md §1.4, §2–§5). Answers are HTTP 200 with errorCode, as the bank's.
import { randomInt, randomUUID } from 'node:crypto';
import {
  DEFAULT_SESSION_TIMEOUT_SECS,
  FOREIGN_URL_ERROR_CODE,
  OrderStatus,
  ActionCode,
  sameMoscowDay,
  UNSUPPORTED_METHOD_ERROR_CODE,
} from './decisions';
import { legacyStatusView } from './legacy-status';
import { actionCodeDescription, invalidParam, messages, methodUnavailable, missingParam, type Lang } from './messages';
import { isAbsoluteUrl, jsonObject, kopecks, moscowTime, param, required, RestError, sameSecret, type Text } from './rest-params';
import { checkRefundLines, lineAmount, readRefundLines, type RefundItem } from './refund-items';
import { formUrlOf } from './urls';
import { statusView } from './status-view';
import type { SandboxOrder, SandboxStore } from './store';

export type SandboxCredentials = { userName: string; password: string } | { token: string };

export type RestConfig = {
  merchant: string;
  credentials: SandboxCredentials;
  /** Public origin of the sandbox, used to build formUrl; returnUrl/failUrl may point at it. */
  publicUrl: string;
  /** Further origins of the merchant's site that returnUrl, failUrl and dynamicCallbackUrl may point at. */
  returnOrigins?: readonly string[];
  /** Where callbacks go by default: dynamicCallbackUrl may point at its origin too. */
  callbacks?: { url: string };
  /**
   * errorCode as a JSON number instead of the default string, as several banks on this platform
   * send it (docs/gateway-api.md §1.4); getOrderStatus.do's ErrorCode too.
   */
  numericErrorCodes?: boolean;
};

/** What the bank knows of the HTTP request besides its parameters. */
export type CallContext = { callerIp: string | null };

export const restMethods = [
  'register',
  'registerPreAuth',
  'getOrderStatusExtended',
  'deposit',
  'reverse',
  'refund',
  'decline',
  'getOrderStatus',
] as const;
export type RestMethod = (typeof restMethods)[number];

export function isRestMethod(name: string): name is RestMethod {
  return (restMethods as readonly string[]).includes(name);
}

export function createRestApi(store: SandboxStore, config: RestConfig) {
  const siteOrigins = new Set([new URL(config.publicUrl).origin, ...(config.returnOrigins ?? []).map((o) => new URL(o).origin)]);
  const callbackOrigins = new Set([...siteOrigins, ...(config.callbacks ? [new URL(config.callbacks.url).origin] : [])]);

  /**
   * Runs one method, any name under /payment/rest/; always resolves to the JSON body the bank
   * would send. A name the sandbox does not emulate gets the bank's refusal (decisions.ts).
   */
  async function call(
    method: string,
    params: URLSearchParams,
    context: CallContext = { callerIp: null },
  ): Promise<Record<string, unknown>> {
    return withErrorCodeType(await answer(method, params, context));
  }

  async function answer(method: string, params: URLSearchParams, context: CallContext): Promise<Record<string, unknown>> {
    const now = await store.now();
    const lang: Lang = params.get('language') === 'en' ? 'en' : 'ru';
    let orderId: string | null = null;
    let errorCode = 0;
    try {
      checkCredentials(params);
      if (!isRestMethod(method)) throw new RestError(UNSUPPORTED_METHOD_ERROR_CODE, methodUnavailable(`${shownMethod(method)}.do`));
      const result = await handlers[method](params, now, lang, context);
      orderId = result.orderId;
      if (typeof result.body.ErrorCode === 'string') errorCode = Number(result.body.ErrorCode);
      return result.body;
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      errorCode = error.errorCode;
      // The old status method answers with the old protocol's capitalised keys (docs/gateway-api.md §3.6).
      if (method === 'getOrderStatus') return { ErrorCode: String(error.errorCode), ErrorMessage: error.text[lang] };
      return { errorCode: String(error.errorCode), errorMessage: error.text[lang], ...error.extra };
    } finally {
      await store.recordRequest({
        method: `${shownMethod(method)}.do`,
        orderId: orderId ?? param(params, 'orderId') ?? null,
        orderNumber: param(params, 'orderNumber') ?? null,
        errorCode,
        now,
      });
    }
  }

  function withErrorCodeType(body: Record<string, unknown>): Record<string, unknown> {
    if (!config.numericErrorCodes) return body;
    const converted = { ...body };
    for (const key of ['errorCode', 'ErrorCode']) {
      if (typeof converted[key] === 'string') converted[key] = Number(converted[key]);
    }
    return converted;
  }

  function checkCredentials(params: URLSearchParams): void {
    const token = param(params, 'token');
    const expected = config.credentials;
    if (token !== undefined) {
      if ('token' in expected && sameSecret(token, expected.token)) return;
      throw new RestError(5, messages.accessDenied);
    }
    const userName = param(params, 'userName');
    const password = param(params, 'password');
    if (userName === undefined) throw new RestError(4, missingParam('userName'));
    if (password === undefined) throw new RestError(4, missingParam('password'));
    if ('userName' in expected && userName === expected.userName && sameSecret(password, expected.password)) return;
    throw new RestError(5, messages.accessDenied);
  }

  type Handled = { body: Record<string, unknown>; orderId: string | null };
  const ok = (lang: Lang, orderId: string): Handled => ({
    body: { errorCode: '0', errorMessage: messages.success[lang] },
    orderId,
  });

  async function findOrder(params: URLSearchParams, now: number, notFound: Text, extra = {}): Promise<SandboxOrder> {
    const orderId = param(params, 'orderId');
    const orderNumber = param(params, 'orderNumber');
    if (orderId === undefined && orderNumber === undefined) throw new RestError(4, missingParam('orderId'));
    // When both are given, orderId wins (docs/gateway-api.md §3.1).
    const order = orderId !== undefined ? await store.findById(orderId) : await store.findByNumber(config.merchant, orderNumber!);
    if (!order || order.merchant !== config.merchant) throw new RestError(6, notFound, extra);
    return store.expireIfDue(order, now);
  }

  async function register(params: URLSearchParams, now: number, twoStage: boolean, context: CallContext): Promise<Handled> {
    const orderNumber = required(params, 'orderNumber');
    if (orderNumber.length > 36) throw new RestError(5, invalidParam('orderNumber'));
    const amount = kopecks(required(params, 'amount'), 'amount');
    if (amount < 1) throw new RestError(5, invalidParam('amount'));
    const currency = param(params, 'currency') ?? '643';
    if (currency !== '643') throw new RestError(3, messages.unknownCurrency);
    const returnUrl = required(params, 'returnUrl');
    if (!isAbsoluteUrl(returnUrl)) throw new RestError(4, messages.invalidReturnUrl);
    const failUrl = param(params, 'failUrl');
    if (failUrl !== undefined && !isAbsoluteUrl(failUrl)) throw new RestError(4, messages.invalidReturnUrl);
    for (const url of [returnUrl, failUrl]) {
      if (url !== undefined && !siteOrigins.has(new URL(url).origin))
        throw new RestError(FOREIGN_URL_ERROR_CODE, messages.foreignReturnUrl);
    }
    const language = param(params, 'language') ?? 'ru';
    if (language !== 'ru' && language !== 'en') throw new RestError(5, invalidParam('language'));
    const description = param(params, 'description') ?? '';
    if (description.length > 598) throw new RestError(5, invalidParam('description'));
    const jsonParams = jsonObject(params, 'jsonParams');
    if (jsonParams && Object.values(jsonParams).some((v) => typeof v === 'object' && v !== null)) {
      throw new RestError(5, invalidParam('jsonParams'));
    }
    const orderBundle = jsonObject(params, 'orderBundle');
    const timeoutParam = param(params, 'sessionTimeoutSecs');
    const sessionTimeoutSecs = timeoutParam === undefined ? DEFAULT_SESSION_TIMEOUT_SECS : kopecks(timeoutParam, 'sessionTimeoutSecs');
    if (sessionTimeoutSecs < 1) throw new RestError(5, invalidParam('sessionTimeoutSecs'));
    const expirationDate = param(params, 'expirationDate');
    const expiresAt = expirationDate === undefined ? now + sessionTimeoutSecs * 1000 : moscowTime(expirationDate);
    const dynamicCallbackUrl = param(params, 'dynamicCallbackUrl');
    if (dynamicCallbackUrl !== undefined && !isAbsoluteUrl(dynamicCallbackUrl)) throw new RestError(5, invalidParam('dynamicCallbackUrl'));
    if (dynamicCallbackUrl !== undefined && !callbackOrigins.has(new URL(dynamicCallbackUrl).origin)) {
      throw new RestError(FOREIGN_URL_ERROR_CODE, messages.foreignCallbackUrl);
    }
    const pageView = param(params, 'pageView') === 'MOBILE' ? 'MOBILE' : 'DESKTOP';

    const order: SandboxOrder = {
      id: randomUUID(),
      order_number: orderNumber,
      merchant: config.merchant,
      two_stage: twoStage ? 1 : 0,
      amount,
      currency,
      return_url: returnUrl,
      fail_url: failUrl ?? null,
      description,
      language,
      page_view: pageView,
      json_params: JSON.stringify(Object.fromEntries(Object.entries(jsonParams ?? {}).map(([k, v]) => [k, String(v)]))),
      order_bundle: orderBundle ? JSON.stringify(orderBundle) : null,
      dynamic_callback_url: dynamicCallbackUrl ?? null,
      email: param(params, 'email') ?? null,
      phone: param(params, 'phone') ?? null,
      client_id: param(params, 'clientId') ?? null,
      created_at: now,
      expires_at: expiresAt,
      status: OrderStatus.created,
      action_code: ActionCode.waitingForPayment,
      action_code_description: '',
      attempts: 0,
      approved_amount: 0,
      deposited_amount: 0,
      refunded_amount: 0,
      payment_way: null,
      masked_pan: null,
      card_expiration: null,
      cardholder_name: null,
      payment_system: null,
      approval_code: null,
      auth_ref_num: null,
      payer_ip: null,
      authorized_at: null,
      deposited_at: null,
      reversed_at: null,
      refunded_at: null,
      reverse_used: 0,
      merchant_ip: context.callerIp,
    };
    if (!(await store.insertOrder(order))) {
      // The old orderId/formUrl is not returned (docs/gateway-api.md §10).
      const existing = await store.findByNumber(config.merchant, orderNumber);
      const unpaid = existing?.status === OrderStatus.created;
      throw new RestError(1, unpaid ? messages.duplicateUnpaid : messages.duplicateProcessed);
    }
    return { body: { orderId: order.id, formUrl: formUrlOf(config.publicUrl, order) }, orderId: order.id };
  }

  const handlers: Record<RestMethod, (params: URLSearchParams, now: number, lang: Lang, context: CallContext) => Promise<Handled>> = {
    register: (params, now, _lang, context) => register(params, now, false, context),
    registerPreAuth: (params, now, _lang, context) => register(params, now, true, context),

    async getOrderStatus(params, now, lang) {
      // The old method knows orders by orderId only; a missing one is its ErrorCode 5 (docs/gateway-api.md §3.6).
      const orderId = param(params, 'orderId');
      if (orderId === undefined) throw new RestError(5, missingParam('orderId'));
      const order = await findOrder(params, now, messages.wrongOrderNumber);
      return { body: legacyStatusView(order, lang), orderId: order.id };
    },

    async getOrderStatusExtended(params, now, lang) {
      const order = await findOrder(params, now, messages.orderNotFound, { merchantOrderParams: [], attributes: [] });
      return { body: statusView(order, await store.refundsOf(order.id), lang), orderId: order.id };
    },

    async deposit(params, now, lang) {
      const amount = kopecks(required(params, 'amount'), 'amount');
      required(params, 'orderId');
      const order = await findOrder(params, now, messages.wrongOrderNumber);
      if (order.status !== OrderStatus.approved) throw new RestError(7, messages.wrongState);
      // 0 means "the whole hold" (docs/gateway-api.md §4); more than the hold is refused (docs/architecture.md §4).
      const depositAmount = amount === 0 ? order.approved_amount : amount;
      // Sber refuses deposits under one rouble (docs/gateway-api.md §4, table C12).
      if (depositAmount > order.approved_amount || depositAmount < 100) throw new RestError(7, messages.wrongDepositAmount);
      const done = await store.transition(order.id, [OrderStatus.approved], {
        status: OrderStatus.deposited,
        deposited_amount: depositAmount,
        deposited_at: now,
      });
      if (!done) throw new RestError(7, messages.wrongState);
      return ok(lang, order.id);
    },

    async reverse(params, now, lang) {
      required(params, 'orderId');
      const order = await findOrder(params, now, messages.wrongOrderNumber);
      if (order.reverse_used) throw new RestError(7, messages.reverseUsed);
      const holdOpen = order.status === OrderStatus.approved;
      const sameDayPurchase =
        order.status === OrderStatus.deposited &&
        !order.two_stage &&
        order.authorized_at !== null &&
        sameMoscowDay(order.authorized_at, now);
      if (!holdOpen && !sameDayPurchase) throw new RestError(7, messages.wrongState);
      const done = await store.transition(order.id, [order.status], {
        status: OrderStatus.reversed,
        reverse_used: 1,
        reversed_at: now,
        deposited_amount: 0,
      });
      if (!done) throw new RestError(7, messages.wrongState);
      return ok(lang, order.id);
    },

    async refund(params, now, lang) {
      required(params, 'orderId');
      const requested = kopecks(required(params, 'amount'), 'amount');
      const externalRefundId = param(params, 'externalRefundId') ?? null;
      if (externalRefundId !== null && externalRefundId.length > 32) throw new RestError(5, invalidParam('externalRefundId'));
      let lines: RefundItem[] | undefined;
      try {
        lines = readRefundLines(jsonObject(params, 'refundItems'), jsonObject(params, 'orderBundle'));
      } catch (error) {
        if (error instanceof RestError) throw error;
        throw new RestError(5, invalidParam(params.has('refundItems') ? 'refundItems' : 'orderBundle'));
      }
      const order = await findOrder(params, now, messages.wrongOrderNumber);
      if (externalRefundId !== null) {
        // The same externalRefundId again: the first refund's answer, not a second refund (docs/gateway-api.md §10).
        const earlier = await store.refundByExternalId(order.id, externalRefundId);
        if (earlier) {
          if (requested !== 0 && requested !== earlier.amount) throw new RestError(5, messages.externalRefundIdReused);
          return ok(lang, order.id);
        }
      }
      if (order.status !== OrderStatus.deposited && order.status !== OrderStatus.refunded) {
        throw new RestError(7, messages.wrongState);
      }
      // amount=0 refunds everything still refundable (docs/gateway-api.md §5, S4).
      const amount = requested === 0 ? order.deposited_amount - order.refunded_amount : requested;
      if (amount < 1) throw new RestError(7, messages.refundTooLarge);
      if (lines) {
        const earlierLines = (await store.refundsOf(order.id)).flatMap((r) =>
          r.items_json ? (JSON.parse(r.items_json) as RefundItem[]) : [],
        );
        if (checkRefundLines(lines, amount, order.order_bundle, earlierLines) !== 'ok')
          throw new RestError(5, messages.refundItemsMismatch);
      }
      const added = await store.addRefund(order.id, amount, now, {
        referenceNumber: String(randomInt(100000000, 999999999)).padStart(12, '0'),
        approvalCode: String(randomInt(100000, 999999)),
        externalRefundId,
        items: lines?.map((line) => ({ ...line, itemAmount: lineAmount(line) })),
      });
      if (added === 'too-large') throw new RestError(7, messages.refundTooLarge);
      if (added === 'duplicate') {
        // Lost a race with the same externalRefundId: that refund is this one's answer, if it is the same refund.
        const winner = externalRefundId === null ? undefined : await store.refundByExternalId(order.id, externalRefundId);
        if (winner && winner.amount !== amount) throw new RestError(5, messages.externalRefundIdReused);
      }
      return ok(lang, order.id);
    },

    async decline(params, now, lang) {
      const order = await findOrder(params, now, messages.wrongOrderNumber);
      const done = await store.transition(order.id, [OrderStatus.created], {
        status: OrderStatus.declined,
        action_code: ActionCode.declinedByMerchant,
        action_code_description: actionCodeDescription(ActionCode.declinedByMerchant, order.language as Lang),
      });
      if (!done) throw new RestError(7, messages.wrongState);
      return ok(lang, order.id);
    },
  };

  /** A call a fault kept from running (faults.ts) is still recorded, with errorCode -1, so tests can count it. */
  async function recordSkipped(method: string, params: URLSearchParams): Promise<void> {
    await store.recordRequest({
      method: `${method}.do`,
      orderId: param(params, 'orderId') ?? null,
      orderNumber: param(params, 'orderNumber') ?? null,
      errorCode: -1,
      now: await store.now(),
    });
  }

  return { call, recordSkipped };
}

/** A method name as echoed and recorded: any path may be asked for, only a plain name is repeated. */
function shownMethod(name: string): string {
  return /^[A-Za-z0-9/_-]{1,64}$/.test(name) ? name : '…';
}
