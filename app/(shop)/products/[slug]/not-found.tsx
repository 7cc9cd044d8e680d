// Shown for an unknown product slug (notFound() in ./page.tsx), in the shopper's language.
import Link from 'next/link';
import ui from '@/app/_components/ui.module.css';
import { getTexts } from '@/app/_i18n/lang';

export default async function ProductNotFound() {
  const { t } = await getTexts();
  return (
    <main>
      <h1 className={ui.title}>{t.productNotFound}</h1>
      <p className={ui.muted}>{t.productNotFoundHint}</p>
      <Link href="/" className={`${ui.button} ${ui.primary}`}>
        {t.goToCatalogue}
      </Link>
    </main>
  );
}
