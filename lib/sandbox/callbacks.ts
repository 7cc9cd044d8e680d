// Callback notifications, as the bank sends them (docs/gateway-api.md §8, §11). Each order transition
// adds one signed notification to a durable outbox (sandbox_callbacks), so a restart loses none;
// a dispatcher delivers it by GET (or POST form) and retries anything but HTTP 200 `attempts`
// times, `intervalMs` apart. The REST answer never waits for delivery: enqueueing is one insert.
// Outbox times are real time, not the sandbox clock: delivery is real network I/O.
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { SandboxCallbacksTable, SandboxDb } from './schema';
import { signCallback, signCallbackRsa } from '../gateway/checksum';
import type { CallbackOperation, SandboxOrder } from './store';

export type CallbackOptions = {
  /** Where notifications go unless the order was registered with a dynamicCallbackUrl. */
  url: string;
  /** Shared key of the symmetric checksum. */
  key: string;
  /**
   * Set: the asymmetric checksum instead, signed with this private key (PEM), SHA512withRSA, as
   * banks offer it (docs/gateway-api.md §8); `key` is then unused.
   */
  rsaPrivateKey?: string;
  /** Deliveries tried per notification before giving up; 0 sends none. */
  attempts: number;
  intervalMs: number;
  method?: 'GET' | 'POST';
};

/** Test controls; they apply to notifications enqueued after the change. */
const settingsSchema = z.strictObject({
  /** false: the bank "never calls back". */
  enabled: z.boolean(),
  delayMs: z.number().int().min(0).max(86_400_000),
  /** Extra copies of each notification. */
  duplicate: z.number().int().min(0).max(10),
  /** Keep new notifications queued until released. */
  hold: z.boolean(),
});
export type CallbackSettings = z.infer<typeof settingsSchema>;
export const callbackSettingsPatch = settingsSchema.partial();
export const callbackRelease = z.strictObject({ order: z.enum(['fifo', 'reverse', 'shuffle']).default('fifo') });

const DEFAULT_SETTINGS: CallbackSettings = { enabled: true, delayMs: 0, duplicate: 0, hold: false };
const SETTINGS_KEY = 'callbacks';
const TIMEOUT_MS = 5000;
/** A claimed entry's next_at moves past the timeout, so another worker's dispatcher skips it meanwhile. */
const LEASE_MS = TIMEOUT_MS + 5000;
/**
 * The dispatcher wakes when something is queued here, and when the next queued notification is
 * due (a delay, a retry); besides, at most this long apart, for what it cannot be told of: another
 * instance's notification on a shared database, or a lease left by a stopped one.
 */
const IDLE_WAKE_MS = 5000;
/** Never sooner after a run than this: a notification due at once that cannot be claimed does not spin. */
const MIN_WAKE_MS = 20;

type Entry = Selectable<SandboxCallbacksTable>;

export function createCallbacks(db: SandboxDb, options: CallbackOptions | undefined) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = false;
  let abort = new AbortController();
  // Runs are chained so two never deliver at once; `queued` counts the running one and one waiting.
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;

  async function settings(): Promise<CallbackSettings> {
    const row = await db.selectFrom('sandbox_settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return { ...DEFAULT_SETTINGS, ...(row ? (JSON.parse(row.value) as Partial<CallbackSettings>) : {}) };
  }

  async function updateSettings(patch: Partial<CallbackSettings>): Promise<CallbackSettings> {
    const next = { ...(await settings()), ...patch };
    const value = JSON.stringify(next);
    await db
      .insertInto('sandbox_settings')
      .values({ key: SETTINGS_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    return next;
  }

  /** Called by the store after a transition; `amount` is sent (and signed) for deposits and refunds. */
  async function enqueue(order: SandboxOrder, operation: CallbackOperation, amount?: number): Promise<void> {
    if (!options || options.attempts < 1) return;
    const current = await settings();
    if (!current.enabled) return;
    const params: Record<string, string> = { mdOrder: order.id, orderNumber: order.order_number, operation, status: '1' };
    if (amount !== undefined) params.amount = String(amount);
    if (options.rsaPrivateKey) {
      params.checksum = signCallbackRsa(params, options.rsaPrivateKey);
      // Names the key the bank signed with; not part of the signed string (docs/gateway-api.md §8).
      params.sign_alias = 'sandbox';
    } else {
      params.checksum = signCallback(params, options.key);
    }
    const now = Date.now();
    const entry = {
      order_id: order.id,
      operation,
      // dynamicCallbackUrl overrides the merchant's static URL for payment events (docs/gateway-api.md §8).
      url: order.dynamic_callback_url ?? options.url,
      method: options.method ?? 'GET',
      params_json: JSON.stringify(params),
      attempts: 0,
      next_at: now + current.delayMs,
      held: current.hold ? 1 : 0,
      delivered_at: null,
      failed_at: null,
      last_status: null,
      last_error: null,
      created_at: now,
    };
    await db
      .insertInto('sandbox_callbacks')
      .values(Array.from({ length: 1 + current.duplicate }, () => entry))
      .execute();
    // Due now: sent at once (still after the REST answer is built); due later: the run sets its wake-up.
    if (started && entry.held === 0) setImmediate(() => void run());
  }

  /** Releases held notifications, due at once, delivered in the given order. */
  async function release(order: 'fifo' | 'reverse' | 'shuffle'): Promise<number> {
    const held = await db.selectFrom('sandbox_callbacks').select('id').where('held', '=', 1).orderBy('id').execute();
    const ids = held.map((row) => row.id);
    if (order === 'reverse') ids.reverse();
    if (order === 'shuffle') shuffle(ids);
    // Deliveries go by next_at: consecutive past instants fix the order and make all of them due.
    const base = Date.now() - ids.length;
    for (const [rank, id] of ids.entries()) {
      await db
        .updateTable('sandbox_callbacks')
        .set({ held: 0, next_at: base + rank })
        .where('id', '=', id)
        .execute();
    }
    if (started && ids.length > 0) setImmediate(() => void run());
    return ids.length;
  }

  async function list(orderId: string | undefined) {
    let query = db.selectFrom('sandbox_callbacks').selectAll().orderBy('id');
    if (orderId) query = query.where('order_id', '=', orderId);
    return (await query.execute()).map((e) => ({
      id: e.id,
      orderId: e.order_id,
      operation: e.operation,
      url: e.url,
      method: e.method,
      params: JSON.parse(e.params_json) as Record<string, string>,
      state: e.delivered_at !== null ? 'delivered' : e.failed_at !== null ? 'failed' : e.held ? 'held' : 'pending',
      attempts: e.attempts,
      lastStatus: e.last_status,
      lastError: e.last_error,
      nextAt: e.next_at,
      deliveredAt: e.delivered_at,
      failedAt: e.failed_at,
      createdAt: e.created_at,
    }));
  }

  function run(): Promise<void> {
    // A run already waiting will see everything due now: no need to queue another.
    if (queued > 1) return chain;
    queued++;
    chain = chain
      .then(deliverDue)
      // The next wake-up only matters to a started dispatcher (not to a test's flush, or after stop).
      .then(() => (started ? nextDueAt() : undefined))
      .catch((error: unknown) => {
        console.error('sandbox callbacks: dispatcher run failed', error);
        return undefined;
      })
      .then(wakeAt)
      .finally(() => void queued--);
    return chain;
  }

  /** Notifications still to deliver, now or later: not held, neither delivered nor given up. */
  function waiting() {
    return db.selectFrom('sandbox_callbacks').where('held', '=', 0).where('delivered_at', 'is', null).where('failed_at', 'is', null);
  }

  /** When the earliest queued notification is due, if any is. */
  async function nextDueAt(): Promise<number | undefined> {
    const row = await waiting()
      .select((eb) => eb.fn.min('next_at').as('at'))
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  function wakeAt(dueAt: number | undefined): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    const now = Date.now();
    const at = Math.min(dueAt ?? Infinity, now + IDLE_WAKE_MS);
    timer = setTimeout(() => void run(), Math.max(MIN_WAKE_MS, at - now));
    timer.unref();
  }

  async function deliverDue(): Promise<void> {
    if (!options) return;
    const due = await waiting().selectAll().where('next_at', '<=', Date.now()).orderBy('next_at').orderBy('id').limit(100).execute();
    for (const entry of due) {
      if (abort.signal.aborted) return;
      await deliver(entry, options);
    }
  }

  async function deliver(entry: Entry, config: CallbackOptions): Promise<void> {
    const claim = await db
      .updateTable('sandbox_callbacks')
      .set({ next_at: Date.now() + LEASE_MS })
      .where('id', '=', entry.id)
      .where('next_at', '=', entry.next_at)
      .where('held', '=', 0)
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    const result = await send(entry);
    // Stopped mid-flight: record nothing; the lease lapses and a later dispatcher retries it.
    if (result === 'aborted') return;
    const now = Date.now();
    const attempts = entry.attempts + 1;
    const delivered = result.status === 200;
    const gaveUp = !delivered && attempts >= config.attempts;
    await db
      .updateTable('sandbox_callbacks')
      .set({
        attempts,
        last_status: result.status ?? null,
        last_error: result.error ?? null,
        delivered_at: delivered ? now : null,
        failed_at: gaveUp ? now : null,
        next_at: delivered || gaveUp ? now : now + config.intervalMs,
      })
      .where('id', '=', entry.id)
      .execute();
  }

  async function send(entry: Entry): Promise<{ status?: number; error?: string } | 'aborted'> {
    const params = new URLSearchParams(JSON.parse(entry.params_json) as Record<string, string>);
    // A plain timer, not AbortSignal.any([…, AbortSignal.timeout()]): on Node 20 the composed
    // timeout signal can be garbage-collected and never fire, which would wedge the dispatcher.
    const request = new AbortController();
    const stopping = abort.signal;
    const onStop = () => request.abort();
    stopping.addEventListener('abort', onStop);
    const timeout = setTimeout(() => request.abort(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const signal = request.signal;
    try {
      const target = new URL(entry.url);
      const init: RequestInit = { method: entry.method, redirect: 'manual', signal };
      if (entry.method === 'POST') {
        init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
        init.body = params.toString();
      } else {
        for (const [name, value] of params) target.searchParams.append(name, value);
      }
      const response = await fetch(target, init);
      // The bank ignores the body (§8); drop it so the connection is freed.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      if (stopping.aborted) return 'aborted';
      const reason = signal.aborted ? signal.reason : error;
      return { error: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason) };
    } finally {
      clearTimeout(timeout);
      stopping.removeEventListener('abort', onStop);
    }
  }

  return {
    enqueue,
    settings,
    updateSettings,
    release,
    list,
    /**
     * Starts delivering: what is due now, then each notification when it falls due (IDLE_WAKE_MS).
     * A no-op without callback options, or with attempts 0, where nothing is ever queued. (It
     * polled every 200 ms before: about 10 ms of CPU a second with nothing to send.) The timer
     * never keeps the process alive.
     */
    start(): void {
      if (!options || options.attempts < 1 || started) return;
      started = true;
      if (abort.signal.aborted) abort = new AbortController();
      void run();
    },
    /** Stops waking, aborts a delivery in flight and waits for the current run to end. */
    async stop(): Promise<void> {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      abort.abort();
      await chain;
    },
    /** Delivers everything due now (for tests), after any run in progress. */
    flush(): Promise<void> {
      if (abort.signal.aborted) abort = new AbortController();
      return run();
    },
  };
}

export type SandboxCallbacks = ReturnType<typeof createCallbacks>;

/** One line for a 400 answer: each bad field and what was expected. */
export function issuesOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
