'use client';
// The shop's link: its page is prefetched once the shopper shows an intent to open it (a touch, the
// pointer over it, keyboard focus), not as soon as it scrolls into view. Every link of the
// shopper's pages is one. Prefetched on sight, each link in view costs a request and the parsing
// of its answer on a phone's main thread while the shopper could already tap: the catalogue's
// eight products took Lighthouse's blocking time there from 165 ms to 275 ms (one run of six each
// way), and the cart page, with its products, checkout, catalogue and orders links, prefetched five
// routes as it loaded. A touch starts some 100 ms before its tap ends, which starts the page's
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
