// What an address the shop has no page for answers (404), e.g. /cart/ or a mistyped link: the
// shop's own page, not Next's English default. The shop has several root layouts (the shopper's
// pages under [lang], the merchant console, the sandbox), so no not-found.tsx sits above them all:
// Next renders this file instead (experimental.globalNotFound in next.config.js). No language
// segment was matched, so it speaks both languages, Russian first, as proxy.ts's refusals do.
// A known page's own 404s (an unknown order or product) keep their not-found.tsx, in the
// shopper's language.
import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import ui from './_components/ui.module.css';
import './globals.css';

export const metadata: Metadata = { title: 'Такой страницы нет · No such page', robots: { index: false } };

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5fd1' };

export default function GlobalNotFound() {
  return (
    <html lang="ru">
      <body>
        <main>
          <h1 className={ui.title}>Такой страницы нет</h1>
          <p className={ui.muted}>Проверьте адрес или начните с каталога.</p>
          <div lang="en">
            <h2>No such page</h2>
            <p className={ui.muted}>Check the address, or start from the catalogue.</p>
          </div>
          <Link href="/" className={`${ui.button} ${ui.primary}`}>
            Каталог · Catalogue
          </Link>
        </main>
      </body>
    </html>
  );
}
