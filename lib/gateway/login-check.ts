// One harmless authenticated call that tells whether the gateway accepts our login: a status read
// of an order that cannot exist. The bank answers errorCode 6 ("order not found") to a login it
// accepts and 5 ("access denied") to one it refuses (docs/gateway-api.md §1.3, §3.4).
import type { GatewayClient } from './client';
import { GatewayAccessDeniedError, GatewayError, GatewayOrderNotFoundError } from './errors';

/** A well-formed order id no bank issues: a version-4 UUID whose random bits are all zero. */
export const MADE_UP_ORDER_ID = '00000000-0000-4000-8000-000000000000';

export type LoginVerdict =
  /** The bank answered 6 (or, improbably, found the order): the login works. */
  | 'accepted'
  /** errorCode 5: wrong login or password, a token that is not valid, or a password to change. */
  | 'refused'
  /** Another business error: the login is probably fine, the answer says more. */
  | 'unexpected'
  /** No answer, a timeout, an HTTP error or not the bank's JSON: nothing is known. */
  | 'unreachable';

export type LoginCheck = { verdict: LoginVerdict; line: string };

export async function checkLogin(client: GatewayClient, baseUrl: string): Promise<LoginCheck> {
  try {
    await client.getOrderStatusExtended({ orderId: MADE_UP_ORDER_ID });
    return { verdict: 'accepted', line: `Gateway login OK at ${baseUrl} (a status read succeeded)` };
  } catch (error) {
    if (error instanceof GatewayOrderNotFoundError) {
      return { verdict: 'accepted', line: `Gateway login OK at ${baseUrl} (errorCode 6 for a made-up order, as expected)` };
    }
    if (error instanceof GatewayAccessDeniedError) {
      return {
        verdict: 'refused',
        line: `Gateway login refused at ${baseUrl}: errorCode 5 "${error.message.replace(/^[^:]*:\s*/, '')}" — check GATEWAY_USERNAME/GATEWAY_PASSWORD or GATEWAY_TOKEN`,
      };
    }
    if (error instanceof GatewayError && error.errorCode !== undefined && !error.outcomeUnknown) {
      return {
        verdict: 'unexpected',
        line: `Gateway login unclear at ${baseUrl}: errorCode ${error.errorCode} for a made-up order (expected 6)`,
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { verdict: 'unreachable', line: `Gateway not reachable at ${baseUrl}: ${reason}` };
  }
}
