// @ts-check
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
  experimental: {
    // Next keeps a copy of every request body that passes proxy.ts, for the proxy and for what runs
    // after it, up to this size (default 10 MB, per request, twice over while the proxy reads its
    // copy). proxy.ts refuses anything over 64 KiB (lib/web/request-shape.ts); a body without a
    // Content-Length it reads while it streams, and Next hands it at most this much: above the
    // proxy's limit, so that one over it is seen to be over it and refused, never cut short.
    proxyClientMaxBodySize: '256kb',
    // The shop's largest action body, the checkout form, is under 2 KiB. Next's default is 1 MB,
    // and a body over it is answered 500 with a stack trace: proxy.ts answers 413 first.
    serverActions: { bodySizeLimit: '64kb' },
  },
};

module.exports = nextConfig;
