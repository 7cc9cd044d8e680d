// The demo's mailbox for one order: with the sandbox on, the e-mails the shop "sent" about this
// order (lib/mail/catcher.ts). The order's random id is the key, as for the order page; without
// the sandbox there is no such page.
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import { notFound } from 'next/navigation';
import card from '@/app/_components/card.module.css';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { getServices } from '@/app/_server/services';
import { caughtForOrder } from '@/lib/mail/catcher';
import { findOrder } from '@/lib/payments/orders';
import styles from '../page.module.css';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return { title: t.orderMail.title, robots: { index: false }, referrer: 'same-origin' };
}

export default async function OrderMailPage({ params }: Props) {
  const { id } = await params;
  const { t } = await getTexts();
  const services = await getServices();
  const order = services.sandbox ? await findOrder(services.db, id) : undefined;
  if (!order) notFound();
  const mails = await caughtForOrder(services.db, order.id);
  return (
    <main>
      <IntentLink href={`/orders/${encodeURIComponent(order.id)}`} className={ui.backLink}>
        {t.orderMail.back}
      </IntentLink>
      <h1 className={ui.title}>{t.orderMail.title}</h1>
      <p className={ui.muted}>{t.orderMail.note}</p>
      {mails.length === 0 && <p data-testid="no-mail">{t.orderMail.none}</p>}
      {mails.map((mail) => (
        <article key={mail.id} className={card.card} data-testid="caught-mail">
          <h2 className={card.heading}>{mail.subject}</h2>
          <p className={ui.muted}>{mail.to_address}</p>
          <pre className={styles.mailText}>{mail.text}</pre>
        </article>
      ))}
    </main>
  );
}
