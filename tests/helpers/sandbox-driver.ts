// Drives the sandbox gateway through its real interface, `createSandbox(...).handle(Request)`, with a
// fresh in-memory database: REST calls with form bodies (or GET query strings), the hosted payment
// page with a phone or desktop User-Agent, the simulated Mir Pay app, the card form and the clock.
import { openSandboxTables } from '../../lib/sandbox/migrations';
import { openDatabase, type Db } from '../../lib/db/database';
import { bearerTokenMatches } from '../../lib/sandbox/control-access';
import { createSandbox, type Sandbox } from '../../lib/sandbox/handler';
import type { SandboxCredentials } from '../../lib/sandbox/rest';

export const PUBLIC_URL = 'http://sandbox.test';
export const MERCHANT = 'demo-shop';
export const AUTH = { userName: 'sandbox-api', password: 'sandbox-password' } as const;
export const RETURN_URL = 'https://shop.example/checkout/return';
export const FAIL_URL = 'https://shop.example/checkout/fail';
export const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.113 Mobile Safari/537.36';
export const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
/** The driver's SANDBOX_CONTROL_TOKEN; `handle` sends it on every /sandbox/control/* request. */
export const CONTROL_TOKEN = 'driver-control-token-0123456789abcdef';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A parsed JSON answer: tests read nested fields freely and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
export type Params = Record<string, string | number>;
export type Page = { status: number; html: string; location: string | null };
export type Card = { cardnumber: string; expdate: string; cvc: string; cardholder?: string };

export const VISA_OK: Card = { cardnumber: '4111 1111 1111 1111', expdate: '12/34', cvc: '123', cardholder: 'Ivan Ivanov' };
export const MIR_NO_FUNDS: Card = { cardnumber: '2200000000000004', expdate: '12/34', cvc: '123' };

export type Driver = Awaited<ReturnType<typeof createDriver>>;

export async function createDriver(options: { credentials?: SandboxCredentials; numericErrorCodes?: boolean } = {}) {
  const db: Db = await openDatabase(':memory:');
  const sandbox: Sandbox = createSandbox({
    db: await openSandboxTables(db),
    merchant: MERCHANT,
    merchantName: 'Test shop',
    credentials: options.credentials ?? AUTH,
    publicUrl: PUBLIC_URL,
    returnOrigins: [new URL(RETURN_URL).origin],
    authorizeControl: async (request) => bearerTokenMatches(request, CONTROL_TOKEN),
    numericErrorCodes: options.numericErrorCodes,
  });
  let sequence = 0;

  /** A request to the sandbox; those to /sandbox/control/* carry the control token. */
  const handle = (url: string, init: RequestInit = {}) => {
    const target = new URL(url, PUBLIC_URL);
    const headers = new Headers(init.headers);
    if (target.pathname.startsWith('/sandbox/control/')) headers.set('authorization', `Bearer ${CONTROL_TOKEN}`);
    return sandbox.handle(new Request(target, { ...init, headers }));
  };

  /** One REST call; `auth: false` leaves the credentials out so the test passes its own. */
  async function rest(method: string, params: Params = {}, opts: { auth?: boolean; via?: 'GET' | 'POST' } = {}) {
    const all = new URLSearchParams();
    if (opts.auth !== false) for (const [k, v] of Object.entries(AUTH)) all.set(k, v);
    for (const [k, v] of Object.entries(params)) all.set(k, String(v));
    const path = `/sandbox/payment/rest/${method}.do`;
    const response =
      opts.via === 'GET'
        ? await handle(`${path}?${all}`)
        : await handle(path, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: all.toString(),
          });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text) as Json };
  }

  function nextOrderNumber(): string {
    sequence += 1;
    return `T-${sequence}`;
  }

  /** Registers an order (one-stage unless `preAuth`) with sensible defaults; throws on an error answer. */
  async function register(params: Params = {}, preAuth = false): Promise<{ orderId: string; formUrl: string; orderNumber: string }> {
    const orderNumber = String(params.orderNumber ?? nextOrderNumber());
    const { body } = await rest(preAuth ? 'registerPreAuth' : 'register', {
      amount: 10000,
      returnUrl: RETURN_URL,
      pageView: 'MOBILE',
      ...params,
      orderNumber,
    });
    if (typeof body.orderId !== 'string' || typeof body.formUrl !== 'string') {
      throw new Error(`register failed: ${JSON.stringify(body)}`);
    }
    return { orderId: body.orderId, formUrl: body.formUrl, orderNumber };
  }

  async function status(orderId: string, extra: Params = {}): Promise<Json> {
    return (await rest('getOrderStatusExtended', { orderId, ...extra })).body;
  }

  async function page(url: string, init: RequestInit = {}): Promise<Page> {
    const response = await handle(url, { redirect: 'manual', ...init });
    return { status: response.status, html: await response.text(), location: response.headers.get('location') };
  }

  /** GET of the payment page (or any page) as the given device. */
  const open = (url: string, ua: string = ANDROID_UA) => page(url, { headers: { 'user-agent': ua } });

  const postForm = (url: string, form: Params, ua: string = ANDROID_UA) =>
    page(url, {
      method: 'POST',
      headers: { 'user-agent': ua, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString(),
    });

  /** The Mir Pay universal link on a payment page, if any. */
  function mirPayLinkIn(html: string): string | undefined {
    return /href="([^"]*\/sandbox\/mirpay\/inapp\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
  }

  /** Opens the page on Android and answers in the Mir Pay app: a card id, or 'cancel'. */
  async function answerMirPay(formUrl: string, choice: string) {
    const pageBefore = await open(formUrl, ANDROID_UA);
    const link = mirPayLinkIn(pageBefore.html);
    if (!link) throw new Error(`no Mir Pay link on the page (status ${pageBefore.status})`);
    const app = await open(link, ANDROID_UA);
    const answer = await postForm(link, choice === 'cancel' ? { action: 'cancel' } : { action: 'pay', card: choice });
    return { link, app, answer };
  }

  /** The whole Mir Pay round trip: page → app → back to the page → redirect to the shop. */
  async function payWithMirPay(formUrl: string, choice: string) {
    const steps = await answerMirPay(formUrl, choice);
    const back = await open(steps.answer.location ?? formUrl, ANDROID_UA);
    return { ...steps, back };
  }

  const submitCard = (formUrl: string, card: Card, ua: string = ANDROID_UA) => postForm(formUrl, { ...card }, ua);

  async function advanceClock(seconds: number): Promise<Json> {
    const response = await handle('/sandbox/control/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `advanceSeconds=${seconds}`,
    });
    if (response.status !== 200) throw new Error(`clock: HTTP ${response.status}`);
    return (await response.json()) as Json;
  }

  async function requests(query: Params): Promise<Json[]> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const response = await handle(`/sandbox/control/requests?${qs}`);
    return ((await response.json()) as Json).requests as Json[];
  }

  /** A paid order: one-stage → deposited (2), pre-auth → approved (1), paid by the Visa test card. */
  async function paidOrder(params: Params = {}, preAuth = false) {
    const order = await register(params, preAuth);
    const result = await submitCard(order.formUrl, VISA_OK);
    if (result.status !== 303) throw new Error(`card payment failed: HTTP ${result.status}`);
    return order;
  }

  return {
    db,
    sandbox,
    handle,
    rest,
    register,
    status,
    page,
    open,
    postForm,
    mirPayLinkIn,
    answerMirPay,
    payWithMirPay,
    submitCard,
    advanceClock,
    requests,
    paidOrder,
    close: () => db.destroy(),
  };
}
