// A shopper's browser without JavaScript, over plain HTTP: the state the measured pages need
// (a cart, a placed order, an approved hold, a paid order, a Mir Pay session) is made the way a
// phone makes it. Every step checks its status code and where it redirects, so a 403 (no Origin),
// a 429 (rate limit) or a form re-rendered with an error can never pass for the real path.
import { randomBytes } from 'node:crypto';
import { CART, CUSTOMER, MOBILE_UA } from './config.mjs';

export type Flow = 'one-stage' | 'two-stage';

/** A checkout form as rendered: its hidden fields, its key, and where it posts. */
export type CheckoutForm = { fields: [string, string][]; key: string; action: string };

export type PlacedOrder = { orderId: string; formUrl: string; mdOrder: string };

export class UnexpectedResponse extends Error {
  override name = 'UnexpectedResponse';
}

/** A failed step's message with its network cause (ECONNRESET…), for the report. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause ? `${error.message} (${cause.code ?? cause.message ?? 'no cause'})` : error.message;
}

/** Set-up only (never a measured request): a step that fails on the network is tried again, up to 3 times, and each retry is recorded. */
export async function withRetry<T>(step: () => Promise<T>, retries: string[]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 3 || error instanceof UnexpectedResponse) throw error;
      retries.push(describeError(error));
    }
  }
}

export function shopperHeaders(base: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'user-agent': MOBILE_UA, origin: base, cookie: `cart=${CART}`, ...extra };
}

/**
 * GET /checkout with the cart: the form exactly as a browser gets it (a server action's fields
 * included: the empty app's forms are actions), and where it posts (a server action's form posts to
 * its page: `action=""`).
 */
export async function readCheckoutForm(base: string, path = '/checkout'): Promise<CheckoutForm> {
  const response = await fetch(`${base}${path}`, { headers: shopperHeaders(base), redirect: 'manual' });
  const html = await response.text();
  if (response.status !== 200) throw new UnexpectedResponse(`GET ${path} answered ${response.status}`);
  const start = html.indexOf('data-testid="checkout-form"');
  const end = html.indexOf('</form>', start);
  if (start < 0 || end < 0) throw new UnexpectedResponse(`GET ${path}: no checkout form (is the cart empty?)`);
  const form = html.slice(html.lastIndexOf('<form', start), end);
  const fields: [string, string][] = [];
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(input, 'name');
    const type = attribute(input, 'type') ?? 'text';
    if (name === undefined) continue;
    // Hidden fields as rendered (the key, and an action's id and bound state); the visible ones are
    // typed in below; of the radios, the flow is chosen per submission.
    if (type === 'hidden') fields.push([name, attribute(input, 'value') ?? '']);
  }
  const key = fields.find(([name]) => name === 'checkoutKey')?.[1];
  if (!key) throw new UnexpectedResponse(`GET ${path}: the form has no checkoutKey`);
  return { fields, key, action: attribute(form.slice(0, form.indexOf('>')), 'action') || path };
}

/** A fresh key, as a fresh rendering of the form would carry (same alphabet and length as the page's). */
export function newCheckoutKey(): string {
  return randomBytes(18).toString('base64url');
}

/** The multipart body a browser without JavaScript posts: the rendered fields with `key` in place of the rendered key. */
export function checkoutBody(form: CheckoutForm, key: string, flow: Flow): { body: Buffer; contentType: string } {
  const boundary = `----benchFormBoundary${randomBytes(8).toString('hex')}`;
  const fields: [string, string][] = [
    ...form.fields.map(([name, value]): [string, string] => [name, value.split(form.key).join(key)]),
    ['name', CUSTOMER.name],
    ['phone', CUSTOMER.phone],
    ['email', CUSTOMER.email],
    ['flow', flow],
  ];
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * What a successful "Pay" answers: 303 to the gateway's payment page at `gateway` (the bank's origin;
 * not 200: that is the form with an error).
 */
export function isPaymentRedirect(gateway: string, status: number, location: string | undefined): boolean {
  return status === 303 && location !== undefined && location.startsWith(`${gateway}/sandbox/payment/merchants/`);
}

/** "Pay": the form's post, as a browser without JavaScript sends it; `gateway` is the bank's origin. */
export async function placeOrder(base: string, form: CheckoutForm, flow: Flow, gateway: string): Promise<PlacedOrder> {
  const { body, contentType } = checkoutBody(form, newCheckoutKey(), flow);
  const response = await fetch(`${base}${form.action}`, {
    method: 'POST',
    headers: shopperHeaders(base, { 'content-type': contentType }),
    body: new Uint8Array(body),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const location = response.headers.get('location') ?? undefined;
  if (!isPaymentRedirect(gateway, response.status, location)) {
    throw new UnexpectedResponse(`POST ${form.action} answered ${response.status} → ${location ?? 'no Location'}`);
  }
  const orderId = response.headers
    .getSetCookie()
    .map((cookie) => /^checkout=([^;]+)/.exec(cookie)?.[1])
    .find(Boolean);
  const mdOrder = new URL(location!).searchParams.get('mdOrder');
  if (!orderId || !mdOrder) throw new UnexpectedResponse(`POST ${form.action}: no checkout cookie or mdOrder`);
  return { orderId, formUrl: location!, mdOrder };
}

/** Pays on the sandbox's payment page with the approving Mir test card; returns the returnUrl it redirects to. */
export async function payByCard(formUrl: string): Promise<string> {
  const response = await fetch(formUrl, {
    method: 'POST',
    headers: { 'user-agent': MOBILE_UA, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ cardnumber: '2200 0000 0000 0053', expdate: '12/34', cvc: '123', cardholder: 'IVAN PETROV' }),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (response.status !== 303 || !location || !location.includes('orderId=')) {
    throw new UnexpectedResponse(`card payment answered ${response.status} → ${location ?? 'no Location'}`);
  }
  return location;
}

/** The shopper comes back: GET the returnUrl, expect 303 to the order page. */
export async function comeBack(base: string, returnUrl: string): Promise<string> {
  // The bank's returnUrl is the order page, which settles the payment and shows it in one answer.
  const page = new URL(returnUrl);
  if (page.origin !== new URL(base).origin || !page.pathname.startsWith('/orders/'))
    throw new UnexpectedResponse(`the bank returned to ${returnUrl}, not an order page of ${base}`);
  const response = await fetch(returnUrl, { headers: { 'user-agent': MOBILE_UA }, redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status !== 200) throw new UnexpectedResponse(`the order page answered the return with ${response.status}`);
  return `${page.origin}${page.pathname}`;
}

/** The Mir Pay universal link the payment page offers to an Android browser. */
export async function mirPayLink(formUrl: string): Promise<string> {
  const response = await fetch(formUrl, { headers: { 'user-agent': MOBILE_UA } });
  const html = await response.text();
  if (response.status !== 200) throw new UnexpectedResponse(`payment page answered ${response.status}`);
  const anchor = /<a\b[^>]*data-testid="mirpay-button"[^>]*>/.exec(html)?.[0];
  const href = anchor && attribute(anchor, 'href');
  if (!href) throw new UnexpectedResponse('payment page: no Mir Pay button for an Android browser');
  return href;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name.replace(/[$]/g, '\\$')}="([^"]*)"`).exec(tag);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
