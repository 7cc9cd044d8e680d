// The owner's audit log: the last 500 log-ins, log-outs, money actions and user changes.
import type { Metadata } from 'next';
import ui from '@/app/_components/ui.module.css';
import { getServices } from '@/app/_server/services';
import { auditEntries } from '@/lib/console/audit';
import { getMerchantTexts, requireMerchant } from '../_auth';
import { formatMoment } from '../_format';
import styles from '../console.module.css';
import { SubpageHead } from '../_subpage-head';
import { auditWords } from './audit-words';

export const metadata: Metadata = { title: 'Merchant', robots: { index: false, follow: false } };

export default async function AuditPage() {
  await requireMerchant('audit');
  const { lang, t } = await getMerchantTexts();
  const rows = await auditEntries((await getServices()).db, {});
  return (
    <main className={styles.page}>
      <SubpageHead back={t.orders} title={t.audit} />
      <p>
        <a href="/merchant/audit.csv" download className={ui.button}>
          {t.auditCsv}
        </a>
      </p>
      <table data-testid="audit" className={`${styles.table} ${styles.auditTable}`}>
        <thead>
          <tr>
            {t.auditColumns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const words = auditWords(row, t, lang);
            return (
              <tr key={row.id} data-action={row.action} data-outcome={row.outcome}>
                <td>{formatMoment(row.at, lang)}</td>
                <td>{row.actor}</td>
                <td>{row.address}</td>
                <td>{words.action}</td>
                <td className={styles.subject}>{words.subject}</td>
                <td>{words.outcome}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </main>
  );
}
