'use client';
// The live part of the order page: the payment state in plain words. While the payment is being
// processed it polls /api/orders/<id> (which syncs with the gateway at a bounded rate) and stops
// as soon as the state is final. The server renders the first state, so nothing shifts on load.
import { useEffect } from 'react';
import useSWR from 'swr';
import { CART_CHANGED } from '@/app/_components/cart-link';
import ui from '@/app/_components/ui.module.css';
import { SubmitButton } from '@/app/_components/submit-button';
import type { Lang, OrderStatusTexts } from '@/app/_i18n/texts';
import { formatRub } from '@/lib/money';
import type { OrderView } from '@/lib/shop/order-view';
import { retryPaymentAction } from './actions';
import styles from './page.module.css';

const POLL_MS = 2000;

async function fetchView(url: string): Promise<OrderView> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as OrderView;
}

export function OrderStatus({
  id,
  initial,
  t,
  lang,
  retryFailed,
  returned,
  cartSpent,
}: {
  /** The element's id: the page's first paint waits for the state the bank gave (see the page). */
  id?: string;
  initial: OrderView;
  t: OrderStatusTexts;
  lang: Lang;
  retryFailed: boolean;
  /** Shown on the shopper's return from the bank (the address carries the gateway's orderId). */
  returned: boolean;
  /** That return secured this browser's order: its cart is to be emptied (see below). */
  cartSpent: boolean;
}) {
  const { data } = useSWR(`/api/orders/${initial.id}`, fetchView, {
    fallbackData: initial,
    revalidateOnMount: !initial.final,
    revalidateOnFocus: !initial.final,
    refreshInterval: (latest) => (latest?.final ? 0 : POLL_MS),
  });
  const view = data ?? initial;
  useEffect(() => {
    // The plain address from now on: a reload or a shared link is a look at the order, not a return.
    if (returned) window.history.replaceState(window.history.state, '', window.location.pathname);
    // The page could not set cookies; the poll endpoint empties the cart (it was paid or held by
    // this very return), and the badge reads it again.
    if (cartSpent)
      void fetch(`/api/orders/${initial.id}`, { cache: 'no-store' }).then(
        () => window.dispatchEvent(new Event(CART_CHANGED)),
        () => undefined,
      );
  }, [returned, cartSpent, initial.id]);
  // The poll that found the order paid or held emptied the cart (app/api/orders/[id]): the badge reads it again.
  useEffect(() => {
    if (view.state !== initial.state) window.dispatchEvent(new Event(CART_CHANGED));
  }, [view.state, initial.state]);
  const partly = view.state === 'refunded' && view.refund !== null && view.refund.refunded < view.refund.captured;
  return (
    <section
      id={id}
      className={`${styles.status} ${styles[view.state]}`}
      data-testid="order-status"
      data-state={view.state}
      aria-live="polite"
    >
      <h2 className={styles.statusTitle}>{partly ? t.partlyRefunded : t.titles[view.state]}</h2>
      {view.reason && (
        <p className={styles.reason} data-testid="order-reason">
          {t.reasons[view.reason]}
        </p>
      )}
      {!partly && <p className={styles.detail}>{view.capturing && view.state === 'held' ? t.capturing : t.details[view.state]}</p>}
      {view.refund && (
        <p className={styles.detail} data-testid="order-refund">
          {t.refundedOf
            .replace('{refunded}', formatRub(view.refund.refunded, lang))
            .replace('{captured}', formatRub(view.refund.captured, lang))}
        </p>
      )}
      {retryFailed && view.canRetry && (
        <p role="alert" className={styles.retryFailed}>
          {t.retryFailed}
        </p>
      )}
      {view.canRetry && (
        <form action={retryPaymentAction}>
          <input type="hidden" name="orderId" value={view.id} />
          <SubmitButton pendingText={t.pending} className={`${ui.button} ${ui.primary} ${ui.block}`}>
            {t.tryAgain}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}
