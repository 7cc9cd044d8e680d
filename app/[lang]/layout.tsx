// The root layout of the shopper's pages. The language is the URL segment, never the cookie:
// the public path (/, /cart, …) is served from /ru/… or /en/… by the `lang` cookie
// (app/_server/shopper-routes.ts), so
// this layout reads no request data and the catalogue and product pages can be prerendered,
// once per language. The merchant console has its own root layout (app/merchant/layout.tsx).
import type { Metadata } from 'next';
import { SHOP_VIEWPORT } from '@/app/_components/viewport';
import type { ReactNode } from 'react';
import { LANGS } from '@/app/_i18n/langs';
import { getTexts } from '@/app/_i18n/page-texts';
import '../globals.css';

// Only /ru/… and /en/… exist; any other first segment is a 404, never a render.
export const dynamicParams = false;

export function generateStaticParams(): { lang: string }[] {
  return LANGS.map((lang) => ({ lang }));
}

// The title follows the page's language; pages add their own part through the template.
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return {
    title: { default: t.shopName, template: `%s · ${t.shopName}` },
    description: t.shopTagline,
  };
}

export const viewport = SHOP_VIEWPORT;

export default async function ShopRootLayout({ children }: { children: ReactNode }) {
  const { lang } = await getTexts();
  return (
    <html lang={lang}>
      <body>{children}</body>
    </html>
  );
}
