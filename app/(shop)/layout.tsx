// The shop's pages share the header (name, language, cart); the merchant console has its own.
import type { ReactNode } from 'react';
import { Header } from '@/app/_components/header';
import { getTexts } from '@/app/_i18n/lang';

export default async function ShopLayout({ children }: { children: ReactNode }) {
  const { t } = await getTexts();
  return (
    <>
      <Header t={t} />
      {children}
    </>
  );
}
