// The security headers and the checkout's rate limiter, as plain functions.
import { describe, expect, it } from 'vitest';
import { clientAddressOf } from '../../lib/web/client-address';
import { createRateLimiter } from '../../lib/web/rate-limit';
import { securityHeaders } from '../../lib/web/security-headers';

describe('securityHeaders', () => {
  const headers = (path: string, https = false) => securityHeaders({ gatewayOrigin: 'https://3dsec.sberbank.ru', https, path });

  it('locks down objects, base, framing and form targets', () => {
    const csp = headers('/')['Content-Security-Policy']!;
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self' https://3dsec.sberbank.ru"]) {
      expect(csp).toContain(directive);
    }
    expect(headers('/')).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'strict-origin-when-cross-origin' });
  });

  it('HSTS only over https', () => {
    expect(headers('/')['Strict-Transport-Security']).toBeUndefined();
    expect(headers('/', true)['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('no-store on checkout, return, order pages and the API; not on the catalogue', () => {
    for (const path of ['/checkout', '/checkout/return', '/orders/abc', '/api/orders/abc']) expect(headers(path)['Cache-Control']).toBe('no-store');
    for (const path of ['/', '/products/mug', '/cart']) expect(headers(path)['Cache-Control']).toBeUndefined();
  });

  it('the sandbox page may post back to any returnUrl, like the bank page', () => {
    expect(headers('/sandbox/payment/merchants/demo-shop/payment_ru.html')['Content-Security-Policy']).not.toContain('form-action');
  });
});

describe('createRateLimiter', () => {
  it('allows max hits per window, then says when to retry, per key', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ max: 3, windowMs: 60_000 }, () => now);
    expect([1, 2, 3].map(() => limiter.hit('a').allowed)).toEqual([true, true, true]);
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.hit('b').allowed).toBe(true);
    now += 30_000;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_001;
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('forgets idle keys', () => {
    let now = 0;
    const limiter = createRateLimiter({ max: 1, windowMs: 1000 }, () => now);
    for (let i = 0; i < 1000; i++) limiter.hit(`k${i}`);
    now = 5000;
    expect(limiter.hit('k1').allowed).toBe(true);
  });
});

describe('clientAddressOf', () => {
  it('takes the rightmost X-Forwarded-For entry, the one the nearest proxy added', () => {
    expect(clientAddressOf('6.6.6.6, 10.0.0.7')).toBe('10.0.0.7');
    expect(clientAddressOf('127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddressOf(null)).toBe('unknown');
    expect(clientAddressOf('')).toBe('unknown');
  });
});
