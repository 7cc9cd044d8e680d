// Every shopper-facing string of the shop, in Russian (the default) and English. `en` is typed
// as `typeof ru`, so a key missing in either language is a compile error, not a blank on a page.
// Plain data and pure functions only: usable from server and client components alike.

export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];

// Russian needs three plural forms (1 товар, 2 товара, 5 товаров); Intl knows the rules.
const ruPlural = new Intl.PluralRules('ru-RU');
function ruItems(n: number): string {
  const form = ruPlural.select(n);
  return `${n} ${form === 'one' ? 'товар' : form === 'few' ? 'товара' : 'товаров'}`;
}

const ru = {
  shopName: 'Кофе и чай',
  shopTagline: 'Зёрна, чай и всё к ним. Оплата через Mir Pay.',
  catalogue: 'Каталог',
  allProducts: '← Все товары',
  cart: 'Корзина',
  checkout: 'Оформить заказ',
  total: 'Итого',
  pay: 'Оплатить',
  quantity: 'Количество',
  addToCart: 'В корзину',
  quantityHint: 'От 1 до 20 штук.',
  unitPrice: (price: string) => `${price} за шт.`,
  itemCount: ruItems,
  cartBadgeLabel: (n: number) => (n === 0 ? 'Корзина пуста' : `Корзина: ${ruItems(n)}`),
  decrease: 'Уменьшить количество',
  increase: 'Увеличить количество',
  remove: 'Удалить',
  cartEmpty: 'Корзина пуста',
  cartEmptyHint: 'Загляните в каталог: там кофе, чай и всё, что к ним нужно.',
  goToCatalogue: 'Перейти в каталог',
  continueShopping: 'Продолжить покупки',
  productNotFound: 'Такого товара нет',
  productNotFoundHint: 'Возможно, ссылка устарела. Посмотрите весь каталог.',
  // The switch names the other language in that language, as shoppers look for their own.
  otherLangName: 'English',
  otherLang: 'en' as Lang,
};

export type Texts = typeof ru;

const en: Texts = {
  shopName: 'Coffee & Tea',
  shopTagline: 'Beans, tea and everything to go with them. Pay with Mir Pay.',
  catalogue: 'Catalogue',
  allProducts: '← All products',
  cart: 'Cart',
  checkout: 'Checkout',
  total: 'Total',
  pay: 'Pay',
  quantity: 'Quantity',
  addToCart: 'Add to cart',
  quantityHint: 'From 1 to 20 items.',
  unitPrice: (price) => `${price} each`,
  itemCount: (n) => `${n} ${n === 1 ? 'item' : 'items'}`,
  cartBadgeLabel: (n) => (n === 0 ? 'Cart is empty' : `Cart: ${n} ${n === 1 ? 'item' : 'items'}`),
  decrease: 'Decrease quantity',
  increase: 'Increase quantity',
  remove: 'Remove',
  cartEmpty: 'Your cart is empty',
  cartEmptyHint: 'Have a look at the catalogue: coffee, tea and everything to go with them.',
  goToCatalogue: 'Browse the catalogue',
  continueShopping: 'Continue shopping',
  productNotFound: 'No such product',
  productNotFoundHint: 'The link may be out of date. Have a look at the whole catalogue.',
  otherLangName: 'Русский',
  otherLang: 'ru',
};

export const texts: Record<Lang, Texts> = { ru, en };
