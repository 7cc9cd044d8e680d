// Who may use the sandbox's test controls besides the merchant: whoever sends the deployment's
// control token (SANDBOX_CONTROL_TOKEN) as `Authorization: Bearer <token>`, for scripts and tests.
import { sameSecret } from './rest-params';

/** True when the request carries exactly `token` as its bearer token; always false without a token. */
export function bearerTokenMatches(request: Request, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match !== null && sameSecret(match[1]!, token);
}
