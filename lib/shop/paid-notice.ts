// "Order N is paid": what a browser shows on its next page once the order it placed has been paid,
// wherever that happened (Mir Pay may bring the shopper back into another browser, or the bank's
// callback may be first). proxy.ts empties that browser's cart and sets this cookie; the header
// shows it (on prerendered pages in the browser, so it is readable by scripts) until the shopper
// dismisses it or it expires; never on that order's own page (app/_components/paid-notice.tsx). It holds the
// order's id, the key of a page this browser may open anyway, and its number. No imports beyond
// the cookie reader: a client component ships it.
import { cookieIn } from '../web/cookie-string';

export const PAID_NOTICE_COOKIE = 'order_paid';
export const PAID_NOTICE_SECONDS = 15 * 60;

export type PaidNotice = { orderId: string; number: string };

const ID = /^[\w-]{1,64}$/;

export function paidNoticeValue(notice: PaidNotice): string {
  return `${notice.orderId}.${notice.number}`;
}

/** Anything but "<id>.<number>" of plain characters reads as no notice. */
export function parsePaidNotice(value: string | undefined): PaidNotice | undefined {
  const [orderId, number, ...rest] = (value ?? '').split('.');
  if (rest.length > 0 || !orderId || !number || !ID.test(orderId) || !ID.test(number)) return undefined;
  return { orderId, number };
}

export function paidNoticeInCookies(cookies: string): PaidNotice | undefined {
  return parsePaidNotice(cookieIn(cookies, PAID_NOTICE_COOKIE));
}
