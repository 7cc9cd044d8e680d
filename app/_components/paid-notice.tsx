'use client';
// "Order N is paid", with a link to it: shown on every shopper page after the order this browser
// placed was paid, wherever that happened (lib/shop/paid-notice.ts, app/_server/spent-cart.ts),
// until the shopper hides it, opens the order, or the cookie expires. Pages rendered per request
// pass the notice they read on the server (it is there without JavaScript); prerendered pages
// read the cookie in the browser. A bar fixed to the bottom: appearing after hydration moves
// nothing on the page.
import { IntentLink } from './intent-link';
import { usePathname } from 'next/navigation';
import { useSyncExternalStore } from 'react';
import type { PaidNoticeTexts } from '@/app/_i18n/texts';
import { PAID_NOTICE_COOKIE, paidNoticeInCookies, paidNoticeValue, type PaidNotice as Notice } from '@/lib/shop/paid-notice';
import { withKeptNumber } from './keep-number';
import styles from './paid-notice.module.css';

type Props = { t: PaidNoticeTexts; serverNotice?: Notice };

const CHANGED = 'paid-notice-changed';

export function PaidNotice({ t, serverNotice }: Props) {
  // Compared as a string: a new object on every read would make React render for ever.
  const value = useSyncExternalStore(subscribe, readValue, () => (serverNotice ? paidNoticeValue(serverNotice) : ''));
  const notice = paidNoticeInCookies(`${PAID_NOTICE_COOKIE}=${value}`);
  // Never on that order's own page or its e-mails' page (on the server, too: the path as rewritten or not).
  const page = usePathname()
    .replace(/^\/(ru|en)(?=\/)/, '')
    .replace(/\/$/, '');
  if (!notice || page === `/orders/${notice.orderId}` || page === `/orders/${notice.orderId}/mail`) return null;
  return (
    <div className={styles.notice} role="status" data-testid="paid-notice">
      <p className={styles.text}>{withKeptNumber(t.paid.replace('{number}', notice.number), notice.number)}</p>
      <IntentLink href={`/orders/${notice.orderId}`} className={styles.open} onClick={forget}>
        {t.open}
      </IntentLink>
      <button type="button" className={styles.dismiss} onClick={forget} aria-label={t.dismiss}>
        ×
      </button>
    </div>
  );
}

function readValue(): string {
  const notice = paidNoticeInCookies(document.cookie);
  return notice ? paidNoticeValue(notice) : '';
}

function forget(): void {
  document.cookie = `${PAID_NOTICE_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
  window.dispatchEvent(new Event(CHANGED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('pageshow', onChange);
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('pageshow', onChange);
  };
}
