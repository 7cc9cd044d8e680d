// @ts-check

// The shopper's pages rendered per request, served in the `lang` cookie's language (Russian unless
// exactly "en"): /cart from /ru/cart or /en/cart, and so on (app/_server/shopper-routes.ts has the
// rules; tests/unit/shopper-routes.test.ts checks these against them). Here, not in proxy.ts, so that
// they hold where the proxy does not run: the bank's return to the order page.
const PER_REQUEST_PAGES = ['/cart', '/checkout', '/orders', '/orders/:id', '/orders/:id/mail'];

// The bank's return to the order page (/orders/<id>?orderId=…) skips proxy.ts (its matcher): its
// security headers are these, lib/web/security-headers.ts's for that path as known at build time,
// which the same test compares. The gateway is a run-time setting, so the CSP's form-action is the
// page's own <meta> (formActionPolicy there).
const RETURN = [{ type: /** @type {const} */ ('query'), key: 'orderId' }];
const RETURN_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cache-Control': 'no-store',
};
const HTTPS_HEADERS = { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' };
/** @param {Record<string, string>} headers */
const list = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // .next/standalone: the server with only the code and modules it runs (npm run start:standalone,
  // docs/deployment.md). `next start` still serves the same build from the repository.
  output: 'standalone',
  // better-sqlite3 is a native addon, and pino starts worker threads by module name (pino-pretty in
  // development): both are loaded from node_modules at run time, never bundled.
  serverExternalPackages: ['better-sqlite3', 'pino', 'pino-pretty', 'prom-client'],
  async rewrites() {
    return {
      beforeFiles: PER_REQUEST_PAGES.flatMap((source) => [
        { source, has: [{ type: 'cookie', key: 'lang', value: 'en' }], destination: `/en${source}` },
        { source, destination: `/ru${source}` },
      ]),
    };
  },
  async headers() {
    return [
      { source: '/orders/:id', has: RETURN, headers: list(RETURN_HEADERS) },
      {
        source: '/orders/:id',
        has: [...RETURN, { type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: list(HTTPS_HEADERS),
      },
    ];
  },
  experimental: {
    // An address with no page gets the shop's own 404 (app/global-not-found.tsx), not Next's
    // English default: with several root layouts no not-found.tsx covers them all.
    globalNotFound: true,
    // Next keeps a copy of every request body that passes proxy.ts, for the proxy and for what runs
    // after it, up to this size (default 10 MB, per request, twice over while the proxy reads its
    // copy). proxy.ts refuses anything over 64 KiB (lib/web/request-shape.ts); a body without a
    // Content-Length it reads while it streams, and Next hands it at most this much: above the
    // proxy's limit, so that one over it is seen to be over it and refused, never cut short.
    proxyClientMaxBodySize: '256kb',
    // The shop's action bodies are small forms, under 2 KiB (its largest form, the checkout's, posts
    // to a route: app/checkout/pay/route.ts, which bounds its body itself). Next's default is 1 MB,
    // and a body over it is answered 500 with a stack trace: proxy.ts answers 413 first.
    serverActions: { bodySizeLimit: '64kb' },
  },
};

module.exports = nextConfig;
