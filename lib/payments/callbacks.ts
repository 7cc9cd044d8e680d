// Callback notifications from the gateway (docs/gateway-api.md §8). A notification is only a trigger:
// it is checked (checksum in constant time), recorded, and then the usual sync reads the truth
// with getOrderStatusExtended (lib/payments/callback-sync.ts, coalesced per attempt). Its own fields
// (operation, status, amount) are never trusted.
import type { ShopContext } from './context';
import type { Db } from '../db/database';
import { verifyCallback, type CallbackSecret } from '../gateway/checksum';
import { metrics } from '../metrics/metrics';
import { recordGenuine, recordRefused, REFUSED_RETENTION, type RefusedRetention, type RefusedVerdict } from './callback-records';
import { alertRefusals, countRefusal, REFUSAL_LOG_INTERVAL_MS } from './callback-refusal-log';
import type { Attempt } from './orders';

export { syncAfterCallback } from './callback-sync';

export type CallbackVerdict = 'accepted' | 'unsigned' | 'forged' | 'malformed' | 'unknown-order' | 'disabled';
export type CallbackResult = { verdict: CallbackVerdict; httpStatus: number; attempt?: Attempt };

export type CallbackDeps = Pick<ShopContext, 'db' | 'clock' | 'log'> &
  Partial<Pick<ShopContext, 'alertWebhook'>> & {
    /** Tests shorten these; the server uses the defaults. */
    refusedRetention?: RefusedRetention;
    refusalLogIntervalMs?: number;
  };

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

/** No bank parameter holds a control character; a NUL would even make PostgreSQL refuse the lookup. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Query or form parameters as one record; undefined when they are too big, hold control characters or contradict themselves. */
export function parseCallbackParams(entries: Iterable<[string, string]>): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of entries) {
    if (++count > LIMITS.params || name.length > LIMITS.name || value.length > LIMITS.value) return undefined;
    if (CONTROL.test(name) || CONTROL.test(value)) return undefined;
    if (Object.hasOwn(params, name) && params[name] !== value) return undefined;
    params[name] = value;
  }
  return REQUIRED.every((name) => params[name]) ? params : undefined;
}

/**
 * Checks and records one notification, against the shared key (symmetric checksum) or the bank's
 * RSA public key (asymmetric). With `key` unset (a bank set-up without checksums) every
 * notification is refused: an unsigned one could be sent by anyone, and the reconciler syncs anyway.
 */
export async function receiveCallback(
  ctx: CallbackDeps,
  entries: Iterable<[string, string]>,
  key: CallbackSecret | undefined,
): Promise<CallbackResult> {
  const result = await judgeCallback(ctx, entries, key);
  metrics().callbacks.inc({ verdict: result.verdict });
  return result;
}

async function judgeCallback(
  ctx: CallbackDeps,
  entries: Iterable<[string, string]>,
  key: CallbackSecret | undefined,
): Promise<CallbackResult> {
  const all = [...entries];
  const at = ctx.clock();
  const params = parseCallbackParams(all);
  if (!params) return refuse(ctx, at, 'malformed', all, undefined);
  const refused = !key ? 'disabled' : !params.checksum ? 'unsigned' : !verifyCallback(params, key) ? 'forged' : undefined;
  // The order a well-formed refused notification names, to show it on that order's timeline.
  if (refused) return refuse(ctx, at, refused, all, await attemptByGatewayId(ctx.db, params.mdOrder!));
  const attempt = await attemptOf(ctx.db, params.mdOrder!, params.orderNumber!);
  const verdict = attempt ? 'accepted' : 'unknown-order';
  await recordGenuine(ctx.db, at, verdict, params, all, attempt);
  return { verdict, httpStatus: HTTP_STATUS[verdict], attempt };
}

async function refuse(
  ctx: CallbackDeps,
  at: number,
  verdict: RefusedVerdict,
  all: [string, string][],
  claimed: Attempt | undefined,
): Promise<CallbackResult> {
  await recordRefused(ctx.db, at, verdict, all, claimed, ctx.refusedRetention ?? REFUSED_RETENTION);
  countRefusal(ctx, verdict, ctx.refusalLogIntervalMs ?? REFUSAL_LOG_INTERVAL_MS);
  await alertRefusals(ctx, at, verdict);
  return { verdict, httpStatus: HTTP_STATUS[verdict] };
}

async function attemptByGatewayId(db: Db, mdOrder: string): Promise<Attempt | undefined> {
  return await db.selectFrom('payment_attempts').selectAll().where('gateway_order_id', '=', mdOrder).executeTakeFirst();
}

async function attemptOf(db: Db, mdOrder: string, orderNumber: string): Promise<Attempt | undefined> {
  // A register.do whose answer was lost has no gateway id yet: its orderNumber finds it.
  const found =
    (await attemptByGatewayId(db, mdOrder)) ??
    (await db.selectFrom('payment_attempts').selectAll().where('order_number', '=', orderNumber).executeTakeFirst());
  return found;
}
