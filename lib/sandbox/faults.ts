// Fault injection (sandbox-only): rules that make REST calls misbehave — a 500, a slow or lost
// answer, an HTML page, a cut-off body, a foreign formUrl — so the shop's handling of an unknown
// outcome can be tested over real HTTP. Rules live as JSON in sandbox_settings (no migration), and
// every change is a compare-and-swap on that row: a rule with times=1 hits exactly one call even
// when calls race, also across several sandbox instances on one database.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { restMethods } from './rest';
import type { SandboxDb } from './schema';

const SETTINGS_KEY = 'fault_rules';

export const faultKinds = ['http500', 'slow', 'hang', 'malformed', 'truncated', 'foreign-form-url', 'lost-response'] as const;
export type FaultKind = (typeof faultKinds)[number];

const REGISTER_METHODS: readonly string[] = ['register.do', 'registerPreAuth.do'];
const DEFAULT_DELAY_MS: Partial<Record<FaultKind, number>> = { slow: 3_000, hang: 120_000, 'lost-response': 120_000 };

// Form fields arrive as strings; JSON may carry numbers. Both are read as whole numbers.
const count = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number().int().min(0));

export const faultRuleSchema = z
  .strictObject({
    fault: z.enum(faultKinds),
    method: z.enum(restMethods.map((m) => `${m}.do` as const)).optional(),
    orderNumber: z.string().min(1).max(36).optional(),
    orderId: z.string().min(1).max(64).optional(),
    /** How many matching calls the rule affects; 0 = until cleared. */
    times: count.default(1),
    delayMs: count.pipe(z.number().max(600_000)).optional(),
  })
  .refine((r) => r.fault !== 'foreign-form-url' || r.method === undefined || REGISTER_METHODS.includes(r.method), {
    message: 'foreign-form-url applies to register.do and registerPreAuth.do only',
    path: ['method'],
  })
  // At registration the gateway's orderId does not exist yet, so such a rule could never match.
  .refine((r) => r.fault !== 'foreign-form-url' || r.orderId === undefined, {
    message: 'foreign-form-url cannot match an orderId; use orderNumber',
    path: ['orderId'],
  });

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;
export type FaultRule = FaultRuleInput & { id: number; used: number };

/** What the fault layer knows of a call before it runs. */
export type FaultCall = { method: string; orderNumber?: string; orderId?: string };

export type FaultsDeps = {
  db: SandboxDb;
  /** Finds the order a call names, so a rule by orderNumber also hits deposit.do (which names the orderId). */
  lookup: (ref: { orderId?: string; orderNumber?: string }) => Promise<{ orderId: string; orderNumber: string } | undefined>;
};

export function createFaults({ db, lookup }: FaultsDeps) {
  async function read(): Promise<{ raw: string | undefined; rules: FaultRule[] }> {
    const row = await db.selectFrom('sandbox_settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return { raw: row?.value, rules: row ? (JSON.parse(row.value) as FaultRule[]) : [] };
  }

  /** Writes `rules` only if the row still holds `raw`; false when another call changed it first. */
  async function swap(raw: string | undefined, rules: FaultRule[]): Promise<boolean> {
    const value = JSON.stringify(rules);
    if (raw === undefined) {
      const inserted = await db
        .insertInto('sandbox_settings')
        .values({ key: SETTINGS_KEY, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const updated = await db
      .updateTable('sandbox_settings')
      .set({ value })
      .where('key', '=', SETTINGS_KEY)
      .where('value', '=', raw)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async function add(input: FaultRuleInput): Promise<FaultRule[]> {
    for (;;) {
      const { raw, rules } = await read();
      const next = [...rules, { ...input, id: Math.max(0, ...rules.map((r) => r.id)) + 1, used: 0 }];
      if (await swap(raw, next)) return next;
    }
  }

  async function clear(): Promise<void> {
    await db.deleteFrom('sandbox_settings').where('key', '=', SETTINGS_KEY).execute();
  }

  /** The rule this call falls under, if any, counted as used. Per-order rules win over global ones. */
  async function take(call: FaultCall): Promise<FaultRule | undefined> {
    for (;;) {
      const { raw, rules } = await read();
      if (rules.length === 0) return undefined;
      const known = await complete(call, rules);
      const candidates = rules.filter((r) => matches(r, known));
      const rule = candidates.find((r) => r.orderId !== undefined || r.orderNumber !== undefined) ?? candidates[0];
      if (!rule) return undefined;
      const used = { ...rule, used: rule.used + 1 };
      const spent = rule.times !== 0 && used.used >= rule.times;
      const next = spent ? rules.filter((r) => r.id !== rule.id) : rules.map((r) => (r.id === rule.id ? used : r));
      if (await swap(raw, next)) return used;
    }
  }

  /** Looks the order up only when some rule needs the identifier the call does not carry. */
  async function complete(call: FaultCall, rules: FaultRule[]): Promise<FaultCall> {
    const needsNumber = call.orderNumber === undefined && call.orderId !== undefined && rules.some((r) => r.orderNumber !== undefined);
    const needsId =
      call.orderId === undefined &&
      call.orderNumber !== undefined &&
      !REGISTER_METHODS.includes(call.method) &&
      rules.some((r) => r.orderId !== undefined);
    if (!needsNumber && !needsId) return call;
    const found = await lookup({ orderId: call.orderId, orderNumber: call.orderNumber });
    return { ...call, orderId: call.orderId ?? found?.orderId, orderNumber: call.orderNumber ?? found?.orderNumber };
  }

  /** The control endpoint: POST adds a rule, GET lists, DELETE (or POST …/clear) removes all. */
  async function control(request: Request, path: 'rules' | 'clear'): Promise<Response> {
    const method = request.method.toUpperCase();
    if (path === 'clear' || method === 'DELETE') {
      if (path === 'clear' ? method !== 'POST' : method !== 'DELETE') return new Response('Method Not Allowed', { status: 405 });
      await clear();
      return json({ rules: [] });
    }
    if (method === 'GET') return json({ rules: (await read()).rules });
    const body = await readBody(request);
    if (body === undefined) return json({ error: 'body: expected JSON or a form' }, 400);
    const parsed = faultRuleSchema.safeParse(body);
    if (!parsed.success) {
      return json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, 400);
    }
    return json({ rules: await add(parsed.data) });
  }

  return { take, control, list: async () => (await read()).rules, clear };
}

export type Faults = ReturnType<typeof createFaults>;

function matches(rule: FaultRule, call: FaultCall): boolean {
  if (rule.method !== undefined && rule.method !== call.method) return false;
  // A global foreign-form-url rule must wait for a registration, not be spent on a status read.
  if (rule.fault === 'foreign-form-url' && !REGISTER_METHODS.includes(call.method)) return false;
  if (rule.orderNumber !== undefined && rule.orderNumber !== call.orderNumber) return false;
  if (rule.orderId !== undefined && rule.orderId !== call.orderId) return false;
  return true;
}

/** How the call goes once a rule hit it: `perform` runs the method, `skip` only records the call. */
export type FaultedCall = {
  perform: () => Promise<Record<string, unknown>>;
  skip: () => Promise<void>;
  /** Aborts when the client goes away: a hang ends there, as a real one would. */
  signal: AbortSignal;
};

export async function respondWithFault(rule: FaultRule, call: FaultedCall): Promise<Response> {
  const delayMs = rule.delayMs ?? DEFAULT_DELAY_MS[rule.fault] ?? 0;
  switch (rule.fault) {
    case 'http500':
      await call.skip();
      return new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    case 'malformed':
      await call.skip();
      return new Response(ERROR_PAGE, { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' } });
    case 'hang':
      await call.skip();
      return hang(delayMs, call.signal);
    case 'lost-response':
      await call.perform();
      return hang(delayMs, call.signal);
    case 'slow':
      // The operation runs after the delay even if the client has given up: the bank would too.
      await sleep(delayMs);
      return json(await call.perform());
    case 'truncated': {
      const text = JSON.stringify(await call.perform());
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: 200, headers: JSON_HEADERS });
    }
    case 'foreign-form-url': {
      const body = await call.perform();
      if (typeof body.formUrl !== 'string') return json(body);
      const original = new URL(body.formUrl);
      return json({ ...body, formUrl: `https://evil.example${original.pathname}${original.search}` });
    }
  }
}

/** No answer until the client aborts, or at most `ms`; then a 504 nobody may be reading. */
async function hang(ms: number, signal: AbortSignal): Promise<Response> {
  // ref: false, so a test process is not kept alive by a hang the client has long abandoned.
  await sleep(ms, undefined, { signal, ref: false }).catch(() => undefined);
  return new Response('Gateway Timeout', { status: 504, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
}

async function readBody(request: Request): Promise<Record<string, unknown> | undefined> {
  const text = await request.text();
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('json') || text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  // An empty form field means "not given", as the REST methods read it.
  return Object.fromEntries([...new URLSearchParams(text)].filter(([, value]) => value.trim() !== ''));
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' };

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

const ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The proxy received an invalid response.</p></body></html>';
