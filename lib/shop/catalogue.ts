// The catalogue: the only source of prices. Amounts sent to the gateway are computed from here on
// the server, never taken from the browser.
import type { Kopecks } from '../money';

export type Product = {
  slug: string;
  name: { ru: string; en: string };
  description: { ru: string; en: string };
  price: Kopecks;
  image: string; // under public/
};

export const products: readonly Product[] = [
  {
    slug: 'coffee-beans',
    name: { ru: 'Кофе в зёрнах «Утро»', en: '“Morning” coffee beans' },
    description: { ru: 'Арабика средней обжарки, 250\u00a0г.', en: 'Medium-roast arabica, 250\u00a0g.' },
    price: 89_000,
    image: '/products/coffee-beans.svg',
  },
  {
    slug: 'green-tea',
    name: { ru: 'Зелёный чай «Сенча»', en: 'Sencha green tea' },
    description: { ru: 'Листовой чай, 100\u00a0г.', en: 'Loose-leaf tea, 100\u00a0g.' },
    price: 54_900,
    image: '/products/green-tea.svg',
  },
  {
    slug: 'mug',
    name: { ru: 'Керамическая кружка', en: 'Ceramic mug' },
    description: { ru: 'Объём 350\u00a0мл, можно в посудомойку.', en: '350\u00a0ml, dishwasher safe.' },
    price: 79_000,
    image: '/products/mug.svg',
  },
  {
    slug: 'french-press',
    name: { ru: 'Френч-пресс', en: 'French press' },
    description: { ru: 'Стекло и сталь, 600\u00a0мл.', en: 'Glass and steel, 600\u00a0ml.' },
    price: 249_000,
    image: '/products/french-press.svg',
  },
  {
    slug: 'honey',
    name: { ru: 'Мёд алтайский', en: 'Altai honey' },
    description: { ru: 'Цветочный мёд, 300\u00a0г.', en: 'Wildflower honey, 300\u00a0g.' },
    price: 65_000,
    image: '/products/honey.svg',
  },
  {
    slug: 'chocolate',
    name: { ru: 'Горький шоколад 72%', en: 'Dark chocolate 72%' },
    description: { ru: 'Плитка 90\u00a0г.', en: '90\u00a0g bar.' },
    price: 21_900,
    image: '/products/chocolate.svg',
  },
  {
    slug: 'thermos',
    name: { ru: 'Термос дорожный', en: 'Travel thermos' },
    description: { ru: 'Держит тепло 12 часов, 500\u00a0мл.', en: 'Keeps warm for 12 hours, 500\u00a0ml.' },
    price: 189_000,
    image: '/products/thermos.svg',
  },
  {
    slug: 'gift-box',
    name: { ru: 'Подарочный набор', en: 'Gift box' },
    description: { ru: 'Кофе, чай и шоколад в коробке.', en: 'Coffee, tea and chocolate in a box.' },
    price: 159_000,
    image: '/products/gift-box.svg',
  },
];

const bySlug = new Map(products.map((product) => [product.slug, product]));

export function findProduct(slug: string): Product | undefined {
  return bySlug.get(slug);
}
