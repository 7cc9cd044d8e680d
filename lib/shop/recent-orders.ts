// The list of orders this browser placed, as its cookie holds it: the ids, newest first, and an
// HMAC-SHA256 over them, so a list that was edited (an id added to peek at someone's order) is
// ignored as a whole. Pure: the key comes from the caller (app/_server/recent-orders-cookie.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Enough for a shopper's recent purchases, and a cookie far below the browsers' 4 KB. */
export const MAX_RECENT_ORDERS = 20;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Bound to its use: the same key signing anything else cannot produce a valid list.
const PURPOSE = 'recent-orders:';

function signatureOf(ids: readonly string[], key: string): Buffer {
  return createHmac('sha256', key)
    .update(PURPOSE + ids.join('.'))
    .digest();
}

/** "<signature>.<id>.<id>…" (base64url and ids: only cookie-safe characters). */
export function signRecentOrders(ids: readonly string[], key: string): string {
  return [signatureOf(ids, key).toString('base64url'), ...ids].join('.');
}

/** The ids of a value signRecentOrders made with this key; anything else (edited, foreign, garbage) is an empty list. */
export function parseRecentOrders(value: string | undefined, key: string): string[] {
  if (!value) return [];
  const [signature, ...ids] = value.split('.');
  if (!signature || ids.length === 0 || ids.length > MAX_RECENT_ORDERS || !ids.every((id) => ID.test(id))) return [];
  const given = Buffer.from(signature, 'base64url');
  const expected = signatureOf(ids, key);
  return given.length === expected.length && timingSafeEqual(given, expected) ? ids : [];
}

/** The list with `orderId` first (moved there if it was already in it), cut to MAX_RECENT_ORDERS. */
export function withRecentOrder(ids: readonly string[], orderId: string): string[] {
  return [orderId, ...ids.filter((id) => id !== orderId)].slice(0, MAX_RECENT_ORDERS);
}
