// Shown with status 404 for an order id the shop does not know (notFound() in ./page.tsx), in the
// shopper's language.
import { EmptyState } from '@/app/_components/empty-state';
import { getTexts } from '@/app/_i18n/page-texts';

export default async function OrderNotFound() {
  const { t } = await getTexts();
  return <EmptyState title={t.orderNotFound} hint={t.orderNotFoundHint} linkText={t.goToCatalogue} />;
}
