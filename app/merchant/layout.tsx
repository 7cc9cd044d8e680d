// The merchant console's root layout. The shopper's pages have theirs in app/[lang] (prerendered
// per language); the console is rendered per request anyway, so it reads the `lang` cookie here.
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { getLang } from '@/app/_i18n/lang';
import { texts } from '@/app/_i18n/texts';
import '../globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = texts[await getLang()];
  return {
    title: { default: t.shopName, template: `%s · ${t.shopName}` },
    description: t.shopTagline,
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5fd1' };

export default async function MerchantRootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang={await getLang()}>
      <body>{children}</body>
    </html>
  );
}
