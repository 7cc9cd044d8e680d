// The pages rendered per request (cart, checkout, order): they read cookies or the database
// anyway, so their header shows the cart count (and the "order paid" notice) read on the server, in the first paint and
// without JavaScript. The same Header as the prerendered pages (../(prerendered)/layout.tsx).
//
// Each also states where its forms may post and be redirected (checkout and the order page's "try
// again" go to the gateway) in a CSP <meta>, besides proxy.ts's header: the bank's return to the
// order page comes without the proxy, and the gateway is a run-time setting that next.config.js's
// headers cannot know (docs/security.md). React puts the <meta> in the head, where browsers read it.
import type { ReactNode } from 'react';
import { Header } from '@/app/_components/header';
import { getTexts } from '@/app/_i18n/page-texts';
import { readCart } from '@/app/_server/cart-cookie';
import { readPaidNotice } from '@/app/_server/spent-cart';
import { gatewayOrigin } from '@/lib/env';
import { priceCart } from '@/lib/shop/cart';
import { formActionPolicy } from '@/lib/web/security-headers';

// Once per process, as proxy.ts and app/_server/route-headers.ts do: the setting cannot change while it runs.
const FORM_ACTION = formActionPolicy(gatewayOrigin());

export default async function PerRequestLayout({ children }: { children: ReactNode }) {
  const { lang, t } = await getTexts();
  const { count } = priceCart(await readCart());
  return (
    <>
      <meta httpEquiv="Content-Security-Policy" content={FORM_ACTION} />
      <Header lang={lang} t={t} count={count} notice={await readPaidNotice()} />
      {children}
    </>
  );
}
