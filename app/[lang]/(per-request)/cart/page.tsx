// The cart: lines priced from the catalogue on the server (the cookie holds only slugs and
// quantities), steppers and remove buttons as plain forms (no JavaScript needed), the total,
// and the way on to checkout.
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import { EmptyState } from '@/app/_components/empty-state';
import { ProductImage } from '@/app/_components/product-image';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { readCart } from '@/app/_server/cart-cookie';
import { formatRub } from '@/lib/money';
import { MAX_QUANTITY, priceCart, type CartLine } from '@/lib/shop/cart';
import type { Texts, Lang } from '@/app/_i18n/texts';
import { setQuantityAction } from './actions';
import styles from './page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return { title: t.cart };
}

export default async function CartPage() {
  const { lang, t } = await getTexts();
  const cart = priceCart(await readCart());
  if (cart.lines.length === 0) {
    return (
      <EmptyState title={t.cart} lead={{ text: t.cartEmpty, testId: 'cart-empty' }} hint={t.cartEmptyHint} linkText={t.goToCatalogue}>
        <MyOrdersLink text={t.myOrders.link} />
      </EmptyState>
    );
  }
  return (
    <main>
      <h1 className={ui.title}>{t.cart}</h1>
      <ul className={styles.lines}>
        {cart.lines.map((line, index) => (
          <CartLineItem key={line.product.slug} line={line} lang={lang} t={t} eager={index < 3} />
        ))}
      </ul>
      <div className={styles.summary}>
        <span>{t.total}</span>
        <span className={ui.price} data-testid="cart-total">
          {formatRub(cart.total, lang)}
        </span>
      </div>
      <IntentLink href="/checkout" className={`${ui.button} ${ui.primary} ${ui.block}`}>
        {t.checkout}
      </IntentLink>
      <IntentLink href="/" className={`${ui.button} ${ui.block} ${styles.continue}`}>
        {t.continueShopping}
      </IntentLink>
      <MyOrdersLink text={t.myOrders.link} />
    </main>
  );
}

/** Where a shopper looks for what they bought: the cart, and the order page. */
function MyOrdersLink({ text }: { text: string }) {
  return (
    <p>
      <IntentLink href="/orders" className={ui.backLink} data-testid="my-orders-link">
        {text}
      </IntentLink>
    </p>
  );
}

type LineProps = { line: CartLine; lang: Lang; t: Texts; eager: boolean };

function CartLineItem({ line, lang, t, eager }: LineProps) {
  const { product, quantity } = line;
  return (
    <li className={styles.line} data-testid={`cart-line-${product.slug}`}>
      <ProductImage product={product} alt="" eager={eager} className={styles.thumb} />
      <div className={styles.info}>
        <IntentLink href={`/products/${product.slug}`} className={styles.name}>
          {product.name[lang]}
        </IntentLink>
        <span className={ui.muted}>{t.unitPrice(formatRub(product.price, lang))}</span>
      </div>
      {/* Plain forms, each button carrying its target quantity; "remove" sends 0. */}
      <form action={setQuantityAction} className={styles.removeForm}>
        <input type="hidden" name="slug" value={product.slug} />
        <button type="submit" name="quantity" value={0} className={styles.remove}>
          {t.remove}
        </button>
      </form>
      <div className={styles.bottom}>
        <form action={setQuantityAction} className={styles.controls}>
          <input type="hidden" name="slug" value={product.slug} />
          <button
            type="submit"
            name="quantity"
            value={quantity - 1}
            disabled={quantity <= 1}
            aria-label={t.decrease}
            className={styles.step}
          >
            −
          </button>
          <span className={styles.quantity} data-testid="line-quantity">
            {quantity}
          </span>
          <button
            type="submit"
            name="quantity"
            value={quantity + 1}
            disabled={quantity >= MAX_QUANTITY}
            aria-label={t.increase}
            className={styles.step}
          >
            +
          </button>
        </form>
        <span className={ui.price} data-testid="line-total">
          {formatRub(line.total, lang)}
        </span>
      </div>
    </li>
  );
}
