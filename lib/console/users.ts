// The console's users: a login, a role and a scrypt hash of the password (node:crypto; the salt and
// cost are stored beside the hash so they can be raised later). MERCHANT_PASSWORD bootstraps the
// first owner, "owner", while no user exists; after that the owner manages the others.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Db } from '../db/database';
import { isRole, type Role } from './roles';

export type ConsoleUser = { id: number; login: string; role: Role };
export const BOOTSTRAP_LOGIN = 'owner';

const COST = 16384;
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 10;
const LOGIN_FORMAT = /^[a-z0-9._@-]{3,64}$/;

function scrypt(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return `scrypt$${COST}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function passwordHashMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const given = await scrypt(password, Buffer.from(salt, 'base64url'), Number(cost));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A hash to compare against when the login is unknown, so an unknown login takes as long as a known one. */
let decoy: Promise<string> | undefined;

/**
 * The user whose login and password these are, else undefined. While no user exists, "owner" with
 * MERCHANT_PASSWORD creates the owner first (a fresh shop, or one upgraded from the single password).
 */
export async function authenticate(
  db: Db,
  login: string,
  password: string,
  bootstrapPassword: string,
  now: number,
): Promise<ConsoleUser | undefined> {
  const name = login.trim().toLowerCase() || BOOTSTRAP_LOGIN;
  if (name === BOOTSTRAP_LOGIN && !(await db.selectFrom('merchant_users').select('id').executeTakeFirst())) {
    await db
      .insertInto('merchant_users')
      .values({
        login: BOOTSTRAP_LOGIN,
        role: 'owner',
        password_hash: await hashPassword(bootstrapPassword),
        created_at: now,
        disabled_at: null,
      })
      .onConflict((c) => c.column('login').doNothing())
      .execute();
  }
  const row = await db.selectFrom('merchant_users').selectAll().where('login', '=', name).executeTakeFirst();
  if (!row || row.disabled_at !== null || !isRole(row.role)) {
    await passwordHashMatches(password, await (decoy ??= hashPassword(randomBytes(16).toString('hex'))));
    return undefined;
  }
  return (await passwordHashMatches(password, row.password_hash)) ? { id: row.id, login: row.login, role: row.role } : undefined;
}

export async function findActiveUser(db: Db, id: number): Promise<ConsoleUser | undefined> {
  const row = await db.selectFrom('merchant_users').select(['id', 'login', 'role', 'disabled_at']).where('id', '=', id).executeTakeFirst();
  return row && row.disabled_at === null && isRole(row.role) ? { id: row.id, login: row.login, role: row.role } : undefined;
}

export type UserRow = ConsoleUser & { createdAt: number; disabled: boolean };

export async function listUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.selectFrom('merchant_users').selectAll().orderBy('id').execute();
  return rows
    .filter((r) => isRole(r.role))
    .map((r) => ({ id: r.id, login: r.login, role: r.role as Role, createdAt: r.created_at, disabled: r.disabled_at !== null }));
}

export type UserChangeRefusal = 'invalid-login' | 'weak-password' | 'exists' | 'not-found' | 'last-owner';

/** Adds a user, or (same login) sets a new role and password for one: the owner's form does both. */
export async function saveUser(
  db: Db,
  login: string,
  role: Role,
  password: string,
  now: number,
): Promise<{ ok: true } | { ok: false; reason: UserChangeRefusal }> {
  const name = login.trim().toLowerCase();
  if (!LOGIN_FORMAT.test(name)) return { ok: false, reason: 'invalid-login' };
  if (password.length < MIN_PASSWORD_LENGTH) return { ok: false, reason: 'weak-password' };
  const existing = await db.selectFrom('merchant_users').select(['id', 'role']).where('login', '=', name).executeTakeFirst();
  if (existing && existing.role === 'owner' && role !== 'owner' && (await activeOwners(db)) <= 1)
    return { ok: false, reason: 'last-owner' };
  const passwordHash = await hashPassword(password);
  if (existing) {
    await db
      .updateTable('merchant_users')
      .set({ role, password_hash: passwordHash, disabled_at: null })
      .where('id', '=', existing.id)
      .execute();
    // A new password or role ends the user's sessions: whoever had the old one is out.
    await db
      .updateTable('merchant_sessions')
      .set({ ended_at: now })
      .where('user_id', '=', existing.id)
      .where('ended_at', 'is', null)
      .execute();
  } else {
    await db
      .insertInto('merchant_users')
      .values({ login: name, role, password_hash: passwordHash, created_at: now, disabled_at: null })
      .execute();
  }
  return { ok: true };
}

/** Disables a user and ends their sessions; the last active owner cannot be disabled. */
export async function disableUser(db: Db, login: string, now: number): Promise<{ ok: true } | { ok: false; reason: UserChangeRefusal }> {
  const row = await db.selectFrom('merchant_users').select(['id', 'role', 'disabled_at']).where('login', '=', login).executeTakeFirst();
  if (!row || row.disabled_at !== null) return { ok: false, reason: 'not-found' };
  if (row.role === 'owner' && (await activeOwners(db)) <= 1) return { ok: false, reason: 'last-owner' };
  await db.updateTable('merchant_users').set({ disabled_at: now }).where('id', '=', row.id).execute();
  await db.updateTable('merchant_sessions').set({ ended_at: now }).where('user_id', '=', row.id).where('ended_at', 'is', null).execute();
  return { ok: true };
}

async function activeOwners(db: Db): Promise<number> {
  const row = await db
    .selectFrom('merchant_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
