// The order page: its URL (a random 128-bit id) is its only key. It shows the truth from the
// gateway in plain words, the items, the delivery and the amount, never the phone or e-mail. It
// is also where the bank sends the shopper back (app/_server/order-page-sync.ts). Rendered per
// request and never cached; without JavaScript a processing order refreshes itself (at its plain
// address: a refresh is a look at the order, not another return).
//
// When the bank may have to be asked (a return, or a poll of an open payment), the page is sent in
// two parts: its frame at once, the payment state when the bank has answered. The phone loads the
// frame's styles and scripts while the bank is read, instead of after. It paints nothing before
// the answer (`<link rel="expect" blocking="render">` waits for #order-answer), so the shopper
// never sees "being processed" flash to "paid", and React reveals the answer in the first frame
// (its 300 ms throttle on revealing streamed parts counts from a first paint, which has not
// happened yet). Without JavaScript the part sent later stays hidden: the shopper sees the state
// as recorded and the page refreshes itself a second later.
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import { notFound, redirect } from 'next/navigation';
import { Suspense, type ReactNode } from 'react';
import card from '@/app/_components/card.module.css';
import { withKeptNumber } from '@/app/_components/keep-number';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { getServices } from '@/app/_server/services';
import { orderPage, recordedOrder } from '@/app/_server/order-page-sync';
import { formatRub } from '@/lib/money';
import { PICKUP_POINT } from '@/lib/shop/delivery';
import { describeAddress } from '@/lib/payments/order-delivery';
import type { OrderView } from '@/lib/shop/order-view';
import { OrderStatus } from './order-status';

type Query = { retry?: string; orderId?: string | string[] };
type Props = { params: Promise<{ id: string }>; searchParams: Promise<Query> };

/** The element the page's first paint waits for: the payment state as the bank gave it. */
const ANSWER_ID = 'order-answer';

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { t } = await getTexts();
  const view = await recordedOrder((await params).id);
  // Its address is the order's only key: never sent to another site. Same-origin, not no-referrer:
  // under no-referrer a browser posts the page's forms with `Origin: null`, which proxy.ts refuses
  // ("try again" without JavaScript).
  return { title: view ? t.orderTitle(view.number) : t.orderNotFound, robots: { index: false }, referrer: 'same-origin' };
}

/** The payment state after this request's one sync with the bank (app/_server/order-page-sync.ts). */
async function SyncedStatus({
  id,
  query,
  recorded,
  render,
}: {
  id: string;
  query: Query;
  recorded: OrderView;
  render: (view: OrderView, cartSpent: boolean) => ReactNode;
}) {
  const shown = await orderPage(id, query);
  return render(shown?.view ?? recorded, shown?.cartSpent ?? false);
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  // The bank first: its round trip is the shopper's wait, and the frame's own reads fit inside it.
  // SyncedStatus asks for the same request's sync (React cache) and waits for this one; caught here
  // for the orders that never render it (unknown ids), where a failure has no one else to go to.
  orderPage(id, query).catch(() => undefined);
  const { lang, t } = await getTexts();
  const view = await recordedOrder(id);
  const returned = query.orderId !== undefined;
  // An unknown id is a 404 (./not-found.tsx says so in the shopper's language), so that nothing
  // reading the status, a crawler or a link checker, takes it for an order. A look at one never
  // gets here: proxy.ts answers it with the prerendered "no such order" page. The bank's return
  // skips the proxy, and Next's answer to notFound() is a document only its JavaScript fills in:
  // the return goes on to the order's plain address, where the proxy answers.
  if (!view) return returned ? redirect(`/orders/${encodeURIComponent(id)}`) : notFound();
  const status = (shown: OrderView, cartSpent: boolean, answer: boolean) => (
    <OrderStatus
      id={answer ? ANSWER_ID : undefined}
      initial={shown}
      t={t.orderStatus}
      lang={lang}
      retryFailed={query.retry === 'failed'}
      returned={returned}
      cartSpent={cartSpent}
    />
  );
  // Items, delivery and amount never change with the payment: only the state waits for the bank.
  const synced = <SyncedStatus id={id} query={query} recorded={view} render={(shown, cartSpent) => status(shown, cartSpent, true)} />;
  return (
    <main>
      {!view.final && (
        <>
          <link rel="expect" href={`#${ANSWER_ID}`} blocking="render" />
          <noscript>
            <meta httpEquiv="refresh" content={`${returned ? 1 : 5};url=/orders/${view.id}`} />
          </noscript>
        </>
      )}
      <h1 className={ui.title}>{withKeptNumber(t.orderTitle(view.number), view.number)}</h1>
      {view.final ? synced : <Suspense fallback={status(view, false, false)}>{synced}</Suspense>}
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
        <IntentLink href={`/orders/${encodeURIComponent(view.id)}/mail`} className={ui.backLink} data-testid="order-mail-link">
          {t.orderMail.link}
        </IntentLink>
      )}
      <p>
        <IntentLink href="/orders" className={ui.backLink} data-testid="my-orders-link">
          {t.myOrders.link}
        </IntentLink>
      </p>
      <IntentLink href="/" className={`${ui.button} ${ui.block}`}>
        {t.backToShop}
      </IntentLink>
    </main>
  );
}
