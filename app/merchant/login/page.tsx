// The console's login: a login and a password. An empty login means "owner", the user
// MERCHANT_PASSWORD bootstraps (with the sandbox, a demo password shown here).
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import ui from '@/app/_components/ui.module.css';
import { SubmitButton } from '@/app/_components/submit-button';
import { getEnv, DEMO_MERCHANT_PASSWORD } from '@/lib/env';
import { consolePassword, getMerchantTexts, hasSession } from '../_auth';
import type { MerchantTexts } from '../_texts';
import { loginAction } from '../actions';
import styles from '../console.module.css';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

type Props = { searchParams: Promise<{ failed?: string; wait?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  consolePassword();
  if (await hasSession()) redirect('/merchant');
  const { t } = await getMerchantTexts();
  const env = getEnv();
  const demo = env.sandbox.enabled && env.merchantPassword === DEMO_MERCHANT_PASSWORD;
  return (
    <main className={styles.narrow}>
      {demo && <p className={styles.sandbox}>{t.demoPassword(DEMO_MERCHANT_PASSWORD)}</p>}
      <h1 className={ui.title}>{t.console}</h1>
      <form action={loginAction} className={styles.card} data-testid="login-form">
        <label htmlFor="login" className={styles.label}>
          {t.userLogin}
        </label>
        <input
          id="login"
          name="login"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          placeholder="owner"
          className={styles.input}
        />
        <label htmlFor="password" className={styles.label}>
          {t.password}
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={styles.input} />
        <p role="alert" className={styles.error} data-testid="login-error">
          {message(await searchParams, t)}
        </p>
        <SubmitButton pendingText={t.signingIn} className={`${ui.button} ${ui.primary} ${ui.block}`}>
          {t.signIn}
        </SubmitButton>
      </form>
    </main>
  );
}

function message({ failed, wait }: { failed?: string; wait?: string }, t: MerchantTexts): string {
  const seconds = Number(wait);
  if (wait && Number.isInteger(seconds) && seconds > 0) return t.tooManyLogins(Math.min(seconds, 3600));
  return failed ? t.wrongPassword : '';
}
