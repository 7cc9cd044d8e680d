// The catalogue and product pages: prerendered once per language, so nothing here may read the
// request (cookies, headers). The header's cart badge reads its count in the browser.
import type { ReactNode } from 'react';
import { Header } from '@/app/_components/header';
import { getTexts } from '@/app/_i18n/page-texts';

export default async function PrerenderedLayout({ children }: { children: ReactNode }) {
  const { lang, t } = await getTexts();
  return (
    <>
      <Header lang={lang} t={t} />
      {children}
    </>
  );
}
