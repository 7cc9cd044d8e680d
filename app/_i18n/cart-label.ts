// How many items the cart holds, in words: used by the texts and by the cart badge, which is a
// client component (it reads the count cookie in the browser) and so gets this module alone.
import type { Lang } from './langs';

// Russian needs three plural forms (1 товар, 2 товара, 5 товаров); Intl knows the rules.
const ruPlural = new Intl.PluralRules('ru-RU');

export function itemCount(lang: Lang, n: number): string {
  if (lang === 'en') return `${n} ${n === 1 ? 'item' : 'items'}`;
  const form = ruPlural.select(n);
  return `${n} ${form === 'one' ? 'товар' : form === 'few' ? 'товара' : 'товаров'}`;
}

/** The cart link's accessible name, which carries the count the badge shows. */
export function cartLabel(lang: Lang, n: number): string {
  if (lang === 'en') return n === 0 ? 'Cart is empty' : `Cart: ${itemCount('en', n)}`;
  return n === 0 ? 'Корзина пуста' : `Корзина: ${itemCount('ru', n)}`;
}
