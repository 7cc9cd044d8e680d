// The security headers and how the client's address is read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, installPeerStamp, normalised, peerHeaderName } from '../../lib/web/client-address';
import { securityHeaders } from '../../lib/web/security-headers';

describe('securityHeaders', () => {
  const headers = (path: string, https = false) => securityHeaders({ gatewayOrigin: 'https://3dsec.sberbank.ru', https, path });

  it('locks down objects, base, framing and form targets', () => {
    const csp = headers('/')['Content-Security-Policy']!;
    for (const directive of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self' https://3dsec.sberbank.ru",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(headers('/')).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'strict-origin-when-cross-origin' });
  });

  it('HSTS only over https', () => {
    expect(headers('/')['Strict-Transport-Security']).toBeUndefined();
    expect(headers('/', true)['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('no-store on checkout, return, order pages and the API; not on the catalogue', () => {
    for (const path of ['/checkout', '/checkout/return', '/orders/abc', '/api/orders/abc'])
      expect(headers(path)['Cache-Control']).toBe('no-store');
    for (const path of ['/', '/products/mug', '/cart']) expect(headers(path)['Cache-Control']).toBeUndefined();
  });

  it('the sandbox page may post back to any returnUrl, like the bank page', () => {
    expect(headers('/sandbox/payment/merchants/demo-shop/payment_ru.html')['Content-Security-Policy']).not.toContain('form-action');
  });
});

describe('clientAddressOf', () => {
  installPeerStamp();
  const name = peerHeaderName()!;
  const headersOf = (peer: string | undefined, forwardedFor?: string) =>
    new Headers([...(peer ? [[name, peer]] : []), ...(forwardedFor ? [['x-forwarded-for', forwardedFor]] : [])] as [string, string][]);

  it('without trusted proxies: the socket address, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf(headersOf('10.0.0.7', '6.6.6.6'), 0)).toBe('10.0.0.7');
    expect(clientAddressOf(headersOf('::ffff:10.0.0.7'), 0)).toBe('10.0.0.7');
  });

  it('with N trusted proxies: the entry the outermost one added', () => {
    // client 6.6.6.6 → proxy 10.0.0.1 → proxy 10.0.0.2 → us; a client-sent 1.1.1.1 comes first.
    expect(clientAddressOf(headersOf('10.0.0.2', '1.1.1.1, 6.6.6.6, 10.0.0.1'), 2)).toBe('6.6.6.6');
    expect(clientAddressOf(headersOf('10.0.0.1', '1.1.1.1, 6.6.6.6'), 1)).toBe('6.6.6.6');
    // Fewer entries than proxies: the farthest one known.
    expect(clientAddressOf(headersOf('10.0.0.1'), 2)).toBe('10.0.0.1');
  });

  it('an unstamped request is "unknown", never the address its headers claim', () => {
    expect(clientAddressOf(new Headers({ 'x-forwarded-for': '6.6.6.6' }), 0)).toBe('unknown');
    expect(clientAddressOf(new Headers({ 'x-forwarded-for': '6.6.6.6' }), 1)).toBe('unknown');
  });

  it('IPv6 counts per /64', () => {
    expect(normalised('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(normalised('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(normalised('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(normalised('192.0.2.1')).toBe('192.0.2.1');
  });

  it('the stamp is the socket address of a real HTTP request, and a client cannot pre-set it', async () => {
    const server = createServer((request, response) => {
      const headers = new Headers(Object.entries(request.headers).map(([key, value]): [string, string] => [key, String(value)]));
      response.end(clientAddressOf(headers, 0));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const answer = await fetch(url, { headers: { 'x-forwarded-for': '6.6.6.6', [name]: '6.6.6.6' } });
      expect(await answer.text()).toBe('127.0.0.1');
    } finally {
      server.close();
    }
  });
});
