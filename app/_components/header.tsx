// The shop's header: name (home link), language switch, cart link with the item count.
// Below it, fixed to the bottom, the "order paid" notice (./paid-notice.tsx).
// Rendered from the page's language alone, so it can be part of a prerendered page; the count
// is the client-side CartLink's business (see ./cart-link.tsx).
import { IntentLink } from './intent-link';
import { switchLang } from '@/app/_i18n/actions';
import type { Texts } from '@/app/_i18n/texts';
import type { Lang } from '@/app/_i18n/langs';
import type { PaidNotice as Notice } from '@/lib/shop/paid-notice';
import { CartLink } from './cart-link';
import { PaidNotice } from './paid-notice';
import styles from './header.module.css';

type Props = {
  lang: Lang;
  t: Texts;
  /** The count read from the `cart` cookie, on pages rendered per request; absent on prerendered ones. */
  count?: number;
  /** "Order N is paid", read from the cookie on pages rendered per request (./paid-notice.tsx). */
  notice?: Notice;
};

export function Header({ lang, t, count, notice }: Props) {
  return (
    <header className={styles.header}>
      <div className={styles.bar}>
        <IntentLink href="/" className={styles.home}>
          {t.shopName}
        </IntentLink>
        <form action={switchLang}>
          <input type="hidden" name="lang" value={t.otherLang} />
          <button type="submit" className={styles.lang} lang={t.otherLang} data-testid="lang-switch">
            {t.otherLangName}
          </button>
        </form>
        <CartLink lang={lang} serverCount={count}>
          <CartIcon />
          <span className={styles.cartText}>{t.cart}</span>
        </CartLink>
      </div>
      <PaidNotice t={t.paidNotice} serverNotice={notice} />
    </header>
  );
}

function CartIcon() {
  return (
    <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M3 4h2l2.4 10.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 1.9-1.4L21 8H6.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <circle cx="10" cy="20" r="1.6" fill="currentColor" />
      <circle cx="17" cy="20" r="1.6" fill="currentColor" />
    </svg>
  );
}
