// The owner's list of console users: add one, change a role or password, disable one.
import type { Metadata } from 'next';
import ui from '@/app/_components/ui.module.css';
import { getServices } from '@/app/_server/services';
import { ROLES } from '@/lib/console/roles';
import { listUsers } from '@/lib/console/users';
import { getMerchantTexts, requireMerchant } from '../_auth';
import { disableUserAction, saveUserAction } from '../actions';
import styles from '../console.module.css';
import { SubpageHead } from '../_subpage-head';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

type Props = { searchParams: Promise<{ done?: string; refused?: string }> };

export default async function UsersPage({ searchParams }: Props) {
  await requireMerchant('users');
  const { t } = await getMerchantTexts();
  const users = await listUsers((await getServices()).db);
  const { done, refused } = await searchParams;
  return (
    <main className={styles.page}>
      <SubpageHead back={t.orders} title={t.users} />
      {done && <p role="status">{t.userSaved}</p>}
      {refused && (
        <p role="alert" className={styles.error}>
          {t.userRefusals[refused] ?? t.userRefusals.invalid}
        </p>
      )}
      <ul data-testid="users">
        {users.map((user) => (
          <li key={user.id}>
            {user.login} · {t.roles[user.role]}
            {user.disabled ? ` · ${t.disabled}` : ''}
            {!user.disabled && (
              <form action={disableUserAction}>
                <input type="hidden" name="login" value={user.login} />
                <button type="submit" className={ui.button}>
                  {t.disable}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form action={saveUserAction} className={styles.card}>
        <label htmlFor="user-login" className={styles.label}>
          {t.userLogin}
        </label>
        <input id="user-login" name="login" required autoCapitalize="none" className={styles.input} />
        <label htmlFor="user-role" className={styles.label}>
          {t.role}
        </label>
        <select id="user-role" name="role" className={styles.input} defaultValue="operator">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t.roles[role]}
            </option>
          ))}
        </select>
        <label htmlFor="user-password" className={styles.label}>
          {t.newPassword}
        </label>
        <input id="user-password" name="password" type="password" autoComplete="new-password" required className={styles.input} />
        <button type="submit" className={`${ui.button} ${ui.primary}`}>
          {t.saveUser}
        </button>
      </form>
    </main>
  );
}
