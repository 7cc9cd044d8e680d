// The merchant console's session: a signed cookie value "<expires>.<nonce>.<mac>", HMAC-SHA256 with
// a key derived from the console password (changing the password ends every session; several
// server instances need no shared session store). Comparisons are constant-time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'merchant_session';
export const SESSION_TTL_MS = 8 * 3600_000;

function mac(password: string, payload: string): Buffer {
  const key = createHmac('sha256', password).update('merchant-session-v1').digest();
  return createHmac('sha256', key).update(payload).digest();
}

export function issueSession(password: string, now: number): string {
  const payload = `${now + SESSION_TTL_MS}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${mac(password, payload).toString('base64url')}`;
}

export function verifySession(value: string | undefined, password: string, now: number): boolean {
  const match = /^(\d{13,15})\.([\w-]{22})\.([\w-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const given = Buffer.from(match[3]!, 'base64url');
  const expected = mac(password, `${match[1]}.${match[2]}`);
  return given.length === expected.length && timingSafeEqual(given, expected) && Number(match[1]) > now;
}

/** Hashing both sides first gives equal lengths, so the comparison leaks nothing, not even the length. */
export function passwordMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Wrong passwords are answered ever more slowly per client: 0.5 s, 1 s, 2 s … up to 8 s. */
export function createLoginThrottle(now: () => number = Date.now) {
  const failures = new Map<string, { count: number; last: number }>();
  const FORGET_MS = 15 * 60_000;
  return {
    delayFor(client: string): number {
      const entry = failures.get(client);
      if (!entry || now() - entry.last > FORGET_MS) return 0;
      return Math.min(8000, 500 * 2 ** (entry.count - 1));
    },
    failed(client: string) {
      const entry = failures.get(client);
      const fresh = !entry || now() - entry.last > FORGET_MS;
      failures.set(client, { count: fresh ? 1 : entry.count + 1, last: now() });
      if (failures.size > 10_000) failures.clear();
    },
    succeeded(client: string) {
      failures.delete(client);
    },
  };
}
