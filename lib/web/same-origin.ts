// Whether a form post or server action comes from one of the shop's own pages. A browser always
// sends Origin with a POST, so a missing one is not a shopper's (Next's own check of server
// actions lets a request without Origin through). The shop's public origin (APP_URL) is accepted,
// and the origin the request itself was addressed to (a reverse proxy's X-Forwarded-Host).
export function fromShopPage(request: Request, shopOrigin: string): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  return origin === shopOrigin || origin === `${new URL(request.url).protocol}//${host}`;
}
