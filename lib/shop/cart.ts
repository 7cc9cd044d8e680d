// The cart lives in a cookie that holds only product slugs and quantities ("mug:2,honey:1");
// prices are always recomputed from the catalogue on the server.
import { multiply, sum, type Kopecks } from '../money';
import { findProduct, type Product } from './catalogue';

export const CART_COOKIE = 'cart';
export const MAX_QUANTITY = 20;
export const MAX_LINES = 30;

export type CartEntry = { slug: string; quantity: number };
export type CartLine = { product: Product; quantity: number; total: Kopecks };
export type PricedCart = { lines: CartLine[]; total: Kopecks; count: number };

/** Tolerant parse: unknown products, bad quantities and duplicates are dropped or merged, never thrown. */
export function parseCart(cookie: string | undefined): CartEntry[] {
  if (!cookie) return [];
  const merged = new Map<string, number>();
  for (const part of cookie.split(',').slice(0, MAX_LINES)) {
    const [slug = '', raw = ''] = part.split(':');
    if (!findProduct(slug) || !/^\d{1,3}$/.test(raw)) continue;
    const quantity = Math.min(MAX_QUANTITY, (merged.get(slug) ?? 0) + Number(raw));
    if (quantity > 0) merged.set(slug, quantity);
  }
  return [...merged].map(([slug, quantity]) => ({ slug, quantity }));
}

export function serializeCart(entries: readonly CartEntry[]): string {
  return entries
    .filter((e) => e.quantity > 0 && findProduct(e.slug))
    .map((e) => `${e.slug}:${Math.min(MAX_QUANTITY, e.quantity)}`)
    .join(',');
}

/** Sets a line's quantity (0 removes it); adds the line if it is new. */
export function setQuantity(entries: readonly CartEntry[], slug: string, quantity: number): CartEntry[] {
  if (!findProduct(slug)) return [...entries];
  const clamped = Math.max(0, Math.min(MAX_QUANTITY, Math.floor(quantity)));
  const rest = entries.filter((e) => e.slug !== slug);
  if (clamped === 0) return rest;
  const index = entries.findIndex((e) => e.slug === slug);
  const next = [...rest];
  next.splice(index === -1 ? next.length : index, 0, { slug, quantity: clamped });
  return next;
}

export function addToCart(entries: readonly CartEntry[], slug: string, quantity: number): CartEntry[] {
  const current = entries.find((e) => e.slug === slug)?.quantity ?? 0;
  return setQuantity(entries, slug, current + quantity);
}

export function priceCart(entries: readonly CartEntry[]): PricedCart {
  const lines: CartLine[] = [];
  for (const entry of entries) {
    const product = findProduct(entry.slug);
    if (product) lines.push({ product, quantity: entry.quantity, total: multiply(product.price, entry.quantity) });
  }
  return {
    lines,
    total: sum(lines.map((line) => line.total)),
    count: lines.reduce((n, line) => n + line.quantity, 0),
  };
}
