// Callback notifications from the gateway (gateway-api.md §8). A notification is only a trigger:
// it is checked (checksum in constant time), recorded, and then the usual sync reads the truth
// with getOrderStatusExtended. Its own fields (operation, status, amount) are never trusted.
import type { Db } from '../db/database';
import { verifyCallback } from '../gateway/checksum';
import { withCause } from './cause';
import { isGatewayError } from '../gateway/errors';
import type { Attempt } from './orders';
import { syncAttempt, type SyncDeps } from './payment-sync';

export type CallbackVerdict = 'accepted' | 'unsigned' | 'forged' | 'malformed' | 'unknown-order' | 'disabled';
export type CallbackResult = { verdict: CallbackVerdict; httpStatus: number; attempt?: Attempt };

const LIMITS = { params: 40, name: 64, value: 512 };
const REQUIRED = ['mdOrder', 'orderNumber', 'operation', 'status'] as const;
const HTTP_STATUS: Record<CallbackVerdict, number> = {
  accepted: 200,
  // Signed and genuine, but not ours (another shop on the same merchant account): acknowledged,
  // so that the bank stops retrying.
  'unknown-order': 200,
  malformed: 400,
  unsigned: 401,
  forged: 403,
  disabled: 404,
};

/** Query or form parameters as one record; undefined when they are too big or contradict themselves. */
export function parseCallbackParams(entries: Iterable<[string, string]>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of entries) {
    if (++count > LIMITS.params || name.length > LIMITS.name || value.length > LIMITS.value) return undefined;
    if (Object.hasOwn(params, name) && params[name] !== value) return undefined;
    params[name] = value;
  }
  return REQUIRED.every((name) => params[name]) ? params : undefined;
}

/**
 * Checks and records one notification. With `key` unset (a bank set-up without checksums) every
 * notification is refused: an unsigned one could be sent by anyone, and the reconciler syncs anyway.
 */
export async function receiveCallback(
  deps: { db: Db; now?: () => number },
  entries: Iterable<[string, string]>,
  key: string | undefined,
): Promise<CallbackResult> {
  const all = [...entries];
  const params = parseCallbackParams(all);
  let verdict: CallbackVerdict;
  let attempt: Attempt | undefined;
  if (!params) verdict = 'malformed';
  else if (!key) verdict = 'disabled';
  else if (!params.checksum) verdict = 'unsigned';
  else if (!verifyCallback(params, key)) verdict = 'forged';
  else {
    attempt = await attemptOf(deps.db, params.mdOrder!, params.orderNumber!);
    verdict = attempt ? 'accepted' : 'unknown-order';
  }
  await record(deps, verdict, params, all, attempt);
  return { verdict, httpStatus: HTTP_STATUS[verdict], attempt };
}

/** What an accepted notification triggers: the usual sync, which also re-reads a paid order
 * (the notification may announce its refund). Runs after the bank got its answer. */
export async function syncAfterCallback(deps: SyncDeps, attempt: Attempt): Promise<void> {
  try {
    await withCause('callback', () => syncAttempt(deps, attempt.id, { rereadPaid: true }));
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    (deps.log ?? console.info)(JSON.stringify({ event: 'payment.sync_failed', trigger: 'callback', orderId: attempt.order_id, error: error.message }));
  }
}

async function attemptOf(db: Db, mdOrder: string, orderNumber: string): Promise<Attempt | undefined> {
  const byGatewayId = await db.selectFrom('payment_attempts').selectAll().where('gateway_order_id', '=', mdOrder).executeTakeFirst();
  // A register.do whose answer was lost has no gateway id yet: its orderNumber finds it.
  const found = byGatewayId ?? (await db.selectFrom('payment_attempts').selectAll().where('order_number', '=', orderNumber).executeTakeFirst());
  return found as Attempt | undefined;
}

async function record(
  deps: { db: Db; now?: () => number },
  verdict: CallbackVerdict,
  params: Record<string, string> | undefined,
  all: [string, string][],
  attempt: Attempt | undefined,
) {
  // The checksum is never stored; of a malformed notification only the parameter names are kept.
  const kept = params
    ? Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'checksum'))
    : { names: all.slice(0, LIMITS.params).map(([name]) => name.slice(0, LIMITS.name)) };
  await deps.db
    .insertInto('payment_callbacks')
    .values({
      received_at: (deps.now ?? Date.now)(),
      md_order: params?.mdOrder ?? null,
      order_number: params?.orderNumber ?? null,
      operation: params?.operation ?? null,
      status: params?.status ?? null,
      verdict,
      order_id: attempt?.order_id ?? null,
      attempt_id: attempt?.id ?? null,
      params_json: JSON.stringify(kept),
    })
    .execute();
}
