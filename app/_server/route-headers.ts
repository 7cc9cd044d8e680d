// The security headers proxy.ts puts on every response, for the routes its matcher skips: the
// return route, the JSON API, the bank's callback and the sandbox's REST methods. Those are the
// paths a payment takes most often, and none of them needs what else the proxy does (the pages'
// language, the same-origin check on form posts, the checkout's rate limits); a proxy run costs
// about as much CPU as an empty server action (README "Performance"). Each also gets its request id
// here (lib/log/request-id.ts), as the proxy gives the pages and actions theirs.
import 'server-only';
import { gatewayOrigin } from '@/lib/env';
import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from '@/lib/log/request-id';
import { securityHeaders } from '@/lib/web/security-headers';

const formTarget = gatewayOrigin();

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

/**
 * Wraps a route handler so that each of its answers carries the headers the proxy would set, and
 * everything it logs the request's id.
 */
export function withSecurityHeaders<C>(handler: Handler<C>): (request: Request, context: C) => Promise<Response> {
  return async (request, context) => {
    const requestId = requestIdOf(request.headers.get(REQUEST_ID_HEADER));
    const response = await withRequestId(requestId, () => handler(request, context));
    response.headers.set(REQUEST_ID_HEADER, requestId);
    const url = new URL(request.url);
    const https = url.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
    for (const [name, value] of Object.entries(securityHeaders({ gatewayOrigin: formTarget, https, path: url.pathname })))
      response.headers.set(name, value);
    return response;
  };
}
