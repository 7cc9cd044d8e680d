import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Mir Pay Shop',
  description: 'A mobile shop paying with Mir Pay through the bank’s payment gateway',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5fd1' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ru">
      <body>{children}</body>
    </html>
  );
}
