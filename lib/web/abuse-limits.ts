// The shop's abuse limits: "Pay" submissions per client and per cart, "find my orders" per client
// and per address, and the console's log-in throttle. Counted with rate-limiter-flexible (a
// maintained, atomic limiter with memory and PostgreSQL stores): in memory for one SQLite
// instance, in the shared PostgreSQL database when DATABASE_URL is postgres://, so N instances do
// not give a client N times the budget. Should the database not answer, each instance falls back
// to a memory limiter of the same size (the library's "insurance" limiter) rather than letting
// everything through or refusing everyone.
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { metrics } from '../metrics/metrics';

/** Where the counters live; the PostgreSQL table is made by the migrations (lib/db/shop-migrations.ts). */
export type LimitStore = { kind: 'memory' } | { kind: 'postgres'; pool: pg.Pool };

export const RATE_LIMIT_TABLE = 'rate_limits';

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type LoginLimits = { perClient: number; clientWindowSeconds: number; failuresPerMinute: number; maxDelayMs: number };

/** The log-in throttle's numbers (README "The merchant console"). */
export const LOGIN_LIMITS: Readonly<LoginLimits> = {
  /** Log-in attempts per client in `clientWindowSeconds`; a success starts the count afresh. */
  perClient: 10,
  clientWindowSeconds: 15 * 60,
  /** Failed log-ins per minute from everyone together: the ceiling for many addresses at once. */
  failuresPerMinute: 30,
  /** The n-th attempt in a row waits 0.5 s · 2^(n-2), at most 8 s; the first does not wait. */
  maxDelayMs: 8000,
};

function limiter(store: LimitStore, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (store.kind === 'memory') return memory;
  return new RateLimiterPostgres({
    storeClient: store.pool,
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    clearExpiredByTimeout: true,
    keyPrefix,
    points,
    duration,
    insuranceLimiter: memory,
  });
}

/** consume() resolves when allowed and rejects with a RateLimiterRes when over the limit. */
async function consume(
  target: RateLimiterAbstract,
  key: string,
): Promise<{ allowed: true; consumed: number } | { allowed: false; retryAfterSeconds: number }> {
  try {
    const result = await target.consume(key);
    return { allowed: true, consumed: result.consumedPoints };
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    metrics().rateLimitRefusals.inc({ limiter: target.keyPrefix });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
  }
}

/** "Pay" submissions per minute: per client, and per client and cart (a bot retrying one cart). */
export function createCheckoutLimits(store: LimitStore, limits: { perClient: number; perCart: number }) {
  const perClient = limiter(store, 'checkout-client', limits.perClient, 60);
  const perCart = limiter(store, 'checkout-cart', limits.perCart, 60);
  return {
    /** Counts one submission; refused when either budget is spent. */
    async hit(client: string, cart: string): Promise<Verdict> {
      for (const [target, key] of [
        [perClient, client],
        [perCart, `${client}|${cart}`],
      ] as const) {
        const verdict = await consume(target, key);
        if (!verdict.allowed) return verdict;
      }
      return { allowed: true };
    },
  };
}

export type FindOrdersLimits = { perClient: number; clientWindowSeconds: number; perAddress: number; addressWindowSeconds: number };

/** "Find my orders": enough for a shopper's typos, too few to probe addresses or flood a mailbox. */
export const FIND_ORDERS_LIMITS: Readonly<FindOrdersLimits> = {
  perClient: 10,
  clientWindowSeconds: 15 * 60,
  perAddress: 3,
  addressWindowSeconds: 60 * 60,
};

/** "Find my orders" requests: per client, and per e-mail address from any client. */
export function createFindOrdersLimits(store: LimitStore, limits: Readonly<FindOrdersLimits> = FIND_ORDERS_LIMITS) {
  const perClient = limiter(store, 'find-orders-client', limits.perClient, limits.clientWindowSeconds);
  const perAddress = limiter(store, 'find-orders-address', limits.perAddress, limits.addressWindowSeconds);
  return {
    /** Counts one request; `address` is a digest of the e-mail (no address is kept in the store). */
    async hit(client: string, address: string): Promise<Verdict> {
      const own = await consume(perClient, client);
      if (!own.allowed) return own;
      const mailbox = await consume(perAddress, address);
      return mailbox.allowed ? { allowed: true } : mailbox;
    },
  };
}

export type LoginGate =
  | { allowed: true; delayMs: number; finish(succeeded: boolean): Promise<void> }
  | { allowed: false; retryAfterSeconds: number; scope: 'client' | 'everyone' };

/**
 * Every attempt is counted *before* the password is checked, atomically in the store, so parallel
 * guesses from one client each get their own place in the sequence (and its own, longer wait)
 * instead of all being answered within one delay step. Above the per-client budget, or once the
 * failures of everyone together reach the ceiling, the password is not even checked. Counters
 * expire with their window, so a flood of addresses cannot fill a table and reset anyone.
 */
export function createLoginThrottle(store: LimitStore, limits: Readonly<LoginLimits> = LOGIN_LIMITS) {
  const everyone = limiter(store, 'login-failures', limits.failuresPerMinute, 60);
  const perClient = limiter(store, 'login-client', limits.perClient, limits.clientWindowSeconds);
  return {
    async begin(client: string): Promise<LoginGate> {
      // Counted as a failure until it succeeds: a success gives the point back.
      const global = await consume(everyone, 'all');
      if (!global.allowed) return { ...global, scope: 'everyone' };
      const own = await consume(perClient, client);
      if (!own.allowed) {
        await everyone.reward('all', 1);
        return { ...own, scope: 'client' };
      }
      return {
        allowed: true,
        delayMs: own.consumed <= 1 ? 0 : Math.min(limits.maxDelayMs, 500 * 2 ** (own.consumed - 2)),
        async finish(succeeded) {
          if (!succeeded) return;
          await everyone.reward('all', 1);
          await perClient.delete(client);
        },
      };
    },
  };
}

export type CheckoutLimits = ReturnType<typeof createCheckoutLimits>;
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
export type FindOrdersThrottle = ReturnType<typeof createFindOrdersLimits>;
