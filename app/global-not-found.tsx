// What an address the shop has no page for answers (404), e.g. /cart/ or a mistyped link: the
// shop's own page, not Next's English default. The shop has several root layouts (the shopper's
// pages under [lang], the merchant console, the sandbox), so no not-found.tsx sits above them all:
// Next renders this file instead (experimental.globalNotFound in next.config.js). No language
// segment was matched, so it speaks both languages, Russian first, as proxy.ts's refusals do.
// An unknown product or order has a page of its own, in the shopper's language
// (app/_server/shopper-routes.ts).
import type { Metadata } from 'next';
import { SHOP_VIEWPORT } from '@/app/_components/viewport';
import ui from './_components/ui.module.css';
import './globals.css';

export const metadata: Metadata = { title: 'Такой страницы нет · No such page', robots: { index: false } };

export const viewport = SHOP_VIEWPORT;

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
          {/* A plain link, not next/link: the catalogue has another root layout, so the browser loads
              it as a new document anyway, and next/link here would add its client code to the
              first load of every page. */}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
          <a href="/" className={`${ui.button} ${ui.primary}`}>
            Каталог · Catalogue
          </a>
        </main>
      </body>
    </html>
  );
}
