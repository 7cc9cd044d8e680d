// The order list: summary figures, filters by state, search, newest first with keyset pages, CSV.
import { openAlertCount } from '@/lib/alerts/alerts';
import type { Metadata } from 'next';
import Link from 'next/link';
import ui from '@/app/_components/ui.module.css';
import { getServices } from '@/app/_server/services';
import { formatRub } from '@/lib/money';
import { listOrders, merchantStateOf, merchantStates, summary, type MerchantState } from '@/lib/console/queries';
import { captureMode } from '@/lib/payments/settings';
import { getMerchantTexts, requireMerchant } from './_auth';
import { formatDays, formatMoment, isoDate, moscowDayStart, moscowRange, moscowShortDate } from './_format';
import { captureModeAction, holdPolicyAction, logoutAction } from './actions';
import { holdPolicy } from '@/lib/payments/hold-policy';
import { latestCaught } from '@/lib/mail/catcher';
import { DemoMailbox } from './demo-mailbox';
import { SandboxApiSection } from './sandbox-api';
import { DailyChart } from './_chart';
import { normalizePhone } from '@/lib/shop/customer';
import { dailyFigures } from '@/lib/console/daily';
import { allows } from '@/lib/console/roles';
import styles from './console.module.css';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

type Props = { searchParams: Promise<{ state?: string; q?: string; after?: string; refused?: string; from?: string; to?: string }> };

const HOLD_WARNING_MS = 5 * 24 * 3600_000;

export default async function MerchantOrders({ searchParams }: Props) {
  const user = await requireMerchant();
  const { lang, t } = await getMerchantTexts();
  const params = await searchParams;
  const state = merchantStates.find((s) => s === params.state);
  const from = isoDate(params.from);
  const to = isoDate(params.to);
  const query = params.q?.slice(0, 64);
  const filter = { state, query, phone: query ? normalizePhone(query) : undefined, ...moscowRange(from, to) };
  const { db, sandboxApi, shop } = await getServices();
  // The shop's clock (the bank's, when the sandbox is the bank), as the reconciler's: hold ages agree.
  const now = shop.clock();
  const [page, figures, mode, days, policy, openAlerts] = await Promise.all([
    listOrders(db, filter, { cursor: params.after }),
    summary(db, now, moscowDayStart(now)),
    captureMode(db),
    dailyFigures(db, moscowDayStart(now)),
    holdPolicy(db),
    openAlertCount(db),
  ]);
  const month = days.reduce((sum, d) => ({ started: sum.started + d.started, paid: sum.paid + d.paid, amount: sum.amount + d.amount }), {
    started: 0,
    paid: 0,
    amount: 0,
  });
  const percent = month.started > 0 ? `${Math.round((100 * month.paid) / month.started)}%` : '—';
  const href = (extra: Record<string, string | undefined>) => {
    const query = new URLSearchParams(
      Object.entries({ state, q: filter.query, from, to, ...extra }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    return `/merchant${query.size ? `?${query}` : ''}`;
  };
  const holdAge = figures.holds.oldestAt === null ? 0 : now - figures.holds.oldestAt;

  return (
    <main className={styles.page}>
      <div className={styles.bar}>
        <h1 className={ui.title}>{t.orders}</h1>
        <span data-testid="signed-in-as">{t.signedInAs(user.login, t.roles[user.role] ?? user.role)}</span>
        <Link href="/merchant/alerts" data-testid="alerts-link" className={styles.tap}>
          {t.alertsOpen(openAlerts)}
        </Link>
        {allows(user.role, 'users') && (
          <Link href="/merchant/users" className={styles.tap}>
            {t.users}
          </Link>
        )}
        {allows(user.role, 'audit') && (
          <Link href="/merchant/audit" className={styles.tap}>
            {t.audit}
          </Link>
        )}
        <form action={logoutAction}>
          <button type="submit" className={ui.button}>
            {t.logout}
          </button>
        </form>
      </div>
      <section className={styles.stats}>
        <p className={styles.stat} data-testid="paid-today">
          {t.paidTodayLabel(figures.paidToday.count, formatRub(figures.paidToday.amount, lang))}
        </p>
        <div className={styles.stat} data-testid="conversion">
          <p>{t.monthLabel(month.started, month.paid, formatRub(month.amount, lang), percent)}</p>
          <DailyChart
            days={days}
            label={t.chartLabel}
            dayTitle={(d) => t.dayTitle(moscowShortDate(d.start), d.started, d.paid, formatRub(d.amount, lang))}
          />
        </div>
        <div className={styles.stat} data-testid="holds">
          {t.holds}
          <strong>{figures.holds.count}</strong>
          {figures.holds.oldestAt !== null && t.oldestHold(formatDays(holdAge, lang))}
          {holdAge > HOLD_WARNING_MS && <p className={styles.warn}>{t.holdWarning}</p>}
        </div>
        {allows(user.role, 'settings') && (
          <form action={captureModeAction} className={styles.stat}>
            {t.captureMode}
            {(['on-return', 'manual'] as const).map((value) => (
              <label key={value} className={styles.choice}>
                <input type="radio" name="mode" value={value} defaultChecked={mode === value} />
                {value === 'on-return' ? t.captureOnReturn : t.captureManual}
              </label>
            ))}
            <button type="submit" className={ui.button} data-testid="save-mode">
              {t.save}
            </button>
          </form>
        )}
        {allows(user.role, 'settings') && (
          <form action={holdPolicyAction} className={styles.stat} data-testid="hold-policy">
            {t.holdPolicy}
            <select name="holdAction" defaultValue={policy.action} aria-label={t.holdPolicy} className={styles.input}>
              {(['alert', 'capture', 'cancel'] as const).map((value) => (
                <option key={value} value={value}>
                  {t.holdActions[value]}
                </option>
              ))}
            </select>
            <label className={styles.dateField}>
              {t.daysBefore}
              <input
                name="daysBefore"
                type="number"
                min={0}
                max={30}
                inputMode="numeric"
                defaultValue={policy.daysBefore}
                className={styles.input}
              />
            </label>
            <button type="submit" className={ui.button}>
              {t.save}
            </button>
          </form>
        )}
      </section>
      {params.refused === 'forbidden' && (
        <p role="alert" className={styles.error}>
          {t.refusals.forbidden}
        </p>
      )}
      <nav className={styles.filters} aria-label={t.state}>
        <Link href={href({ state: undefined })} className={`${styles.chip} ${state ? '' : styles.chipOn}`}>
          {t.all}
        </Link>
        {merchantStates.map((s: MerchantState) => (
          <Link key={s} href={href({ state: s })} className={`${styles.chip} ${state === s ? styles.chipOn : ''}`}>
            {t.states[s]}
          </Link>
        ))}
      </nav>
      <form className={styles.search} action="/merchant">
        {state && <input type="hidden" name="state" value={state} />}
        <label className={styles.dateField}>
          {t.dateFrom}
          <input type="date" name="from" defaultValue={from} className={styles.input} />
        </label>
        <label className={styles.dateField}>
          {t.dateTo}
          <input type="date" name="to" defaultValue={to} className={styles.input} />
        </label>
        <input name="q" defaultValue={filter.query} placeholder={t.search} aria-label={t.search} className={styles.input} />
        <button type="submit" className={ui.button}>
          {t.find}
        </button>
        <a href={`/merchant/orders.csv${href({}).replace('/merchant', '')}`} className={ui.button} download>
          {t.exportCsv}
        </a>
      </form>
      {page.rows.length === 0 ? (
        <p>{t.nothing}</p>
      ) : (
        <table className={styles.table} data-testid="orders">
          <thead>
            <tr>
              <th>{t.number}</th>
              <th>{t.date}</th>
              <th>{t.flow}</th>
              <th>{t.state}</th>
              <th>{t.amount}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row) => (
              <tr key={row.id} data-testid="order-row">
                <td>
                  <Link href={`/merchant/orders/${row.id}`} className={styles.tap}>
                    {row.number}
                  </Link>
                </td>
                <td>{formatMoment(row.created_at, lang)}</td>
                <td>{t.flows[row.flow] ?? row.flow}</td>
                <td>
                  <span className={styles.badge} data-state={merchantStateOf(row.attempt_state)}>
                    {t.states[merchantStateOf(row.attempt_state)]}
                  </span>
                  {row.payments > 1 && (
                    <span className={styles.badge} data-state="alert" data-testid="paid-twice">
                      {t.paidTimes(row.payments)}
                    </span>
                  )}
                </td>
                <td className={styles.num} data-testid="order-amount">
                  {formatRub(row.amount, lang)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.next && (
        <p>
          <Link href={href({ after: page.next })} className={ui.button}>
            {t.more}
          </Link>
        </p>
      )}
      {sandboxApi && <DemoMailbox mails={await latestCaught(db)} t={t} lang={lang} />}
      {sandboxApi && <SandboxApiSection api={sandboxApi} t={t} />}
    </main>
  );
}
