// The demo's mailbox in the console: every e-mail the sandbox's catcher kept, newest first, each
// with its order. Shown only while the sandbox is on. "Find my orders" is about an address, not an
// order: no shopper's page shows it (it lists that address's orders), so it is read here.
import Link from 'next/link';
import type { CaughtMail } from '@/lib/mail/catcher';
import { formatMoment } from './_format';
import type { MerchantTexts } from './_texts';
import styles from './console.module.css';

export function DemoMailbox({
  mails,
  t,
  lang,
}: {
  mails: (CaughtMail & { language: string | null })[];
  t: MerchantTexts;
  lang: 'ru' | 'en';
}) {
  return (
    <section className={styles.card} data-testid="demo-mailbox">
      <h2>{t.demoMail}</h2>
      <p>{t.demoMailHint}</p>
      {mails.length === 0 && <p>{t.noMail}</p>}
      <ul>
        {mails.map((mail) => (
          <li key={mail.id} data-testid="merchant-caught-mail">
            {formatMoment(mail.caught_at, lang)} · {mail.to_address} ·{' '}
            {/* The subject is the shopper's, in the order's language, whatever the console's. */}
            {mail.order_id ? (
              <Link href={`/merchant/orders/${encodeURIComponent(mail.order_id)}`} lang={mail.language ?? undefined}>
                {mail.subject}
              </Link>
            ) : (
              <details className={styles.disclosure}>
                <summary>{mail.subject}</summary>
                <p className={styles.mailText}>{mail.text}</p>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
