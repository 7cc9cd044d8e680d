'use client';
// "Add to cart". Before (or without) JavaScript it is a plain form post that lands on the cart.
// Once hydrated it sends `stay`: the shopper stays on the product, a confirmation appears next to
// the button (announced), and the header's badge follows the cart cookie the action rewrote.
import { IntentLink } from '@/app/_components/intent-link';
import { useActionState, useEffect, useSyncExternalStore } from 'react';
import { CART_CHANGED } from '@/app/_components/cart-link';
import { SubmitButton } from '@/app/_components/submit-button';
import ui from '@/app/_components/ui.module.css';
import type { Texts } from '@/app/_i18n/texts';
import { addToCartAction, type AddToCartState } from '@/app/[lang]/(per-request)/cart/actions';
import styles from './page.module.css';

type Props = {
  slug: string;
  maxQuantity: number;
  t: Pick<Texts, 'quantity' | 'quantityHint' | 'addToCart' | 'adding' | 'openCart'> & { added: string };
};

const initial: AddToCartState = { added: 0, seq: 0 };
const noSubscription = () => () => {};

export function AddToCartForm({ slug, maxQuantity, t }: Props) {
  const [state, formAction] = useActionState(addToCartAction, initial);
  // True only in a hydrated page: the server (and a browser without scripts) renders no `stay`.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  useEffect(() => {
    if (state.seq > 0) window.dispatchEvent(new Event(CART_CHANGED));
  }, [state.seq]);

  return (
    <form action={formAction} className={styles.form} data-testid="add-to-cart-form">
      <input type="hidden" name="slug" value={slug} />
      {hydrated && <input type="hidden" name="stay" value="yes" />}
      <label htmlFor="quantity" className={styles.label}>
        {t.quantity}
      </label>
      <input
        id="quantity"
        name="quantity"
        type="number"
        inputMode="numeric"
        min={1}
        max={maxQuantity}
        step={1}
        defaultValue={1}
        required
        aria-describedby="quantity-hint"
        className={styles.quantity}
      />
      <p id="quantity-hint" className={`${ui.muted} ${styles.hint}`}>
        {t.quantityHint}
      </p>
      <SubmitButton pendingText={t.adding} className={`${ui.button} ${ui.primary} ${ui.block}`}>
        {t.addToCart}
      </SubmitButton>
      <p role="status" className={styles.added} data-testid="added-to-cart">
        {state.seq > 0 && (
          <>
            {t.added.replace('{quantity}', String(state.added))} <IntentLink href="/cart">{t.openCart}</IntentLink>
          </>
        )}
      </p>
    </form>
  );
}
