// The sandbox gateway as one web-standard handler, (Request) => Response, with no framework:
// app/sandbox mounts it in Next.js, and tests mount it in a plain node:http server.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import { passesLuhn } from '../gateway/mask';
import { callbackRelease, callbackSettingsPatch, createCallbacks, issuesOf, type CallbackOptions } from './callbacks';
import { findMirPayCard, findTestCard, maskPanForStatus, type Outcome } from './cards';
import { CARD_PAYMENT_WAY, MIR_PAY_PAYMENT_WAY, OrderStatus } from './decisions';
import { createFaults, respondWithFault } from './faults';
import { applyLatency, type Latency } from './latency';
import type { Lang } from './messages';
import { applyAttempt, type CardUsed } from './payment';
import { htmlResponse } from './pages/html';
import { renderMirPayApp } from './pages/mirpay-app';
import { renderFinalPage, renderMessagePage, renderPaymentPage } from './pages/payment-page';
import { textsFor } from './pages/texts';
import { createRestApi, isRestMethod, type SandboxCredentials } from './rest';
import { createSandboxStore, type SandboxOrder } from './store';
import { formUrlOf, mirPayLinkOf, resultUrlOf, SANDBOX_PREFIX } from './urls';

export type SandboxOptions = {
  db: Db;
  merchant: string;
  merchantName: string;
  credentials: SandboxCredentials;
  /** Public origin (e.g. http://localhost:3000): formUrl and the Mir Pay link are built on it. */
  publicUrl: string;
  /** Where and how to send callback notifications; absent = the sandbox sends none. */
  callbacks?: CallbackOptions;
  /** Origins besides publicUrl's that returnUrl, failUrl and dynamicCallbackUrl may point at. */
  returnOrigins?: readonly string[];
  /**
   * Whether this request may use /sandbox/control/* (faults, clock, callbacks, requests): they
   * change the sandbox for everyone and list every shopper's orders. Required, so that no
   * mounting forgets it (lib/sandbox/control-access.ts has the bearer-token check).
   */
  authorizeControl: (request: Request) => Promise<boolean>;
  /** A bank's network latency on every REST call (lib/sandbox/latency.ts); absent = none. */
  latency?: Latency;
};

const REST = new RegExp(`^${SANDBOX_PREFIX}/payment/rest/([A-Za-z]+)\\.do$`);
const PAGE = new RegExp(`^${SANDBOX_PREFIX}/payment/merchants/([a-z0-9_-]+)/(mobile_)?payment_(ru|en)\\.html$`);
const MIRPAY = new RegExp(`^${SANDBOX_PREFIX}/mirpay/inapp/([A-Za-z0-9_-]{16,64})$`);
const CONTROL = `${SANDBOX_PREFIX}/control/`;
const CALLBACKS = `${SANDBOX_PREFIX}/control/callbacks`;
const FAULTS = `${SANDBOX_PREFIX}/control/faults`;

export function createSandbox(options: SandboxOptions) {
  const callbacks = createCallbacks(options.db, options.callbacks);
  const store = createSandboxStore(options.db, callbacks.enqueue);
  const rest = createRestApi(store, options);
  const faults = createFaults({
    db: options.db,
    lookup: async ({ orderId, orderNumber }) => {
      const order = orderId !== undefined ? await store.findById(orderId) : await store.findByNumber(options.merchant, orderNumber ?? '');
      return order && { orderId: order.id, orderNumber: order.order_number };
    },
  });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(CONTROL) && !(await options.authorizeControl(request))) {
      return json({ error: 'sandbox controls need the merchant session or Authorization: Bearer <SANDBOX_CONTROL_TOKEN>' }, 401, {
        'www-authenticate': 'Bearer',
      });
    }
    const method = request.method.toUpperCase();
    // DELETE only clears fault rules; everything else the bank serves is GET or POST.
    const allowed = method === 'GET' || method === 'POST' || (method === 'DELETE' && url.pathname === FAULTS);
    if (!allowed) return new Response('Method Not Allowed', { status: 405 });

    const restMatch = REST.exec(url.pathname);
    if (restMatch) {
      const name = restMatch[1]!;
      if (!isRestMethod(name)) return new Response('Not Found', { status: 404 });
      // Before the call is performed, as the network's delay before the bank sees the request.
      await applyLatency(options.latency, request.signal);
      // The bank takes POST form bodies and, in practice, GET query strings (gateway-api.md §1.2).
      const params = method === 'POST' ? new URLSearchParams(await request.text()) : url.searchParams;
      const named = (key: string) => params.get(key)?.trim() || undefined;
      const fault = await faults.take({ method: `${name}.do`, orderId: named('orderId'), orderNumber: named('orderNumber') });
      if (fault) {
        return respondWithFault(fault, {
          perform: () => rest.call(name, params),
          skip: () => rest.recordSkipped(name, params),
          signal: request.signal,
        });
      }
      return json(await rest.call(name, params));
    }
    const pageMatch = PAGE.exec(url.pathname);
    if (pageMatch && pageMatch[1] === options.merchant) {
      return paymentPage(request, url, pageMatch[3] as Lang);
    }
    const mirPayMatch = MIRPAY.exec(url.pathname);
    if (mirPayMatch) return mirPayApp(request, mirPayMatch[1]!);
    if (url.pathname === `${SANDBOX_PREFIX}/control/clock` && method === 'POST') return advanceClock(request);
    if (url.pathname === CALLBACKS || url.pathname === `${CALLBACKS}/release`) return callbackControl(request, url, method);
    if (url.pathname === FAULTS) return faults.control(request, 'rules');
    if (url.pathname === `${FAULTS}/clear`) return faults.control(request, 'clear');
    if (url.pathname === `${SANDBOX_PREFIX}/control/requests` && method === 'GET') {
      const rows = await store.requestsOf({
        orderId: url.searchParams.get('orderId') ?? undefined,
        method: url.searchParams.get('method') ?? undefined,
      });
      return json({ requests: rows });
    }
    return new Response('Not Found', { status: 404 });
  }

  async function paymentPage(request: Request, url: URL, lang: Lang): Promise<Response> {
    const t = textsFor(lang);
    const now = await store.now();
    const found = await store.findById(url.searchParams.get('mdOrder') ?? '');
    if (!found || found.merchant !== options.merchant) return htmlResponse(renderMessagePage(lang, t.notFound), 404);
    let order = await store.expireIfDue(found, now);
    const ip = clientIp(request);
    let notice: { kind: 'error' | 'info'; text: string } | undefined;

    if (request.method === 'GET') {
      // Seed step 8: back from the Mir Pay app, the page shows the outcome of the exchange the app
      // already completed with the gateway, by redirecting to returnUrl or failUrl.
      const answer = await store.claimMirPayAnswer(order.id, now);
      if (answer?.card && answer.card !== 'cancel') {
        order = (await store.findById(order.id)) ?? order;
        const approved = order.status === OrderStatus.approved || order.status === OrderStatus.deposited;
        return redirect(resultUrlOf(order, approved, lang));
      }
      if (answer && order.status === OrderStatus.created) notice = { kind: 'info', text: t.mirPayCancelled };
    }
    if (order.status === OrderStatus.created && request.method === 'POST') {
      const form = new URLSearchParams(await request.text());
      const result = readCardForm(form);
      if (result.kind === 'invalid') notice = { kind: 'error', text: t.cardFormInvalid };
      else if (result.kind === 'unknown') notice = { kind: 'error', text: t.cardUnknown };
      else return attempt(order, result.outcome, result.card, now, ip, lang);
      order = (await store.findById(order.id)) ?? order;
    }
    if (order.status !== OrderStatus.created) return finalPage(order, lang);

    const android = /Android/i.test(request.headers.get('user-agent') ?? '');
    const mirPayLink = android
      ? mirPayLinkOf(options.publicUrl, await store.mirPaySessionFor(order.id, now, newToken))
      : undefined;
    const page = renderPaymentPage({
      order,
      lang,
      merchantName: options.merchantName,
      now,
      mirPayLink,
      otherLangUrl: formUrlOf(options.publicUrl, order, lang === 'ru' ? 'en' : 'ru'),
      notice,
    });
    return htmlResponse(page, notice?.kind === 'error' ? 422 : 200);
  }

  async function attempt(order: SandboxOrder, outcome: Outcome, card: CardUsed, now: number, ip: string, lang: Lang): Promise<Response> {
    const result = await applyAttempt(store, order, outcome, card, { now, ip });
    if (result === 'not-payable') return finalPage((await store.findById(order.id)) ?? order, lang);
    return redirect(resultUrlOf(order, result === 'approved', lang));
  }

  function finalPage(order: SandboxOrder, lang: Lang): Response {
    const success = order.status === OrderStatus.approved || order.status === OrderStatus.deposited;
    const backUrl = resultUrlOf(order, success, lang);
    return htmlResponse(renderFinalPage({ order, lang, merchantName: options.merchantName, backUrl }));
  }

  async function mirPayApp(request: Request, token: string): Promise<Response> {
    const now = await store.now();
    const session = await store.findMirPaySession(token);
    const found = session ? await store.findById(session.order_id) : undefined;
    if (!session || !found) return htmlResponse(renderMessagePage('ru', textsFor('ru').linkInvalid), 404);
    const order = await store.expireIfDue(found, now);
    const lang = order.language as Lang;
    const paymentPageUrl = formUrlOf(options.publicUrl, order);
    if (session.answered_at !== null || order.status !== OrderStatus.created) {
      const t = textsFor(lang);
      return htmlResponse(renderMessagePage(lang, t.linkInvalid, { href: paymentPageUrl, label: t.backToPayment }), 410);
    }
    if (request.method === 'POST') {
      const form = new URLSearchParams(await request.text());
      const choice = form.get('action') === 'pay' ? form.get('card') ?? '' : 'cancel';
      if (choice !== 'cancel' && !findMirPayCard(choice)) {
        return htmlResponse(renderMirPayApp({ order, lang, merchantName: options.merchantName }), 422);
      }
      if (!(await store.answerMirPay(token, choice, now))) {
        const t = textsFor(lang);
        return htmlResponse(renderMessagePage(lang, t.linkInvalid, { href: paymentPageUrl, label: t.backToPayment }), 410);
      }
      const card = findMirPayCard(choice);
      if (card) {
        // The app hands the payment data to the gateway, which authorises at once (gateway-api.md
        // §7 steps 4–5): the outcome does not wait for the browser to come back.
        const used: CardUsed = {
          maskedPan: card.maskedPan,
          expiration: card.expiration,
          cardholderName: '',
          paymentSystem: 'MIR',
          paymentWay: MIR_PAY_PAYMENT_WAY,
        };
        await applyAttempt(store, order, card.outcome, used, { now, ip: clientIp(request) });
      }
      // Seed step 7: the app sends the browser back to the payment page URL.
      return redirect(paymentPageUrl);
    }
    return htmlResponse(renderMirPayApp({ order, lang, merchantName: options.merchantName }));
  }

  async function advanceClock(request: Request): Promise<Response> {
    const text = await request.text();
    const seconds = Number(new URLSearchParams(text).get('advanceSeconds') ?? safeJson(text)?.advanceSeconds);
    if (!Number.isFinite(seconds) || seconds < 0) return json({ error: 'advanceSeconds: expected a number ≥ 0' }, 400);
    await store.advanceClock(Math.round(seconds * 1000));
    return json({ now: await store.now() });
  }

  /** Callback test controls: GET lists the outbox, POST changes settings, POST …/release releases held ones. */
  async function callbackControl(request: Request, url: URL, method: string): Promise<Response> {
    if (!options.callbacks) return json({ error: 'callbacks are off: the sandbox was built without a callback URL' }, 409);
    const releasing = url.pathname.endsWith('/release');
    if (method === 'GET' && !releasing) {
      const orderId = url.searchParams.get('orderId') ?? undefined;
      return json({ settings: await callbacks.settings(), callbacks: await callbacks.list(orderId) });
    }
    if (method !== 'POST') return new Response('Method Not Allowed', { status: 405 });
    const text = await request.text();
    const body = text.trim() === '' ? {} : safeJson(text);
    if (releasing) {
      const parsed = callbackRelease.safeParse(body);
      if (!parsed.success) return json({ error: issuesOf(parsed.error) }, 400);
      return json({ released: await callbacks.release(parsed.data.order) });
    }
    const parsed = callbackSettingsPatch.safeParse(body);
    if (!parsed.success) return json({ error: issuesOf(parsed.error) }, 400);
    return json({ settings: await callbacks.updateSettings(parsed.data) });
  }

  const dispatcher = { start: callbacks.start, stop: callbacks.stop, flush: callbacks.flush };
  return { handle, store, callbacks: dispatcher, faults };
}

export type Sandbox = ReturnType<typeof createSandbox>;

type CardForm =
  | { kind: 'invalid' }
  | { kind: 'unknown' }
  | { kind: 'known'; outcome: Outcome; card: CardUsed };

function readCardForm(form: URLSearchParams): CardForm {
  const pan = (form.get('cardnumber') ?? '').replace(/[\s-]/g, '');
  const expiry = (form.get('expdate') ?? '').replace(/\s/g, '');
  const cvc = (form.get('cvc') ?? '').trim();
  if (!/^\d{13,19}$/.test(pan) || !passesLuhn(pan) || !/^(0[1-9]|1[0-2])\/\d{2}$/.test(expiry) || !/^\d{3,4}$/.test(cvc)) {
    return { kind: 'invalid' };
  }
  const card = findTestCard(pan);
  if (!card) return { kind: 'unknown' };
  // Wrong expiry or CVC on a test card is a decline, as on the BPC sandbox (gateway-api.md §9).
  const outcome: Outcome =
    expiry === card.expiry && cvc === card.cvc ? card.outcome : { kind: 'decline', actionCode: 71015 };
  const [mm, yy] = expiry.split('/');
  return {
    kind: 'known',
    outcome,
    card: {
      maskedPan: maskPanForStatus(pan),
      expiration: `20${yy}${mm}`,
      cardholderName: (form.get('cardholder') ?? '').trim().toUpperCase().slice(0, 26),
      paymentSystem: card.paymentSystem,
      paymentWay: CARD_PAYMENT_WAY,
    },
  };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', ...headers },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}

function clientIp(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || '127.0.0.1';
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
