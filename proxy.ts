// Runs before every page and route: security headers on every response, a same-origin check on
// every form post and server action, and the checkout's rate limits (429 with a clear message).
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { CART_COOKIE } from '@/lib/shop/cart';
import { clientAddressOf } from '@/lib/web/client-address';
import { createRateLimiter } from '@/lib/web/rate-limit';
import { securityHeaders } from '@/lib/web/security-headers';

const env = getEnv();
const gatewayOrigin = new URL(env.gateway.baseUrl).origin;
const shopOrigin = new URL(env.appUrl).origin;
const perClient = createRateLimiter({ max: env.checkoutRateLimit.perClient, windowMs: 60_000 });
const perCart = createRateLimiter({ max: env.checkoutRateLimit.perCart, windowMs: 60_000 });

// Posts that are not the shopper's browser: the bank's callbacks (checksum-signed) and the
// sandbox, which stands for the bank's own site.
const CROSS_ORIGIN_POSTS = [/^\/api\/payments\/callback$/, /^\/sandbox\//];

export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  const refusal = refuse(request, path);
  const response = refusal ?? NextResponse.next();
  for (const [name, value] of Object.entries(securityHeaders({ gatewayOrigin, https, path }))) response.headers.set(name, value);
  return response;
}

function refuse(request: NextRequest, path: string): NextResponse | undefined {
  if (request.method !== 'POST' || CROSS_ORIGIN_POSTS.some((pattern) => pattern.test(path))) return undefined;
  // Next checks server actions' Origin too, but lets a request without one through; a browser
  // always sends Origin with a POST, so a missing or foreign one is refused here.
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const allowed = new Set([shopOrigin, `${request.nextUrl.protocol}//${host}`]);
  if (!origin || !allowed.has(origin)) return message(403, 'Запрос отклонён: он пришёл не со страницы магазина.', 'Request refused: it did not come from the shop.');
  if (path !== '/checkout') return undefined;
  const client = clientAddressOf(request.headers.get('x-forwarded-for'));
  const cart = request.cookies.get(CART_COOKIE)?.value.slice(0, 300) ?? '';
  for (const verdict of [perClient.hit(client), perCart.hit(`${client}|${cart}`)]) {
    if (!verdict.allowed) {
      const response = message(429, 'Слишком много попыток оплаты. Подождите минуту и попробуйте снова — корзина сохранена.', 'Too many payment attempts. Please wait a minute and try again; your cart is kept.');
      response.headers.set('Retry-After', String(verdict.retryAfterSeconds));
      return response;
    }
  }
  return undefined;
}

function message(status: number, ru: string, en: string): NextResponse {
  const html = `<!doctype html><html lang="ru"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status}</title><body style="font:16px/1.5 system-ui,sans-serif;max-width:480px;margin:0 auto;padding:16px"><h1 style="font-size:20px">${ru}</h1><p lang="en">${en}</p><p><a href="/cart">Корзина · Cart</a></p></body></html>`;
  return new NextResponse(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

export const config = {
  // Static assets carry no cookies or forms; skipping them keeps the proxy off the hot path.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|products/.*\\.svg).*)'],
};
