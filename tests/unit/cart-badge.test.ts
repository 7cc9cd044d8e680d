// What the header's cart badge reads in the browser (the cart_count cookie) and says aloud.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cartLabel, itemCount } from '@/app/_i18n/cart-label';
import { CART_COUNT_COOKIE, cartCountInCookies, parseCartCount } from '@/lib/shop/cart-count';
import { MAX_LINES, MAX_QUANTITY } from '@/lib/shop/cart';

describe('cart_count cookie', () => {
  it('reads 1–3 digits; anything else is an empty cart', () => {
    expect(CART_COUNT_COOKIE).toBe('cart_count');
    expect(parseCartCount('3')).toBe(3);
    expect(parseCartCount(String(MAX_LINES * MAX_QUANTITY))).toBe(MAX_LINES * MAX_QUANTITY);
    for (const value of [undefined, '', 'abc', '-1', '1.5', '1e2', '1000', ' 3']) expect(parseCartCount(value), String(value)).toBe(0);
  });

  it('finds its own cookie among the others, and only that one', () => {
    expect(cartCountInCookies('lang=en; cart_count=3; checkout=abc')).toBe(3);
    expect(cartCountInCookies('cart_count=12')).toBe(12);
    expect(cartCountInCookies('')).toBe(0);
    expect(cartCountInCookies('lang=en; cart=mug:2')).toBe(0);
    expect(cartCountInCookies('my_cart_count=5; cart_count_old=7')).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.array(fc.constantFrom('lang=en', 'cart=mug:2', 'x=1')), (count, others) => {
        const cookies = [...others, `${CART_COUNT_COOKIE}=${count}`].join('; ');
        expect(cartCountInCookies(cookies)).toBe(count);
      }),
    );
  });
});

describe('cartLabel', () => {
  it('says the count with Russian plural forms, or in English', () => {
    expect([1, 2, 5, 11, 21, 22, 25].map((n) => itemCount('ru', n))).toEqual([
      '1 товар',
      '2 товара',
      '5 товаров',
      '11 товаров',
      '21 товар',
      '22 товара',
      '25 товаров',
    ]);
    expect(cartLabel('ru', 0)).toBe('Корзина пуста');
    expect(cartLabel('ru', 3)).toBe('Корзина: 3 товара');
    expect(cartLabel('en', 0)).toBe('Cart is empty');
    expect(cartLabel('en', 1)).toBe('Cart: 1 item');
    expect(cartLabel('en', 2)).toBe('Cart: 2 items');
  });
});
