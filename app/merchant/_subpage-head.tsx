// The head of the console's own pages (users, audit log, alerts): the way back to the orders and
// the page's title.
import Link from 'next/link';
import ui from '@/app/_components/ui.module.css';

export function SubpageHead({ back, title }: { back: string; title: string }) {
  return (
    <>
      <p>
        <Link href="/merchant" className={ui.backLink}>
          ← {back}
        </Link>
      </p>
      <h1 className={ui.title}>{title}</h1>
    </>
  );
}
