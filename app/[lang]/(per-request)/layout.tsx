// The pages rendered per request (cart, checkout, order): they read cookies or the database
// anyway, so their header shows the cart count (and the "order paid" notice) read on the server, in the first paint and
// without JavaScript. The same Header as the prerendered pages (../(prerendered)/layout.tsx).
import type { ReactNode } from 'react';
import { Header } from '@/app/_components/header';
import { getTexts } from '@/app/_i18n/page-texts';
import { readCart } from '@/app/_server/cart-cookie';
import { readPaidNotice } from '@/app/_server/spent-cart';
import { priceCart } from '@/lib/shop/cart';

export default async function PerRequestLayout({ children }: { children: ReactNode }) {
  const { lang, t } = await getTexts();
  const { count } = priceCart(await readCart());
  return (
    <>
      <Header lang={lang} t={t} count={count} notice={await readPaidNotice()} />
      {children}
    </>
  );
}
