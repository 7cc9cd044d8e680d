// The order page: its URL (a random 128-bit id) is its only key. It shows the truth from the
// gateway in plain words, the items, the delivery and the amount, never the phone or e-mail. It
// is also where the bank sends the shopper back (app/_server/order-page-sync.ts). Rendered per
// request and never cached; without JavaScript a processing order refreshes itself (at its plain
// address: a refresh is a look at the order, not another return).
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import card from '@/app/_components/card.module.css';
import { withKeptNumber } from '@/app/_components/keep-number';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { getServices } from '@/app/_server/services';
import { orderPage } from '@/app/_server/order-page-sync';
import { formatRub } from '@/lib/money';
import { PICKUP_POINT } from '@/lib/shop/delivery';
import { describeAddress } from '@/lib/payments/order-delivery';
import { OrderStatus } from './order-status';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ retry?: string; orderId?: string | string[] }> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { t } = await getTexts();
  const view = (await orderPage((await params).id, await searchParams))?.view;
  // Its address is the order's only key: never sent to another site. Same-origin, not no-referrer:
  // under no-referrer a browser posts the page's forms with `Origin: null`, which proxy.ts refuses
  // ("try again" without JavaScript).
  return { title: view ? t.orderTitle(view.number) : t.orderNotFound, robots: { index: false }, referrer: 'same-origin' };
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  const { lang, t } = await getTexts();
  const shown = await orderPage(id, query);
  // An unknown id is a 404 (./not-found.tsx says so in the shopper's language), so that nothing
  // reading the status, a crawler or a link checker, takes it for an order.
  if (!shown) notFound();
  const { view, cartSpent } = shown;
  return (
    <main>
      {!view.final && (
        <noscript>
          <meta httpEquiv="refresh" content={`5;url=/orders/${view.id}`} />
        </noscript>
      )}
      <h1 className={ui.title}>{withKeptNumber(t.orderTitle(view.number), view.number)}</h1>
      <OrderStatus
        initial={view}
        t={t.orderStatus}
        lang={lang}
        retryFailed={query.retry === 'failed'}
        returned={query.orderId !== undefined}
        cartSpent={cartSpent}
      />
      <section aria-labelledby="items" className={card.card}>
        <h2 id="items" className={card.heading}>
          {t.yourOrder}
        </h2>
        <ul className={card.items}>
          {view.items.map((item) => (
            <li key={item.slug} className={card.item}>
              <span>
                {item.name} × {item.quantity}
              </span>
              <span className={ui.price}>{formatRub(item.total, lang)}</span>
            </li>
          ))}
          {view.delivery && (
            <li className={card.item} data-testid="order-delivery">
              <span>{t.orderDelivery[view.delivery.method]}</span>
              <span className={ui.price}>{view.delivery.price === 0 ? t.orderDelivery.free : formatRub(view.delivery.price, lang)}</span>
            </li>
          )}
        </ul>
        <p className={card.total}>
          <span>{t.total}</span>
          <span className={ui.price} data-testid="order-total">
            {formatRub(view.amount, lang)}
          </span>
        </p>
        {view.delivery?.method === 'courier' && (
          <p data-testid="order-address">
            {t.orderDelivery.address}: {describeAddress(view.delivery.address)}
          </p>
        )}
        {view.delivery?.method === 'pickup' && (
          <p data-testid="order-pickup">
            {t.orderDelivery.pickupAt.replace('{address}', PICKUP_POINT.address[lang]).replace('{hours}', PICKUP_POINT.hours[lang])}
          </p>
        )}
        <p className={ui.muted}>
          {t.orderNumber}:{' '}
          <span className={ui.keep} data-testid="order-number">
            {view.number}
          </span>
        </p>
      </section>
      {(await getServices()).sandbox && (
        <Link href={`/orders/${encodeURIComponent(view.id)}/mail`} className={ui.backLink} data-testid="order-mail-link">
          {t.orderMail.link}
        </Link>
      )}
      <p>
        <Link href="/orders" className={ui.backLink} data-testid="my-orders-link">
          {t.myOrders.link}
        </Link>
      </p>
      <Link href="/" className={`${ui.button} ${ui.block}`}>
        {t.backToShop}
      </Link>
    </main>
  );
}
