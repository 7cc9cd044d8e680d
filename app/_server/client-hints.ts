// What the request says about the shopper's device. Only for presentation (pageView), never for money.
import 'server-only';
import { headers } from 'next/headers';

/** Phones get the gateway's mobile payment page (pageView=MOBILE). */
export async function isMobileBrowser(): Promise<boolean> {
  return /Mobi|Android|iPhone|iPad|iPod/i.test((await headers()).get('user-agent') ?? '');
}
