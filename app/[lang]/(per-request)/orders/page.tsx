// "My orders": the orders this browser placed (its signed `orders` cookie), newest first, each with
// its number, date, amount and state in plain words and a link to its page; and "find my orders"
// by e-mail for those placed elsewhere, which mails the links and never lists anything here.
// Never shows a phone or an e-mail. Rendered per request; works without JavaScript.
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import card from '@/app/_components/card.module.css';
import { withKeptNumber } from '@/app/_components/keep-number';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { readRecentOrders } from '@/app/_server/recent-orders-cookie';
import { getServices } from '@/app/_server/services';
import { formatRub } from '@/lib/money';
import { formatOrderDate } from '@/lib/shop/order-date';
import { recentOrderViews } from '@/lib/shop/recent-order-views';
import { FindOrdersForm } from './find-orders-form';
import styles from './page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  // No `referrer: 'no-referrer'` as on the order page: its URL holds no key, and under that policy
  // a browser posts the form without JavaScript with `Origin: null`, which proxy.ts refuses.
  return { title: t.myOrders.title, robots: { index: false } };
}

export default async function MyOrdersPage() {
  const { lang, t } = await getTexts();
  const orders = await recentOrderViews((await getServices()).db, await readRecentOrders());
  return (
    <main>
      <h1 className={ui.title}>{t.myOrders.title}</h1>
      {orders.length === 0 ? (
        <p className={ui.muted} data-testid="my-orders-empty">
          {t.myOrders.empty}
        </p>
      ) : (
        <>
          <p className={ui.muted}>{t.myOrders.intro}</p>
          <ul className={styles.orders}>
            {orders.map((order) => {
              const partly = order.state === 'refunded' && order.refund !== null && order.refund.refunded < order.refund.captured;
              return (
                <li key={order.id} className={styles.order} data-testid="my-order" data-state={order.state}>
                  <IntentLink href={`/orders/${encodeURIComponent(order.id)}`} className={styles.orderLink}>
                    {withKeptNumber(t.myOrders.order.replace('{number}', order.number), order.number)}
                  </IntentLink>
                  <span className={`${ui.price} ${styles.amount}`}>{formatRub(order.amount, lang)}</span>
                  <span className={ui.muted}>{formatOrderDate(order.createdAt, lang)}</span>
                  <span className={`${styles.state} ${styles[order.state]}`} data-testid="my-order-state">
                    {partly ? t.orderStatus.partlyRefunded : t.orderStatus.titles[order.state]}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <section aria-labelledby="find-orders" className={card.card}>
        <h2 id="find-orders" className={card.heading}>
          {t.myOrders.findTitle}
        </h2>
        <p className={ui.muted}>{t.myOrders.findIntro}</p>
        <FindOrdersForm t={t.myOrders} />
      </section>
      <IntentLink href="/" className={`${ui.button} ${ui.block}`}>
        {t.backToShop}
      </IntentLink>
    </main>
  );
}
