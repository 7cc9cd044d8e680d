import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { getTexts } from './_i18n/lang';
import './globals.css';

// The title follows the shopper's language; pages add their own part through the template.
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTexts();
  return {
    title: { default: t.shopName, template: `%s · ${t.shopName}` },
    description: t.shopTagline,
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5fd1' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { lang } = await getTexts();
  return (
    <html lang={lang}>
      <body>{children}</body>
    </html>
  );
}
