// The console's sessions (kept on the server) and its log-in throttle, on the database the suite
// runs on: SQLite (counters in memory) and PostgreSQL (counters shared by every instance).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { postgresPoolOf } from '../../lib/db/postgres';
import { createCheckoutLimits, createLoginThrottle, type LimitStore, type LoginGate } from '../../lib/web/abuse-limits';
import { endSession, passwordMatches, SESSION_TTL_MS, startSession, verifySession } from '../../lib/web/merchant-session';
import { openTestDatabase, testDialect } from '../helpers/test-database';

const PASSWORD = 'correct horse battery';
let db: Db;
const opened: Db[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  for (const each of [db, ...opened]) await each.destroy();
});

/** Counters of their own for each test: a fresh database (schema) on PostgreSQL, memory on SQLite. */
async function freshStore(): Promise<LimitStore> {
  const fresh = await openTestDatabase();
  opened.push(fresh);
  const pool = postgresPoolOf(fresh);
  // On PostgreSQL the counters must be there, or "two instances share one budget" proves nothing.
  expect(pool !== undefined).toBe(testDialect === 'postgres');
  return pool ? { kind: 'postgres', pool } : { kind: 'memory' };
}

describe('merchant session', () => {
  it('a fresh session verifies until the server says it expires', async () => {
    const now = Date.now();
    const value = await startSession(db, PASSWORD, now);
    expect(await verifySession(db, value, PASSWORD, now)).toBe(true);
    expect(await verifySession(db, value, PASSWORD, now + SESSION_TTL_MS - 1)).toBe(true);
    expect(await verifySession(db, value, PASSWORD, now + SESSION_TTL_MS)).toBe(false);
  });

  it('log-out ends it on the server: a copy of the cookie stops working', async () => {
    const now = Date.now();
    const value = await startSession(db, PASSWORD, now);
    const copy = value;
    await endSession(db, value, PASSWORD, now + 1);
    expect(await verifySession(db, copy, PASSWORD, now + 2)).toBe(false);
    // Other sessions live on.
    expect(await verifySession(db, await startSession(db, PASSWORD, now), PASSWORD, now + 2)).toBe(true);
  });

  it('a changed password, a longer expiry, a forged mac or a signed cookie the server never issued fails', async () => {
    const now = Date.now();
    const value = await startSession(db, PASSWORD, now);
    expect(await verifySession(db, value, 'another password', now)).toBe(false);
    const [expires, nonce, mac] = value.split('.');
    expect(await verifySession(db, `${Number(expires) + SESSION_TTL_MS}.${nonce}.${mac}`, PASSWORD, now)).toBe(false);
    expect(await verifySession(db, `${expires}.${nonce}.${'A'.repeat(43)}`, PASSWORD, now)).toBe(false);
    for (const junk of [undefined, '', 'x', `${expires}.${nonce}`, `${value}.extra`])
      expect(await verifySession(db, junk, PASSWORD, now)).toBe(false);
    await db.deleteFrom('merchant_sessions').execute();
    expect(await verifySession(db, value, PASSWORD, now)).toBe(false);
  });

  it('passwordMatches is exact', () => {
    expect(passwordMatches(PASSWORD, PASSWORD)).toBe(true);
    expect(passwordMatches(`${PASSWORD} `, PASSWORD)).toBe(false);
    expect(passwordMatches('', PASSWORD)).toBe(false);
  });
});

const LIMITS = { perClient: 5, clientWindowSeconds: 60, failuresPerMinute: 8, maxDelayMs: 8000 };

describe(`log-in throttle (${testDialect === 'postgres' ? 'PostgreSQL store' : 'memory store'})`, () => {
  it('parallel guesses from one client each get their own, longer wait; past the budget the password is not checked', async () => {
    const throttle = createLoginThrottle(await freshStore(), { ...LIMITS, failuresPerMinute: 100 });
    const gates = await Promise.all(Array.from({ length: 7 }, () => throttle.begin('198.51.100.1')));
    const delays = gates.filter((gate): gate is Extract<LoginGate, { allowed: true }> => gate.allowed).map((gate) => gate.delayMs);
    expect(delays.sort((a, b) => a - b)).toEqual([0, 500, 1000, 2000, 4000]);
    expect(gates.filter((gate) => !gate.allowed)).toHaveLength(2);
    expect(gates.find((gate) => !gate.allowed)).toMatchObject({ scope: 'client' });
    // Another client is not held back by this one.
    expect(await throttle.begin('198.51.100.2')).toMatchObject({ allowed: true, delayMs: 0 });
  });

  it('a success starts the client afresh', async () => {
    const throttle = createLoginThrottle(await freshStore(), { ...LIMITS, failuresPerMinute: 100 });
    for (let i = 0; i < 3; i++) await throttle.begin('198.51.100.3');
    const gate = await throttle.begin('198.51.100.3');
    expect(gate).toMatchObject({ allowed: true, delayMs: 2000 });
    if (gate.allowed) await gate.finish(true);
    expect(await throttle.begin('198.51.100.3')).toMatchObject({ allowed: true, delayMs: 0 });
  });

  // The old in-memory throttle forgot everyone once it held 10 000 addresses. In memory, 10 001 of
  // them; on PostgreSQL (one row per address, nothing ever cleared but expired rows) 1 000 say the
  // same in a twentieth of the time.
  const flood = testDialect === 'postgres' ? 1_000 : 10_001;
  it(`a flood of ${flood} other addresses does not reset a client being throttled`, async () => {
    const throttle = createLoginThrottle(await freshStore(), { ...LIMITS, failuresPerMinute: 100_000 });
    for (let i = 0; i < 3; i++) await throttle.begin('198.51.100.9');
    for (let batch = 0; batch < flood; batch += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, flood - batch) }, (_, i) =>
          throttle.begin(`10.${(batch + i) >> 16}.${((batch + i) >> 8) & 255}.${(batch + i) & 255}`),
        ),
      );
    }
    expect(await throttle.begin('198.51.100.9')).toMatchObject({ allowed: true, delayMs: 2000 });
  });

  it('failures from many addresses together stop at the ceiling, and two instances share it', async () => {
    // Two throttles on one store are two server instances (on SQLite, one process: one throttle).
    const store = await freshStore();
    const one = createLoginThrottle(store, LIMITS);
    const instances = store.kind === 'postgres' ? [one, createLoginThrottle(store, LIMITS)] : [one, one];
    const gates = [];
    for (let i = 0; i < 12; i++) gates.push(await instances[i % 2]!.begin(`203.0.113.${i}`));
    expect(gates.filter((gate) => gate.allowed)).toHaveLength(LIMITS.failuresPerMinute);
    expect(gates.at(-1)).toMatchObject({ allowed: false, scope: 'everyone' });
  });
});

describe('checkout limits', () => {
  it('per client and per cart; two instances on one store share the budget', async () => {
    const store = await freshStore();
    const one = createCheckoutLimits(store, { perClient: 6, perCart: 4 });
    const instances = store.kind === 'postgres' ? [one, createCheckoutLimits(store, { perClient: 6, perCart: 4 })] : [one, one];
    const sameCart = [];
    for (let i = 0; i < 6; i++) sameCart.push((await instances[i % 2]!.hit('192.0.2.1', 'mug:1')).allowed);
    expect(sameCart).toEqual([true, true, true, true, false, false]);
    // Another cart from the same client: the client's budget (6) is spent except what the cart refusals left.
    expect((await instances[0]!.hit('192.0.2.1', 'tea:1')).allowed).toBe(false);
    expect(await instances[1]!.hit('192.0.2.2', 'mug:1')).toEqual({ allowed: true });
  });
});
