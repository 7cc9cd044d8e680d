'use client';
// The header's cart link with its item-count badge. The catalogue and product pages are
// prerendered (the same bytes for every shopper), so the count comes from the `cart_count` cookie
// in the browser; pages rendered per request pass the count they read from `cart` on the server,
// so it is in the first paint there, with or without JavaScript.
//
// The badge sits in a slot of fixed width (up to three digits) that is there even when empty: it
// filling in after hydration moves nothing (CLS 0).
//
// It reads the cookie again whenever it renders: the layout holding it renders again after every
// cart change (each is a server action that sets cookies, after which Next sends the whole tree),
// it mounts afresh when navigation moves between prerendered and per-request pages, and it listens
// for the page coming back into view (another tab may have changed the cart, or bfcache restored)
// and for CART_CHANGED (the order page's poll emptied the cart: the order was paid).
import { IntentLink } from './intent-link';
import { useSyncExternalStore, type ReactNode } from 'react';
import { cartLabel } from '@/app/_i18n/cart-label';
import type { Lang } from '@/app/_i18n/langs';
import { cartCountInCookies } from '@/lib/shop/cart-count';
import styles from './header.module.css';

type Props = { lang: Lang; serverCount?: number; children: ReactNode };

/** Dispatched on window by scripts that changed the cart cookies without a render. */
export const CART_CHANGED = 'cart-changed';

export function CartLink({ lang, serverCount, children }: Props) {
  const count = useSyncExternalStore(subscribe, readCount, () => serverCount ?? 0);
  return (
    <IntentLink href="/cart" className={styles.cart} aria-label={cartLabel(lang, count)} data-testid="cart-link">
      {children}
      {/* A space between the word and the count: read as one word ("Корзина3") the visible text
          is not part of the accessible name, which speech input relies on. Flex drops it from layout. */}{' '}
      <span className={styles.badgeSlot}>
        {count > 0 && (
          <span className={styles.badge} data-testid="cart-badge">
            {count}
          </span>
        )}
      </span>
    </IntentLink>
  );
}

function readCount(): number {
  return cartCountInCookies(document.cookie);
}

function subscribe(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  window.addEventListener('pageshow', onChange);
  window.addEventListener(CART_CHANGED, onChange);
  return () => {
    window.removeEventListener(CART_CHANGED, onChange);
    document.removeEventListener('visibilitychange', onChange);
    window.removeEventListener('pageshow', onChange);
  };
}
