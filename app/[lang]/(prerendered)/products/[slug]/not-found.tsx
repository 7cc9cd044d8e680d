// Shown for an unknown product slug (notFound() in ./page.tsx), in the shopper's language.
import { EmptyState } from '@/app/_components/empty-state';
import { getTexts } from '@/app/_i18n/page-texts';

export default async function ProductNotFound() {
  const { t } = await getTexts();
  return <EmptyState title={t.productNotFound} hint={t.productNotFoundHint} linkText={t.goToCatalogue} />;
}
