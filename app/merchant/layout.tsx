// The merchant console's root layout. The shopper's pages have theirs in app/[lang] (prerendered
// per language); the console is rendered per request anyway, so it reads the `lang` cookie here.
import type { Metadata } from 'next';
import { SHOP_VIEWPORT } from '@/app/_components/viewport';
import type { ReactNode } from 'react';
import { getLang } from '@/app/_i18n/lang';
import { texts } from '@/app/_i18n/texts';
import { switchLang } from '@/app/_i18n/actions';
import '../globals.css';
import styles from './console.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = texts[await getLang()];
  return {
    title: { default: t.shopName, template: `%s · ${t.shopName}` },
    description: t.shopTagline,
  };
}

export const viewport = SHOP_VIEWPORT;

export default async function MerchantRootLayout({ children }: { children: ReactNode }) {
  const lang = await getLang();
  const other = lang === 'ru' ? 'en' : 'ru';
  return (
    <html lang={lang}>
      <body>
        {/* Russian by default; the other language one tap away on every console page (the shop's own cookie and action). */}
        <form action={switchLang} className={styles.langBar}>
          <input type="hidden" name="lang" value={other} />
          <button type="submit" lang={other} className={styles.langButton} data-testid="console-lang">
            {other === 'en' ? 'English' : 'Русский'}
          </button>
        </form>
        {children}
      </body>
    </html>
  );
}
