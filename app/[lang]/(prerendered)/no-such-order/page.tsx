// "No such order", prerendered in both languages: where proxy.ts sends an order page whose id the
// shop has no order for (app/_server/unknown-order.ts says why), answered 404 by the proxy. Rendered
// as a page, not through notFound(): Next sends a page that calls notFound() as an empty document
// that only its JavaScript fills in. Not a public address: /ru/… and /en/… are internal
// (app/_server/shopper-routes.ts).
import type { Metadata } from 'next';
import { getTexts } from '@/app/_i18n/page-texts';
import OrderNotFound from '../../(per-request)/orders/[id]/not-found';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return { title: t.orderNotFound, robots: { index: false } };
}

export default function NoSuchOrder() {
  return <OrderNotFound />;
}
