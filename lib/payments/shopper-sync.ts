// The two ways a shopper's browser triggers the sync: coming back from the bank (returnUrl) and
// the order page's polling. Neither trusts anything but our order id and getOrderStatusExtended.
import { isGatewayError } from '../gateway/errors';
import type { ShopContext } from './context';
import {
  claimReturnSync,
  claimSync,
  findAttempt,
  findAttemptByGatewayId,
  findOrder,
  latestAttempt,
  type Attempt,
  type Order,
} from './orders';
import { captureMode, type CaptureMode } from './settings';
import { isFinal } from './states';
import { depositAfterRead, syncAttempt, syncInFlight } from './sync';
import type { Trigger } from './triggers';

/** However many tabs poll, one order is synced with the gateway at most this often. */
export const POLL_SYNC_INTERVAL_MS = 3000;

/** Our order ids (base64url) and the gateway's (UUIDs): letters, digits, "-" and "_". */
const PLAIN_ID = /^[\w-]{1,64}$/;

/** A return within this long after another return of the same attempt does not sync again. */
export const RETURN_SYNC_INTERVAL_MS = 1000;

export type ReturnOutcome =
  /**
   * `afterResponse`: the deposit of a hold the bank has just approved, for the route to run once
   * the shopper has their answer ("payment confirmed"); the order page moves to "paid" by itself.
   * `captureMode`: the setting as this return read it (for a two-stage hold), so that the page
   * showing the hold need not read it again.
   */
  | { kind: 'synced'; orderId: string; attempt: Attempt; afterResponse?: () => Promise<void>; captureMode?: CaptureMode }
  | { kind: 'not-found' }
  | { kind: 'bad-request'; problem: 'conflicting-order-ids' | 'foreign-order-id' };

/**
 * The shopper's return: the order page with the gateway's orderId appended (or the former
 * /checkout/return?order=<our id>&orderId=<gateway id>). Needs no cookie: Mir Pay may bring the
 * shopper back in another browser. The gateway appends orderId, and some set-ups append it twice
 * (a returnUrl that already carried it): equal copies are one, different ones are refused.
 */
export async function handleReturn(ctx: ShopContext, params: URLSearchParams): Promise<ReturnOutcome> {
  const gatewayIds = [
    ...new Set(
      params
        .getAll('orderId')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (gatewayIds.length > 1) return { kind: 'bad-request', problem: 'conflicting-order-ids' };
  // Ids are short and plain; anything else (a NUL PostgreSQL would refuse with an error) is no order of ours.
  const orderParam = params.get('order') ?? '';
  if (!PLAIN_ID.test(orderParam) || (gatewayIds[0] !== undefined && !PLAIN_ID.test(gatewayIds[0]))) return { kind: 'not-found' };
  const order = await findOrder(ctx.db, orderParam);
  if (!order) return { kind: 'not-found' };
  const attempt = gatewayIds[0] ? await findAttemptByGatewayId(ctx.db, order.id, gatewayIds[0]) : await latestAttempt(ctx.db, order.id);
  if (!attempt) return gatewayIds[0] ? { kind: 'bad-request', problem: 'foreign-order-id' } : { kind: 'not-found' };
  // Reloads and duplicate redirects arriving together: the first one syncs, the others wait for
  // that sync and answer with what it found. A return always reads the bank itself otherwise, even
  // just after a poll: that poll may have read the status a moment before the shopper paid.
  const now = ctx.clock();
  if (!isFinal(attempt.state) && !(await claimReturnSync(ctx.db, attempt.id, now, RETURN_SYNC_INTERVAL_MS))) {
    return { kind: 'synced', orderId: order.id, attempt: await afterOtherSync(ctx, attempt) };
  }
  const synced = await syncQuietly(ctx, attempt, 'return', order);
  const mode = order.flow === 'two-stage' && synced.state === 'approved' ? await captureMode(ctx.db) : undefined;
  const afterResponse = mode === 'on-return' ? async () => void (await depositQuietly(ctx, order, synced)) : undefined;
  return { kind: 'synced', orderId: order.id, attempt: synced, afterResponse, captureMode: mode };
}

/** How long a return waits at most for the sync an earlier return started. */
export const OTHER_SYNC_WAIT_MS = 2000;

/** How long after a claim its sync may take to start in this process. */
const CLAIM_TO_SYNC_MS = 150;

/**
 * The attempt as the earlier return's sync leaves it, not as read before it: the return then
 * tells the truth (and clears the cart when the money is secured) although it did not sync
 * itself. A sync running in this process is awaited (at most OTHER_SYNC_WAIT_MS); one running in
 * another instance cannot be, and the row is read as it is (the order page then polls on, and the
 * cart follows the money wherever it is secured: app/_server/spent-cart.ts).
 */
async function afterOtherSync(ctx: ShopContext, seen: Attempt): Promise<Attempt> {
  // The claim that beat ours may have landed a moment before its sync started (another database
  // connection answered first): give it that moment to show up.
  let running = syncInFlight(ctx.db, seen.id);
  for (let waited = 0; !running && waited < CLAIM_TO_SYNC_MS; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    running = syncInFlight(ctx.db, seen.id);
  }
  if (running) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, OTHER_SYNC_WAIT_MS)));
    await Promise.race([running.catch(() => undefined), timeout]);
    clearTimeout(timer);
  }
  return (await findAttempt(ctx.db, seen.id)) ?? seen;
}

/** Polling: syncs the order's open attempt at most once per `minIntervalMs`, however many tabs poll. */
export async function syncIfStale(ctx: ShopContext, orderId: string, minIntervalMs: number): Promise<void> {
  const attempt = await latestAttempt(ctx.db, orderId);
  if (!attempt || attempt.gateway_order_id === null || isFinal(attempt.state)) return;
  const now = ctx.clock();
  if (await claimSync(ctx.db, attempt.id, now, minIntervalMs)) await syncQuietly(ctx, attempt, 'poll');
}

/** A gateway that is down or answers garbage leaves the attempt as it was; the next trigger retries. */
function syncQuietly(ctx: ShopContext, attempt: Attempt, trigger: Trigger, order?: Order): Promise<Attempt> {
  return quietly(ctx, attempt, syncAttempt(ctx, attempt.id, trigger, { attempt, order }));
}

/** The return's deposit, after the response: from the status the return has just read. */
function depositQuietly(ctx: ShopContext, order: Order, read: Attempt): Promise<Attempt> {
  return quietly(ctx, read, depositAfterRead(ctx, 'after-return', order, read));
}

async function quietly(ctx: ShopContext, attempt: Attempt, sync: Promise<Attempt>): Promise<Attempt> {
  try {
    return await sync;
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    ctx.log('payment.sync_failed', { orderId: attempt.order_id, error: error.message }, 'warn');
    return attempt;
  }
}
