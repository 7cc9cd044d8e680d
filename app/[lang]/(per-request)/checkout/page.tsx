// Checkout: the order summary priced on the server from the cart cookie, the contact and delivery
// form with the totals for each delivery (the catalogue's rules), and one "Pay" button. A fresh
// idempotency key per rendering, or the open order's key when this browser already has one for
// the same cart (back from the bank), or the key of the form "Pay" has just sent back, so "Pay"
// never registers twice.
import { randomBytes } from 'node:crypto';
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import card from '@/app/_components/card.module.css';
import { EmptyState } from '@/app/_components/empty-state';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { readCart } from '@/app/_server/cart-cookie';
import { readCheckoutOrder } from '@/app/_server/checkout-cookie';
import { getServices } from '@/app/_server/services';
import { formatRub, sum } from '@/lib/money';
import { priceCart } from '@/lib/shop/cart';
import { earlierOrder, openCheckoutKey } from '@/lib/shop/checkout';
import { DELIVERY_RULES, PICKUP_POINT, deliveryPrice } from '@/lib/shop/delivery';
import { CheckoutForm } from './checkout-form';
import { keptFormState } from './form-cookie';
import { EMPTY_VALUES } from './state';
import styles from './page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return { title: t.checkoutTitle, robots: { index: false } };
}

export default async function CheckoutPage() {
  const { lang, t } = await getTexts();
  const cart = await readCart();
  const priced = priceCart(cart);
  if (priced.lines.length === 0) {
    return (
      <EmptyState
        title={t.checkoutTitle}
        lead={{ text: t.cartEmpty, testId: 'checkout-empty' }}
        hint={t.checkoutEmptyHint}
        linkText={t.goToCatalogue}
      />
    );
  }
  const services = await getServices();
  const openOrder = await readCheckoutOrder();
  // Sent back by "Pay" with what was typed and what went wrong: its key, so that posting again
  // reuses the same order.
  const kept = await keptFormState();
  const checkoutKey =
    kept?.checkoutKey ?? ((openOrder && (await openCheckoutKey(services.shop, openOrder, cart))) || randomBytes(18).toString('base64url'));
  const earlier = openOrder ? await earlierOrder(services.shop, openOrder, cart) : undefined;
  const pickup = PICKUP_POINT;
  const price = (method: 'courier' | 'pickup') => deliveryPrice(method, priced.total);
  const shown = (kopecks: number) => (kopecks === 0 ? t.checkoutForm.free : formatRub(kopecks, lang));
  return (
    <main>
      <h1 className={ui.title}>{t.checkoutTitle}</h1>
      <section aria-labelledby="summary" className={card.card}>
        <h2 id="summary" className={card.heading}>
          {t.yourOrder}
        </h2>
        <ul className={card.items}>
          {priced.lines.map((line) => (
            <li key={line.product.slug} className={card.item} data-testid={`summary-${line.product.slug}`}>
              <span>
                {line.product.name[lang]} × {line.quantity}
              </span>
              <span className={ui.price}>{formatRub(line.total, lang)}</span>
            </li>
          ))}
        </ul>
        <IntentLink href="/cart" className={ui.backLink}>
          {t.editCart}
        </IntentLink>
      </section>
      <CheckoutForm
        t={t.checkoutForm}
        amounts={{
          goods: formatRub(priced.total, lang),
          total: {
            courier: formatRub(sum([priced.total, price('courier')]), lang),
            pickup: formatRub(sum([priced.total, price('pickup')]), lang),
          },
        }}
        offer={{
          courier: shown(price('courier')),
          pickup: shown(price('pickup')),
          courierRule: t.checkoutForm.courierRule.replace('{threshold}', formatRub(DELIVERY_RULES.courier.freeFrom, lang)),
          pickupAt: t.checkoutForm.pickupAt.replace('{address}', pickup.address[lang]).replace('{hours}', pickup.hours[lang]),
        }}
        state={{ checkoutKey, values: kept?.values ?? EMPTY_VALUES, errors: kept?.errors ?? {}, failure: kept?.failure, earlier }}
        demoFlow={services.sandbox ? services.paymentFlow : undefined}
      />
      <p className={`${ui.muted} ${styles.note}`}>{t.payNote}</p>
    </main>
  );
}
