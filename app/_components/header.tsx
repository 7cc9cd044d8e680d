// The shop's header: name (home link), language switch, cart link with the item count.
//
// The badge is rendered here on the server, not by a client component reading document.cookie:
// the `lang` cookie already makes every page render per request (the root layout needs it for
// <html lang>), so reading `cart` too costs nothing more, needs no JavaScript, and the count is
// in the first HTML paint: no empty badge filling in after hydration, no layout shift. Every cart
// change is a server action that redirects, so the header is re-rendered with the new count.
import Link from 'next/link';
import { switchLang } from '@/app/_i18n/actions';
import type { Texts } from '@/app/_i18n/texts';
import { readCart } from '@/app/_server/cart-cookie';
import { priceCart } from '@/lib/shop/cart';
import styles from './header.module.css';

export async function Header({ t }: { t: Texts }) {
  const { count } = priceCart(await readCart());
  return (
    <header className={styles.header}>
      <div className={styles.bar}>
        <Link href="/" className={styles.home}>
          {t.shopName}
        </Link>
        <form action={switchLang}>
          <input type="hidden" name="lang" value={t.otherLang} />
          <button type="submit" className={styles.lang} lang={t.otherLang} data-testid="lang-switch">
            {t.otherLangName}
          </button>
        </form>
        <Link href="/cart" className={styles.cart} aria-label={t.cartBadgeLabel(count)} data-testid="cart-link">
          <CartIcon />
          <span className={styles.cartText}>{t.cart}</span>
          {count > 0 && (
            <span className={styles.badge} data-testid="cart-badge">
              {count}
            </span>
          )}
        </Link>
      </div>
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
