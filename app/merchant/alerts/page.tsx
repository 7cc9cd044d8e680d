// Alerts: open ones first, each with what happened, the order, and whether the webhook has it;
// an operator or the owner acknowledges one (the audit log says who). Read-only for a viewer.
import type { Metadata } from 'next';
import Link from 'next/link';
import ui from '@/app/_components/ui.module.css';
import { getServices } from '@/app/_server/services';
import { listAlerts } from '@/lib/alerts/alerts';
import { alertTitle, detailsLine } from '@/lib/alerts/alert-text';
import { allows } from '@/lib/console/roles';
import { getMerchantTexts, requireMerchant } from '../_auth';
import { formatMoment } from '../_format';
import { acknowledgeAlertAction } from '../actions';
import styles from '../console.module.css';
import { SubpageHead } from '../_subpage-head';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const user = await requireMerchant('read');
  const { lang, t } = await getMerchantTexts();
  const alerts = await listAlerts((await getServices()).db);
  const refused = (await searchParams).refused === 'forbidden';
  const canAcknowledge = allows(user.role, 'alerts');
  return (
    <main className={styles.page}>
      <SubpageHead back={t.orders} title={t.alerts} />
      {refused && <p role="alert">{t.userRefusals.forbidden}</p>}
      {alerts.length === 0 && <p>{t.alertsNone}</p>}
      <ul className={styles.alerts} data-testid="alerts">
        {alerts.map((alert) => (
          <li key={alert.id} data-testid="alert" data-kind={alert.kind} data-open={alert.acknowledgedAt === null}>
            <strong>{alertTitle(alert.kind, lang)}</strong>
            <span className={ui.muted}>
              {' '}
              {formatMoment(alert.createdAt, lang)} · {t.alertDelivery[alert.delivery]}
            </span>
            {Object.keys(alert.details).length > 0 && <p className={styles.alertDetails}>{detailsLine(alert.details, lang)}</p>}
            {alert.orderId && (
              <p>
                <Link href={`/merchant/orders/${alert.orderId}`} className={styles.tap}>
                  {t.alertOrder}: {alert.orderId}
                </Link>
              </p>
            )}
            {alert.acknowledgedAt !== null ? (
              <p className={ui.muted}>{t.acknowledgedBy(alert.acknowledgedBy ?? '')}</p>
            ) : (
              canAcknowledge && (
                <form action={acknowledgeAlertAction}>
                  <input type="hidden" name="alertId" value={alert.id} />
                  <button type="submit" className={ui.button}>
                    {t.acknowledge}
                  </button>
                </form>
              )
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}
