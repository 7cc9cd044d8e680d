// The security headers of every response (OWASP ASVS V3.4; docs/reliability.md §4), as plain data so
// they can be unit-tested; proxy.ts applies them, app/_server/route-headers.ts on the routes the
// proxy skips, and next.config.js on the bank's return to the order page (docs/security.md).
//
// script-src keeps 'unsafe-inline': Next's inline bootstrap scripts would otherwise need a nonce
// per response, which makes every page dynamic (no static catalogue). Nothing shopper-supplied is
// ever rendered as HTML, and object-src/base-uri/frame-ancestors/form-action are locked down.

export type HeaderContext = {
  /**
   * The configured gateway's origin: the checkout's form post redirects there. `null` for the
   * headers fixed at build time (next.config.js), when the gateway is not known yet: their CSP
   * leaves `form-action` to the page's own <meta> (formActionPolicy).
   */
  gatewayOrigin: string | null;
  https: boolean;
  path: string;
};

const NO_STORE_PATHS = [/^\/checkout(\/|$)/, /^\/orders\//, /^\/api\//, /^\/merchant(\/|$)/];

export function securityHeaders({ gatewayOrigin, https, path }: HeaderContext): Record<string, string> {
  // The sandbox's hosted page sends shoppers back to whatever returnUrl a merchant registered,
  // as the bank's page does; its forms cannot be limited to the shop and the gateway.
  const sandbox = path.startsWith('/sandbox/');
  const formAction = sandbox || gatewayOrigin === null ? '' : ` ${formActionPolicy(gatewayOrigin)};`;
  const headers: Record<string, string> = {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      `connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';${formAction}`.trimEnd(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  if (https) headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  if (path.startsWith('/merchant')) headers['X-Robots-Tag'] = 'noindex, nofollow';
  if (NO_STORE_PATHS.some((pattern) => pattern.test(path))) headers['Cache-Control'] = 'no-store';
  return headers;
}

/**
 * The CSP directive of the forms' targets. A page whose answer may come without it in its headers
 * (the order page, at the bank's return) states it in a <meta http-equiv>, which CSP allows for
 * `form-action`; a browser enforces every policy it is given, so a page with both has the same.
 */
export function formActionPolicy(gatewayOrigin: string): string {
  return `form-action 'self' ${gatewayOrigin}`;
}
