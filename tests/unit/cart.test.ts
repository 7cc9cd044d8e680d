import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINES, MAX_QUANTITY, addToCart, parseCart, priceCart, serializeCart, setQuantity, type CartEntry } from '@/lib/shop/cart';
import { findProduct, products } from '@/lib/shop/catalogue';

const price = (slug: string) => findProduct(slug)!.price;

describe('parseCart / serializeCart', () => {
  it('round-trips a cookie', () => {
    const cookie = 'mug:2,honey:1,gift-box:20';
    expect(parseCart(cookie)).toEqual([
      { slug: 'mug', quantity: 2 },
      { slug: 'honey', quantity: 1 },
      { slug: 'gift-box', quantity: 20 },
    ]);
    expect(serializeCart(parseCart(cookie))).toBe(cookie);
  });

  it('round-trips any cart of known products (property)', () => {
    const entry = fc.record({
      slug: fc.constantFrom(...products.map((p) => p.slug)),
      quantity: fc.integer({ min: 1, max: MAX_QUANTITY }),
    });
    const cart = fc.uniqueArray(entry, { selector: (e) => e.slug, maxLength: products.length });
    fc.assert(
      fc.property(cart, (entries) => {
        expect(parseCart(serializeCart(entries))).toEqual(entries);
      }),
    );
  });

  it('never throws on any string (property)', () => {
    fc.assert(
      fc.property(fc.string(), (cookie) => {
        for (const { slug, quantity } of parseCart(cookie)) {
          expect(findProduct(slug)).toBeDefined();
          expect(Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY).toBe(true);
        }
      }),
    );
  });

  it('reads a missing or empty cookie as an empty cart', () => {
    expect(parseCart(undefined)).toEqual([]);
    expect(parseCart('')).toEqual([]);
    expect(serializeCart([])).toBe('');
  });

  it('drops unknown products, bad quantities and garbage', () => {
    expect(parseCart('unicorn:1,mug:1')).toEqual([{ slug: 'mug', quantity: 1 }]);
    expect(parseCart('mug:-1,honey:0,tea:abc')).toEqual([]);
    expect(parseCart('mug:2.5,honey:1e1,chocolate: 3')).toEqual([]);
    expect(parseCart('mug:1000000')).toEqual([]);
    expect(parseCart('%%%,:,mug,::::,;;')).toEqual([]);
    expect(parseCart('__proto__:1,constructor:2')).toEqual([]);
  });

  it('caps a huge but well-formed quantity at the maximum', () => {
    expect(parseCart('mug:999')).toEqual([{ slug: 'mug', quantity: MAX_QUANTITY }]);
  });

  it('merges duplicates, keeping the first position and the maximum', () => {
    expect(parseCart('mug:2,honey:1,mug:3')).toEqual([
      { slug: 'mug', quantity: 5 },
      { slug: 'honey', quantity: 1 },
    ]);
    expect(parseCart('mug:15,mug:10')).toEqual([{ slug: 'mug', quantity: MAX_QUANTITY }]);
  });

  it(`reads at most ${MAX_LINES} parts of an oversized cookie`, () => {
    const cookie = [...Array(MAX_LINES).fill('nope:1'), 'mug:1'].join(',');
    expect(parseCart(cookie)).toEqual([]);
  });

  it('serializes only known products with positive quantities, capped', () => {
    const entries: CartEntry[] = [
      { slug: 'mug', quantity: 0 },
      { slug: 'unicorn', quantity: 2 },
      { slug: 'honey', quantity: 50 },
    ];
    expect(serializeCart(entries)).toBe(`honey:${MAX_QUANTITY}`);
  });
});

describe('setQuantity / addToCart', () => {
  const cart: CartEntry[] = [
    { slug: 'mug', quantity: 2 },
    { slug: 'honey', quantity: 1 },
  ];

  it('changes a line in place and keeps the order', () => {
    expect(setQuantity(cart, 'mug', 5)).toEqual([
      { slug: 'mug', quantity: 5 },
      { slug: 'honey', quantity: 1 },
    ]);
  });

  it('appends a new product', () => {
    expect(setQuantity(cart, 'chocolate', 3).at(-1)).toEqual({ slug: 'chocolate', quantity: 3 });
  });

  it('removes a line at 0 (or below)', () => {
    expect(setQuantity(cart, 'mug', 0)).toEqual([{ slug: 'honey', quantity: 1 }]);
    expect(setQuantity(cart, 'mug', -3)).toEqual([{ slug: 'honey', quantity: 1 }]);
  });

  it('caps at the maximum and floors fractions', () => {
    expect(setQuantity(cart, 'mug', 500)[0]).toEqual({ slug: 'mug', quantity: MAX_QUANTITY });
    expect(setQuantity(cart, 'mug', 2.9)[0]).toEqual({ slug: 'mug', quantity: 2 });
  });

  it('ignores unknown products and never mutates its input', () => {
    const before = structuredClone(cart);
    expect(setQuantity(cart, 'unicorn', 1)).toEqual(cart);
    setQuantity(cart, 'mug', 0);
    addToCart(cart, 'mug', 3);
    expect(cart).toEqual(before);
  });

  it('adds to an existing line, up to the maximum', () => {
    expect(addToCart(cart, 'mug', 3)[0]).toEqual({ slug: 'mug', quantity: 5 });
    expect(addToCart(cart, 'mug', 19)[0]).toEqual({ slug: 'mug', quantity: MAX_QUANTITY });
    expect(addToCart([], 'thermos', 2)).toEqual([{ slug: 'thermos', quantity: 2 }]);
  });
});

describe('priceCart', () => {
  it('prices lines from the catalogue in integer kopecks', () => {
    const priced = priceCart([
      { slug: 'mug', quantity: 2 },
      { slug: 'green-tea', quantity: 3 },
    ]);
    expect(priced.lines.map((line) => line.total)).toEqual([2 * price('mug'), 3 * price('green-tea')]);
    expect(priced.total).toBe(2 * 79_000 + 3 * 54_900);
    expect(priced.total).toBe(322_700);
    expect(Number.isSafeInteger(priced.total)).toBe(true);
    expect(priced.count).toBe(5);
  });

  it('prices an empty cart at zero', () => {
    expect(priceCart([])).toEqual({ lines: [], total: 0, count: 0 });
  });

  it('skips products that left the catalogue', () => {
    const priced = priceCart([
      { slug: 'unicorn', quantity: 1 },
      { slug: 'chocolate', quantity: 1 },
    ]);
    expect(priced.lines).toHaveLength(1);
    expect(priced.total).toBe(21_900);
  });

  it('stays exact for the largest cart a cookie can hold', () => {
    const full = products.map((p) => ({ slug: p.slug, quantity: MAX_QUANTITY }));
    const expected = products.reduce((total, p) => total + p.price * MAX_QUANTITY, 0);
    expect(priceCart(full).total).toBe(expected);
  });
});
