// The catalogue: every product as a card linking to its page.
import { IntentLink } from '@/app/_components/intent-link';
import { ProductImage } from '@/app/_components/product-image';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/page-texts';
import { formatRub } from '@/lib/money';
import { products } from '@/lib/shop/catalogue';
import styles from './page.module.css';

// On a 360–430 px phone the first two rows are on screen; the rest load lazily as they scroll in.
const ABOVE_THE_FOLD = 4;

export default async function CataloguePage() {
  const { lang, t } = await getTexts();
  return (
    <main>
      <h1 className={ui.title}>{t.catalogue}</h1>
      <p className={styles.tagline}>{t.shopTagline}</p>
      <ul className={styles.grid} data-testid="product-grid">
        {products.map((product, index) => (
          <li key={product.slug}>
            {/* Prefetched on a touch, not all eight as the page loads (app/_components/intent-link.tsx). */}
            <IntentLink href={`/products/${product.slug}`} className={styles.card} data-testid="product-card">
              <ProductImage product={product} alt="" eager={index < ABOVE_THE_FOLD} className={styles.image} />
              <div className={styles.body}>
                <h2 className={styles.name}>{product.name[lang]}</h2>
                <p className={styles.description}>{product.description[lang]}</p>
                <span className={`${ui.price} ${styles.price}`}>{formatRub(product.price, lang)}</span>
              </div>
            </IntentLink>
          </li>
        ))}
      </ul>
    </main>
  );
}
