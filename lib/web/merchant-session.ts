// The merchant console's session: a signed cookie value "<expires>.<nonce>.<mac>" (HMAC-SHA256 with
// a key derived from the console password, so changing the password ends every session), naming a
// row in `merchant_sessions` by the nonce's hash. The signature keeps forged cookies away from the
// database; the row is what the server decides: log-out ends it (a copied cookie stops working) and
// its expiry is the server's, whatever the cookie or the browser says. Comparisons are constant-time.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database';

export const SESSION_COOKIE = 'merchant_session';
export const SESSION_TTL_MS = 8 * 3600_000;

const COOKIE_FORMAT = /^(\d{13,15})\.([\w-]{22})\.([\w-]{43})$/;

function mac(password: string, payload: string): Buffer {
  const key = createHmac('sha256', password).update('merchant-session-v1').digest();
  return createHmac('sha256', key).update(payload).digest();
}

function rowIdOf(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

/** The nonce of a cookie whose signature is right, else undefined (nothing else is trusted yet). */
function signedNonce(value: string | undefined, password: string): string | undefined {
  const match = COOKIE_FORMAT.exec(value ?? '');
  if (!match) return undefined;
  const given = Buffer.from(match[3]!, 'base64url');
  const expected = mac(password, `${match[1]}.${match[2]}`);
  return given.length === expected.length && timingSafeEqual(given, expected) ? match[2] : undefined;
}

/** Starts a session: its row first, then the cookie value naming it. */
export async function startSession(db: Db, password: string, now: number, userId: number | null = null): Promise<string> {
  const nonce = randomBytes(16).toString('base64url');
  const expiresAt = now + SESSION_TTL_MS;
  // Expired sessions are of no use to anyone: each log-in clears those a day past their end.
  await db
    .deleteFrom('merchant_sessions')
    .where('expires_at', '<', now - 24 * 3600_000)
    .execute();
  await db
    .insertInto('merchant_sessions')
    .values({ id: rowIdOf(nonce), created_at: now, expires_at: expiresAt, ended_at: null, user_id: userId })
    .execute();
  const payload = `${expiresAt}.${nonce}`;
  return `${payload}.${mac(password, payload).toString('base64url')}`;
}

/** True while the cookie is genuine and its session is neither ended nor past the server's expiry. */
export async function verifySession(db: Db, value: string | undefined, password: string, now: number): Promise<boolean> {
  return (await liveSession(db, value, password, now)) !== undefined;
}

/** The user id a live session names (null: a session without a user, which the console refuses). */
export async function sessionUserId(db: Db, value: string | undefined, password: string, now: number): Promise<number | null | undefined> {
  return (await liveSession(db, value, password, now))?.user_id;
}

async function liveSession(db: Db, value: string | undefined, password: string, now: number) {
  const nonce = signedNonce(value, password);
  if (!nonce) return undefined;
  const row = await db
    .selectFrom('merchant_sessions')
    .select(['created_at', 'expires_at', 'ended_at', 'user_id'])
    .where('id', '=', rowIdOf(nonce))
    .executeTakeFirst();
  return row !== undefined && row.ended_at === null && now < Math.min(row.expires_at, row.created_at + SESSION_TTL_MS) ? row : undefined;
}

/** Ends the session a cookie names (log-out); a forged or unknown cookie changes nothing. */
export async function endSession(db: Db, value: string | undefined, password: string, now: number): Promise<void> {
  const nonce = signedNonce(value, password);
  if (!nonce) return;
  await db.updateTable('merchant_sessions').set({ ended_at: now }).where('id', '=', rowIdOf(nonce)).where('ended_at', 'is', null).execute();
}

/** Hashing both sides first gives equal lengths, so the comparison leaks nothing, not even the length. */
export function passwordMatches(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
