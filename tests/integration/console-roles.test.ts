// The console's users, roles and audit log: each action called directly as each role (the role is
// checked in the action, whatever the page shows), log-ins bootstrapped from MERCHANT_PASSWORD,
// passwords stored only as scrypt hashes, and every decision in the audit log.
import { beforeAll, describe, expect, it } from 'vitest';
import { auditCsv, auditEntries } from '../../lib/console/audit';
import { raiseAlert } from '../../lib/alerts/alerts';
import { acknowledgeAlertAs, captureModeAs, disableUserAs, moneyActionAs, saveUserAs, type Actor } from '../../lib/console/console-actions';
import { ROLES, type Role } from '../../lib/console/roles';
import { authenticate, passwordHashMatches, type ConsoleUser } from '../../lib/console/users';
import type { MerchantAction } from '../../lib/payments/merchant-operations';
import { captureMode } from '../../lib/payments/settings';
import { sessionUserId, startSession } from '../../lib/web/merchant-session';
import { setUpShopHarness } from '../helpers/shop-harness';

const shop = setUpShopHarness({ timeoutMs: 3000, statusRetries: 0 });
const BOOTSTRAP = 'bootstrap password';
const users = {} as Record<Role, ConsoleUser>;
const actorOf = (role: Role): Actor => ({ user: users[role], address: `10.0.0.${ROLES.indexOf(role) + 1}` });
let keys = 0;
const key = () => `roles-key-${++keys}-${Date.now()}`;

beforeAll(async () => {
  const { db } = shop;
  const now = Date.now();
  users.owner = (await authenticate(db, '', BOOTSTRAP, BOOTSTRAP, now))!;
  const owner = { user: users.owner, address: '10.0.0.1' };
  expect(await saveUserAs(db, owner, { login: 'Olga', role: 'operator', password: 'operator password' }, now)).toEqual({ ok: true });
  expect(await saveUserAs(db, owner, { login: 'victor', role: 'viewer', password: 'viewer password' }, now)).toEqual({ ok: true });
  users.operator = (await authenticate(db, 'olga', 'operator password', BOOTSTRAP, now))!;
  users.viewer = (await authenticate(db, 'victor', 'viewer password', BOOTSTRAP, now))!;
});

describe('console users', () => {
  it('MERCHANT_PASSWORD bootstraps "owner"; each user signs in with their own password, stored only as a scrypt hash', async () => {
    const { db } = shop;
    expect(users.owner).toMatchObject({ login: 'owner', role: 'owner' });
    expect(users.operator).toMatchObject({ login: 'olga', role: 'operator' });
    expect(users.viewer).toMatchObject({ login: 'victor', role: 'viewer' });
    expect(await authenticate(db, 'olga', 'viewer password', BOOTSTRAP, Date.now())).toBeUndefined();
    expect(await authenticate(db, 'nobody', BOOTSTRAP, BOOTSTRAP, Date.now())).toBeUndefined();
    const rows = await db.selectFrom('merchant_users').select(['login', 'password_hash']).execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^scrypt\$16384\$[\w-]{22}\$[\w-]{43}$/);
      expect(row.password_hash).not.toContain('password');
    }
    const olga = rows.find((r) => r.login === 'olga')!;
    expect(await passwordHashMatches('operator password', olga.password_hash)).toBe(true);
    expect(await passwordHashMatches('operator passwore', olga.password_hash)).toBe(false);
  });

  it('a session names its user; disabling the user ends it, and the last owner cannot be disabled or demoted', async () => {
    const { db } = shop;
    const now = Date.now();
    const owner = actorOf('owner');
    await saveUserAs(db, owner, { login: 'temp', role: 'viewer', password: 'temporary password' }, now);
    const temp = (await authenticate(db, 'temp', 'temporary password', BOOTSTRAP, now))!;
    const cookie = await startSession(db, BOOTSTRAP, now, temp.id);
    expect(await sessionUserId(db, cookie, BOOTSTRAP, now + 1)).toBe(temp.id);
    expect(await disableUserAs(db, owner, 'temp', now + 2)).toEqual({ ok: true });
    expect(await sessionUserId(db, cookie, BOOTSTRAP, now + 3)).toBeUndefined();
    expect(await authenticate(db, 'temp', 'temporary password', BOOTSTRAP, now + 4)).toBeUndefined();
    expect(await disableUserAs(db, owner, 'owner', now)).toEqual({ ok: false, reason: 'last-owner' });
    expect(await saveUserAs(db, owner, { login: 'owner', role: 'viewer', password: 'a new password' }, now)).toEqual({
      ok: false,
      reason: 'last-owner',
    });
    expect(await saveUserAs(db, owner, { login: 'x', role: 'viewer', password: 'long enough password' }, now)).toEqual({
      ok: false,
      reason: 'invalid-login',
    });
    expect(await saveUserAs(db, owner, { login: 'shorty', role: 'viewer', password: 'short' }, now)).toEqual({
      ok: false,
      reason: 'weak-password',
    });
  });
});

describe('each action × each role', () => {
  const money: MerchantAction[] = [
    { kind: 'capture', amount: 100 },
    { kind: 'cancel' },
    { kind: 'refund', amount: 100 },
    { kind: 'refund-lines', lines: [{ positionId: 1, quantity: 1 }] },
  ];
  const expected: Record<Role, { money: boolean; alerts: boolean; settings: boolean; users: boolean }> = {
    owner: { money: true, alerts: true, settings: true, users: true },
    operator: { money: true, alerts: true, settings: false, users: false },
    viewer: { money: false, alerts: false, settings: false, users: false },
  };

  for (const role of ROLES) {
    it(`${role}: money ${expected[role].money}, alerts ${expected[role].alerts}, settings ${expected[role].settings}, users ${expected[role].users}`, async () => {
      const { db, deps } = shop;
      const actor = actorOf(role);
      const before = await auditEntries(db, {});
      for (const action of money) {
        const outcome = await moneyActionAs(deps, actor, 'no-such-order', action, key());
        // Allowed: the operation itself runs (and finds no order); refused: it never starts.
        expect(outcome).toMatchObject({ ok: false, reason: expected[role].money ? 'not-found' : 'forbidden' });
      }
      const mode = await captureMode(db);
      const modeOutcome = await captureModeAs(db, actor, mode === 'manual' ? 'on-return' : 'manual', Date.now());
      expect(modeOutcome.ok).toBe(expected[role].settings);
      expect(await captureMode(db)).toBe(expected[role].settings ? (mode === 'manual' ? 'on-return' : 'manual') : mode);
      const save = await saveUserAs(db, actor, { login: `made-by-${role}`, role: 'owner', password: 'some long password' }, Date.now());
      expect(save.ok).toBe(expected[role].users);
      const disable = await disableUserAs(db, actor, `made-by-${role}`, Date.now());
      expect(disable.ok).toBe(expected[role].users);
      if (!expected[role].users)
        expect(await authenticate(db, `made-by-${role}`, 'some long password', BOOTSTRAP, Date.now())).toBeUndefined();
      await raiseAlert(deps, { kind: 'reconciler-error', key: `roles-${role}`, details: { error: 'test' } });
      const alert = await db
        .selectFrom('alerts')
        .select('id')
        .where('alert_key', '=', `reconciler-error:roles-${role}`)
        .executeTakeFirstOrThrow();
      expect((await acknowledgeAlertAs(db, actor, Number(alert.id), Date.now())).ok).toBe(expected[role].alerts);
      const acknowledged = await db.selectFrom('alerts').select('acknowledged_by').where('id', '=', alert.id).executeTakeFirstOrThrow();
      expect(acknowledged.acknowledged_by).toBe(expected[role].alerts ? users[role].login : null);

      // Every attempt, allowed or not, is in the audit log with who, where and the outcome.
      const added = (await auditEntries(db, {})).slice(0, (await auditEntries(db, {})).length - before.length);
      expect(added).toHaveLength(money.length + 4);
      for (const entry of added) expect(entry).toMatchObject({ actor: users[role].login, address: actor.address });
      const forbidden = added.filter((e) => e.outcome.startsWith('forbidden'));
      const refusedCount =
        (expected[role].money ? 0 : money.length) +
        (expected[role].alerts ? 0 : 1) +
        (expected[role].settings ? 0 : 1) +
        (expected[role].users ? 0 : 2);
      expect(forbidden).toHaveLength(refusedCount);
      expect(added.map((e) => e.action).sort()).toEqual(
        ['capture', 'cancel', 'refund', 'refund-lines', 'alert-acknowledge', 'capture-mode', 'user-save', 'user-disable'].sort(),
      );
    });
  }
});

describe('audit export', () => {
  it('is CSV with each field quoted and formulas defused; a range selects by time', async () => {
    const { db } = shop;
    const rows = await auditEntries(db, {});
    expect(rows.length).toBeGreaterThan(0);
    const csv = auditCsv([{ id: 1, at: 0, actor: '=cmd()', address: '1.2.3.4', action: 'login', subject: null, outcome: 'failed "x"' }]);
    expect(csv).toBe(
      'time,actor,address,action,subject,outcome\r\n"1970-01-01T00:00:00.000Z","\'=cmd()","1.2.3.4","login","","failed ""x"""\r\n',
    );
    const newest = rows[0]!.at;
    expect(await auditEntries(db, { from: newest + 1 })).toHaveLength(0);
    expect((await auditEntries(db, { to: newest + 1 })).length).toBe(rows.length);
  });
});
