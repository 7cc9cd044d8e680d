// Which public paths are served from a language variant, by proxy.ts or next.config.js, and which
// are left alone; and that next.config.js's rewrites and headers say what the TypeScript rules say.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NO_SUCH_ORDER, OTHER_ROOTS, UNKNOWN_PRODUCT, shopperRoute } from '@/app/_server/shopper-routes';
import { products } from '@/lib/shop/catalogue';
import { securityHeaders } from '@/lib/web/security-headers';

describe('shopperRoute', () => {
  it('serves the catalogue and every product prerendered, in the cookie’s language (Russian unless exactly "en")', () => {
    expect(shopperRoute('/', undefined)).toEqual({ kind: 'prerendered', rewriteTo: '/ru' });
    expect(shopperRoute('/', 'en')).toEqual({ kind: 'prerendered', rewriteTo: '/en' });
    for (const cookie of ['fr', 'EN', '', 'en;x']) expect(shopperRoute('/', cookie)).toMatchObject({ rewriteTo: '/ru' });
    for (const { slug } of products) {
      expect(shopperRoute(`/products/${slug}`, 'en')).toEqual({ kind: 'prerendered', rewriteTo: `/en/products/${slug}` });
    }
  });

  it('sends every slug not in the catalogue to the one prerendered "no such product" page, answered 404', () => {
    for (const path of ['/products/unicorn', '/products/%E2%82', '/products/MUG', '/products/..%2Fcart']) {
      expect(shopperRoute(path, undefined)).toEqual({ kind: 'prerendered', rewriteTo: `/ru/products/${UNKNOWN_PRODUCT}`, status: 404 });
    }
    expect(products.some((product) => product.slug === UNKNOWN_PRODUCT)).toBe(false);
  });

  it('renders cart, checkout, my orders and order pages per request, in the cookie’s language', () => {
    expect(shopperRoute('/cart', 'en')).toEqual({ kind: 'per-request', rewriteTo: '/en/cart' });
    expect(shopperRoute('/checkout', undefined)).toEqual({ kind: 'per-request', rewriteTo: '/ru/checkout' });
    expect(shopperRoute('/orders', 'en')).toEqual({ kind: 'per-request', rewriteTo: '/en/orders' });
    expect(shopperRoute('/orders', undefined)).toEqual({ kind: 'per-request', rewriteTo: '/ru/orders' });
    expect(shopperRoute('/orders/AAAAAAAAAAAAAAAAAAAAAA', 'en')).toEqual({
      kind: 'per-request',
      rewriteTo: '/en/orders/AAAAAAAAAAAAAAAAAAAAAA',
      order: { id: 'AAAAAAAAAAAAAAAAAAAAAA', missingTo: `/en/${NO_SUCH_ORDER}` },
    });
  });

  it('names the order of an order page, and its "no such order" page in the cookie’s language', () => {
    expect(shopperRoute('/orders/AAAAAAAAAAAAAAAAAAAAAA/mail', undefined)).toEqual({
      kind: 'per-request',
      rewriteTo: '/ru/orders/AAAAAAAAAAAAAAAAAAAAAA/mail',
      order: { id: 'AAAAAAAAAAAAAAAAAAAAAA', missingTo: `/ru/${NO_SUCH_ORDER}` },
    });
    expect(shopperRoute('/orders/a%20b', 'en')).toMatchObject({ order: { id: 'a b' } });
    for (const path of ['/orders', '/cart', '/checkout']) expect(shopperRoute(path, 'en'), path).not.toHaveProperty('order');
  });

  it('refuses the internal language paths as public addresses', () => {
    for (const path of ['/ru', '/en', '/ru/', '/en/products/mug', '/ru/cart', `/en/products/${UNKNOWN_PRODUCT}`]) {
      expect(shopperRoute(path, 'en'), path).toEqual({ kind: 'internal' });
    }
  });

  it('leaves the app’s other roots alone: API, sandbox, console, "Pay" and the return route', () => {
    for (const path of [
      '/api/health',
      '/api/orders/x',
      '/api/nothing',
      '/sandbox/payment/rest/register.do',
      '/merchant',
      '/merchant/login',
      '/merchant/nothing',
      '/checkout/pay',
      '/checkout/return',
      '/icon.svg',
    ]) {
      expect(shopperRoute(path, 'en'), path).toEqual({ kind: 'other' });
    }
  });

  it('knows every other path has no page, whatever part of it names a shopper’s page', () => {
    for (const path of [
      '/products',
      '/products/mug/reviews',
      '/russia',
      '/english',
      '/nope',
      '/cart/extra',
      '/cart/cart',
      '/xyz/cart',
      '/xyz/products/mug',
      '/checkout/cart',
      '/checkout/returns',
      '/checkout/pay/more',
      '/checkout/return/more',
      '/checkout/payment',
      '/orders/x/y/z',
    ]) {
      expect(shopperRoute(path, 'en'), path).toEqual({ kind: 'unknown' });
    }
  });

  it('lists every first segment the app has besides the shopper’s pages', () => {
    const app = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'app');
    const roots = readdirSync(app, { withFileTypes: true })
      .filter((entry) => (entry.isDirectory() ? !/^[[_(]/.test(entry.name) : /^(icon|favicon)\./.test(entry.name)))
      .map((entry) => entry.name);
    // app/checkout holds two routes, "Pay" and the return; the page /checkout is under [lang].
    expect(readdirSync(path.join(app, 'checkout')).sort()).toEqual(['pay', 'return']);
    expect(roots.filter((root) => root !== 'checkout').sort()).toEqual(
      OTHER_ROOTS.filter((root) => root !== '_next' && root !== 'favicon.ico').sort(),
    );
  });
});

// next.config.js, as `next build` reads it.
type Has = { type: 'cookie' | 'query' | 'header'; key: string; value?: string };
type Rewrite = { source: string; destination: string; has?: Has[] };
type HeaderRule = { source: string; has?: Has[]; headers: { key: string; value: string }[] };
const nextConfig = createRequire(import.meta.url)('../../next.config.js') as {
  rewrites(): Promise<{ beforeFiles: Rewrite[] }>;
  headers(): Promise<HeaderRule[]>;
};

/** A request as next.config.js's rules see it. */
type Sent = { path: string; cookies?: Record<string, string>; query?: Record<string, string>; headers?: Record<string, string> };

/** Next's reading of a source (`:name` is one path segment) and of `has` (an anchored pattern). */
function matches(rule: { source: string; has?: Has[] }, sent: Sent): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = rule.source.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'));
  const found = new RegExp(`^${pattern}$`).exec(sent.path);
  if (!found) return undefined;
  for (const has of rule.has ?? []) {
    const value = { cookie: sent.cookies, query: sent.query, header: sent.headers }[has.type]?.[has.key];
    if (value === undefined || (has.value !== undefined && !new RegExp(`^${has.value}$`).test(value))) return undefined;
  }
  return Object.fromEntries(names.map((name, i) => [name, found[i + 1]!]));
}

async function configRewrite(path: string, lang: string | undefined): Promise<string | undefined> {
  for (const rule of (await nextConfig.rewrites()).beforeFiles) {
    const params = matches(rule, { path, cookies: lang === undefined ? {} : { lang } });
    if (params) return rule.destination.replace(/:(\w+)/g, (_, name: string) => params[name]!);
  }
  return undefined;
}

describe('next.config.js', () => {
  it('serves each per-request page in the variant shopperRoute names, and nothing else', async () => {
    const id = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const path of ['/cart', '/checkout', '/orders', `/orders/${id}`, `/orders/${id}/mail`]) {
      for (const lang of [undefined, 'en', 'ru', 'EN', 'fr', '']) {
        const route = shopperRoute(path, lang);
        expect(route.kind, path).toBe('per-request');
        expect(await configRewrite(path, lang), `${path} lang=${lang}`).toBe(route.kind === 'per-request' ? route.rewriteTo : 'never');
      }
    }
    for (const path of [
      '/',
      '/products/mug',
      `/products/${UNKNOWN_PRODUCT}`,
      '/checkout/return',
      '/ru/cart',
      '/en/orders/x',
      '/orders/a/b/c',
      '/merchant',
    ])
      expect(await configRewrite(path, 'en'), path).toBeUndefined();
  });

  it('gives the bank’s return to the order page the headers the proxy gives it, form-action left to the page', async () => {
    const rules = await nextConfig.headers();
    const headersOf = (sent: Sent) =>
      Object.fromEntries(rules.filter((rule) => matches(rule, sent)).flatMap((rule) => rule.headers.map(({ key, value }) => [key, value])));
    const path = '/orders/AAAAAAAAAAAAAAAAAAAAAA';
    const query = { orderId: '3ff3d4a6-7d4c-4a43-9a2d-5b6a0c2f6e01' };
    expect(headersOf({ path, query })).toEqual(securityHeaders({ gatewayOrigin: null, https: false, path }));
    expect(headersOf({ path, query, headers: { 'x-forwarded-proto': 'https' } })).toEqual(
      securityHeaders({ gatewayOrigin: null, https: true, path }),
    );
    expect(headersOf({ path, query })['Content-Security-Policy']).not.toContain('form-action');
    // Everything else gets its headers from proxy.ts or app/_server/route-headers.ts.
    for (const other of [{ path }, { path: '/checkout', query }, { path: `${path}/mail`, query }]) expect(headersOf(other)).toEqual({});
  });
});
