// A product page, prerendered for every product in both languages. "Add to cart" is a <form>
// posting to a server action, so it works before (or without) JavaScript (then it lands on the
// cart); with JavaScript the shopper stays and sees a confirmation.
import type { Metadata } from 'next';
import { IntentLink } from '@/app/_components/intent-link';
import { EmptyState } from '@/app/_components/empty-state';
import { ProductImage } from '@/app/_components/product-image';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { UNKNOWN_PRODUCT } from '@/app/_server/shopper-routes';
import { formatRub } from '@/lib/money';
import { MAX_QUANTITY } from '@/lib/shop/cart';
import { findProduct, products } from '@/lib/shop/catalogue';
import { AddToCartForm } from './add-to-cart-form';
import styles from './page.module.css';

type Props = { params: Promise<{ slug: string }> };

// The catalogue is code: every product is known at build time. Nothing is rendered on demand;
// the proxy sends any other slug to UNKNOWN_PRODUCT, prerendered as "no such product".
export const dynamicParams = false;

export function generateStaticParams(): { slug: string }[] {
  return [...products.map((product) => ({ slug: product.slug })), { slug: UNKNOWN_PRODUCT }];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = findProduct((await params).slug);
  const { lang, t } = await getTexts();
  if (!product) return { title: t.productNotFound, robots: { index: false } };
  return { title: product.name[lang], description: product.description[lang] };
}

export default async function ProductPage({ params }: Props) {
  const product = findProduct((await params).slug);
  const { lang, t } = await getTexts();
  // UNKNOWN_PRODUCT, answered 404 by proxy.ts. Rendered as a page, not through notFound(): Next
  // sends a page that calls notFound() as an empty document that only its JavaScript fills in.
  if (!product) return <EmptyState title={t.productNotFound} hint={t.productNotFoundHint} linkText={t.goToCatalogue} />;
  const name = product.name[lang];
  return (
    <main>
      <IntentLink href="/" className={ui.backLink}>
        {t.allProducts}
      </IntentLink>
      <ProductImage product={product} alt={name} eager className={styles.image} />
      <h1 className={styles.name}>{name}</h1>
      <p className={`${ui.muted} ${styles.description}`}>{product.description[lang]}</p>
      <p className={`${ui.price} ${styles.price}`} data-testid="product-price">
        {formatRub(product.price, lang)}
      </p>
      <AddToCartForm
        slug={product.slug}
        maxQuantity={MAX_QUANTITY}
        t={{
          quantity: t.quantity,
          quantityHint: t.quantityHint,
          addToCart: t.addToCart,
          adding: t.adding,
          openCart: t.openCart,
          added: t.addedToCart,
        }}
      />
    </main>
  );
}
