// Runs before every page and most routes (see the matcher): the prerendered pages' language (a
// rewrite to /ru/… or /en/…; next.config.js serves the per-request pages'), the 404 page for an
// address with no page (app/_server/shopper-routes.ts says which those are), the cart emptied once
// the order this browser placed is paid (app/_server/spent-cart.ts), security headers on every
// response, a same-origin check on every form post and server action, and the refusal of
// malformed requests Next would answer with a 500 (lib/web/request-shape.ts). The checkout's "Pay"
// (app/checkout/pay/route.ts) makes the same checks itself and counts its rate limits.
import { NextResponse, type NextRequest } from 'next/server';
import { LANG_COOKIE } from '@/app/_i18n/langs';
import { mendCartCount } from '@/app/_server/cart-cookie';
import { CHECKOUT_FORM_COOKIE, CHECKOUT_FORM_COOKIE_OPTIONS, CHECKOUT_FORM_HEADER } from '@/app/_server/checkout-cookie';
import { shopperRoute, type ShopperRoute } from '@/app/_server/shopper-routes';
import { forgetSpentCart, spentCartOf } from '@/app/_server/spent-cart';
import { isUnknownOrder } from '@/app/_server/unknown-order';
import { gatewayOrigin, getEnv } from '@/lib/env';
import { CART_COOKIE } from '@/lib/shop/cart';
import { CART_COUNT_COOKIE } from '@/lib/shop/cart-count';
import { PAID_NOTICE_COOKIE, paidNoticeValue, type PaidNotice } from '@/lib/shop/paid-notice';
import { withoutCookies } from '@/lib/web/cookie-string';
import { REQUEST_ID_HEADER, requestIdOf } from '@/lib/log/request-id';
import { checkBody, decodablePath, queryWithoutNul } from '@/lib/web/request-shape';
import { badAddress, foreignPost, refusedBody } from '@/lib/web/refusals';
import { fromShopPage } from '@/lib/web/same-origin';
import { securityHeaders } from '@/lib/web/security-headers';

const env = getEnv();
const formTarget = gatewayOrigin(env);
const shopOrigin = new URL(env.appUrl).origin;

// Posts that are not the shopper's browser: the sandbox's pages, which stand for the bank's own
// site. (The bank's callbacks, checksum-signed, do not pass through here at all.)
const CROSS_ORIGIN_POSTS = [/^\/sandbox\//];

export async function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  // The request id the page or action behind logs with (app/_server/request-id.ts), passed on as a
  // request header; the answer carries it too, for a shopper's or an operator's report.
  const requestId = requestIdOf(request.headers.get(REQUEST_ID_HEADER));
  const forwarded = new Headers(request.headers);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  forwarded.delete(CHECKOUT_FORM_HEADER);
  const response = refuse(request, path) ?? (await refuseBody(request)) ?? (await route(request, path, forwarded));
  response.headers.set(REQUEST_ID_HEADER, requestId);
  for (const [name, value] of Object.entries(securityHeaders({ gatewayOrigin: formTarget, https, path })))
    response.headers.set(name, value);
  return response;
}

/**
 * Prerendered shopper pages go to their language's variant (app/_server/shopper-routes.ts); the
 * per-request ones pass on as they are, and next.config.js's rewrites serve their variant.
 */
async function route(request: NextRequest, path: string, headers: Headers): Promise<NextResponse> {
  const target = await servedRoute(request, path);
  if (target.kind === 'other') return NextResponse.next({ request: { headers } });
  // Next passes a server action posted to a page without it on to one that has it, at that page's
  // route (/[lang]/checkout), marked x-action-forwarded; the post was checked here on its way in.
  if (target.kind === 'unknown' && request.method === 'POST' && request.headers.has(ACTION_FORWARDED))
    return NextResponse.next({ request: { headers } });
  // No page at this address: the shop's 404 page (app/global-not-found.tsx), which Next serves,
  // prerendered, at /_not-found.
  if (target.kind === 'internal' || target.kind === 'unknown') return NextResponse.rewrite(new URL(NOT_FOUND_PAGE, request.url));
  // Only on reads: a post runs an action that may write the cart cookies itself, in this response.
  const spent = request.method === 'GET' ? await spentCartOf(request.cookies) : undefined;
  // The form "Pay" sent back (its cookie's path is /checkout), read once: the checkout page gets it
  // as a header, since a cookie deleted here is gone from the page's cookies too.
  const keptForm = request.method === 'GET' ? request.cookies.get(CHECKOUT_FORM_COOKIE)?.value : undefined;
  if (keptForm) headers.set(CHECKOUT_FORM_HEADER, keptForm);
  // The page rendered for this request sees the cart already empty and the notice already set.
  const forwarded = { request: { headers: spent ? withSpentCart(headers, spent) : headers } };
  let response: NextResponse;
  if (target.kind === 'prerendered') {
    const url = request.nextUrl.clone();
    url.pathname = target.rewriteTo;
    response = NextResponse.rewrite(url, { ...forwarded, status: target.status });
    // One URL, two languages chosen by cookie: no shared cache may keep the first one it sees for
    // everybody. `Vary: Cookie` would say so, but Next's page runtime replaces the Vary header
    // after the proxy (with its own RSC list), so `private` does: browsers may keep the page and
    // revalidate it (ETag, 304), CDNs and proxies may not. Next keeps a Cache-Control the proxy
    // set; per-request pages keep Next's own (no-store).
    response.headers.set('Cache-Control', 'private, no-cache');
  } else {
    response = NextResponse.next(forwarded);
  }
  if (spent) forgetSpentCart(response.cookies, spent);
  else if (request.method === 'GET') mendCartCount(request.cookies, response.cookies);
  if (keptForm) response.cookies.delete({ name: CHECKOUT_FORM_COOKIE, path: CHECKOUT_FORM_COOKIE_OPTIONS.path });
  return response;
}

/**
 * The page shopperRoute names, except that an order page of no order is the prerendered "no such
 * order" page, answered 404 (app/_server/unknown-order.ts).
 */
async function servedRoute(request: NextRequest, path: string): Promise<ShopperRoute> {
  const target = shopperRoute(path, request.cookies.get(LANG_COOKIE)?.value);
  if (target.kind !== 'per-request' || !target.order || request.method !== 'GET') return target;
  return (await isUnknownOrder(target.order.id)) ? { kind: 'prerendered', rewriteTo: target.order.missingTo, status: 404 } : target;
}

/** The request's headers as the page should read them once the cart is spent. */
function withSpentCart(sent: Headers, notice: PaidNotice): Headers {
  const headers = new Headers(sent);
  const kept = withoutCookies(sent.get('cookie') ?? '', [CART_COOKIE, CART_COUNT_COOKIE, PAID_NOTICE_COOKIE]);
  headers.set('cookie', [kept, `${PAID_NOTICE_COOKIE}=${paidNoticeValue(notice)}`].filter(Boolean).join('; '));
  return headers;
}

function refuse(request: NextRequest, path: string): Response | undefined {
  if (!decodablePath(path) || !queryWithoutNul(request.nextUrl.search)) return badAddress();
  if (request.method !== 'POST' || CROSS_ORIGIN_POSTS.some((pattern) => pattern.test(path))) return undefined;
  return fromShopPage(request, shopOrigin) ? undefined : foreignPost();
}

/**
 * Bodies the shop's forms never send: too large (413), or a server-action body Next's decoder
 * would throw on (400). Next buffers a copy of every body for the proxy and holds the request until
 * the body has arrived (next.config.js bounds that copy); what is refused here never reaches a page
 * or an action.
 */
async function refuseBody(request: NextRequest): Promise<Response | undefined> {
  const verdict = await checkBody(request);
  return verdict.ok ? undefined : refusedBody(verdict.status);
}

const NOT_FOUND_PAGE = '/_not-found';
const ACTION_FORWARDED = 'x-action-forwarded';

export const config = {
  // Skipped: static assets (no cookies, no forms), the routes that set these headers themselves
  // (app/_server/route-headers.ts: the checkout's "Pay" and the return route, at their exact paths,
  // so that a longer one gets the shop's 404 here; the JSON API with the bank's callback; the
  // sandbox's REST methods), and the bank's return to the order page (/orders/<id>?orderId=…), whose
  // headers come from next.config.js and the page (docs/security.md). A proxy run costs about as
  // much CPU as an empty server action, and those are the paths a payment takes most often. An
  // order page without the bank's orderId (a look, a poll, a reload) still comes here.
  // The last entry sends those routes here too when their path holds a percent escape, which none
  // of their real URLs do, so that one that does not decode gets a 400 instead of Next's 500.
  matcher: [
    '/((?!_next/static|_next/image|favicon.ico|products/.*\\.svg|checkout/pay$|checkout/return$|api/|sandbox/payment/rest/|orders/[^/]+$).*)',
    { source: '/orders/:id', missing: [{ type: 'query', key: 'orderId' }] },
    '/(checkout/return|api|sandbox/payment/rest|orders)/:rest(.*%.*)',
  ],
};
