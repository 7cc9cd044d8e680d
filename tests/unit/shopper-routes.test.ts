// Which public paths the proxy rewrites to a language variant, and which it leaves alone.
import { describe, expect, it } from 'vitest';
import { UNKNOWN_PRODUCT, shopperRoute } from '@/app/_server/shopper-routes';
import { products } from '@/lib/shop/catalogue';

describe('shopperRoute', () => {
  it('serves the catalogue and every product prerendered, in the cookie’s language (Russian unless exactly "en")', () => {
    expect(shopperRoute('/', undefined)).toEqual({ kind: 'page', rewriteTo: '/ru', prerendered: true });
    expect(shopperRoute('/', 'en')).toEqual({ kind: 'page', rewriteTo: '/en', prerendered: true });
    for (const cookie of ['fr', 'EN', '', 'en;x']) expect(shopperRoute('/', cookie)).toMatchObject({ rewriteTo: '/ru' });
    for (const { slug } of products) {
      expect(shopperRoute(`/products/${slug}`, 'en')).toEqual({ kind: 'page', rewriteTo: `/en/products/${slug}`, prerendered: true });
    }
  });

  it('sends every slug not in the catalogue to the one prerendered "no such product" page', () => {
    for (const path of ['/products/unicorn', '/products/%E2%82', '/products/MUG', '/products/..%2Fcart']) {
      expect(shopperRoute(path, undefined)).toEqual({ kind: 'page', rewriteTo: `/ru/products/${UNKNOWN_PRODUCT}`, prerendered: true });
    }
    expect(products.some((product) => product.slug === UNKNOWN_PRODUCT)).toBe(false);
  });

  it('renders cart, checkout, my orders and order pages per request, in the cookie’s language', () => {
    expect(shopperRoute('/cart', 'en')).toEqual({ kind: 'page', rewriteTo: '/en/cart', prerendered: false });
    expect(shopperRoute('/checkout', undefined)).toEqual({ kind: 'page', rewriteTo: '/ru/checkout', prerendered: false });
    expect(shopperRoute('/orders', 'en')).toEqual({ kind: 'page', rewriteTo: '/en/orders', prerendered: false });
    expect(shopperRoute('/orders', undefined)).toEqual({ kind: 'page', rewriteTo: '/ru/orders', prerendered: false });
    expect(shopperRoute('/orders/AAAAAAAAAAAAAAAAAAAAAA', 'en')).toEqual({
      kind: 'page',
      rewriteTo: '/en/orders/AAAAAAAAAAAAAAAAAAAAAA',
      prerendered: false,
    });
  });

  it('refuses the internal language paths as public addresses', () => {
    for (const path of ['/ru', '/en', '/ru/', '/en/products/mug', '/ru/cart', `/en/products/${UNKNOWN_PRODUCT}`]) {
      expect(shopperRoute(path, 'en'), path).toEqual({ kind: 'internal' });
    }
  });

  it('leaves everything else alone: API, sandbox, console, return route, unknown paths', () => {
    for (const path of [
      '/api/health',
      '/api/orders/x',
      '/sandbox/payment/rest/register.do',
      '/merchant',
      '/merchant/login',
      '/checkout/return',
      '/products',
      '/products/mug/reviews',
      '/russia',
      '/english',
      '/nope',
    ]) {
      expect(shopperRoute(path, 'en'), path).toEqual({ kind: 'other' });
    }
  });
});
