// The signed cookie list of this browser's orders: what was signed reads back, anything edited or
// signed with another key reads as nothing, and the list keeps the newest first, at most 20.
import { describe, expect, it } from 'vitest';
import { MAX_RECENT_ORDERS, parseRecentOrders, signRecentOrders, withRecentOrder } from '../../lib/shop/recent-orders';

const KEY = 'a'.repeat(64);
const A = 'AAAAAAAAAAAAAAAAAAAAAA';
const B = 'BBBBBBBBBBBBBBBBBBBBBB';
const C = 'CCCCCCCCCCCCCCCCCCCCCC';

describe('recent orders cookie', () => {
  it('reads back the ids it signed, in order, with only cookie-safe characters', () => {
    const value = signRecentOrders([A, B], KEY);
    expect(value).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(parseRecentOrders(value, KEY)).toEqual([A, B]);
  });

  it('ignores a tampered list as a whole: an id added, removed, swapped or changed', () => {
    const value = signRecentOrders([A, B], KEY);
    const [signature] = value.split('.');
    for (const tampered of [`${value}.${C}`, `${signature}.${A}`, `${signature}.${B}.${A}`, value.replace(B, C), `${signature}.${C}`]) {
      expect(parseRecentOrders(tampered, KEY), tampered).toEqual([]);
    }
  });

  it('ignores a list signed with another key, a forged signature and garbage', () => {
    expect(parseRecentOrders(signRecentOrders([A], 'b'.repeat(64)), KEY)).toEqual([]);
    for (const garbage of [
      undefined,
      '',
      A,
      `.${A}`,
      `xyz.${A}`,
      'not a list',
      `${'A'.repeat(43)}.${A}`,
      `${signRecentOrders([A], KEY)}.<script>`,
    ]) {
      expect(parseRecentOrders(garbage, KEY), String(garbage)).toEqual([]);
    }
  });

  it('puts the newest order first, moves a repeated one to the front, and keeps at most 20', () => {
    expect(withRecentOrder([], A)).toEqual([A]);
    expect(withRecentOrder([A, B], C)).toEqual([C, A, B]);
    expect(withRecentOrder([A, B, C], B)).toEqual([B, A, C]);
    const many = Array.from({ length: MAX_RECENT_ORDERS }, (_, i) => `order${String(i).padStart(2, '0')}`);
    const next = withRecentOrder(many, A);
    expect(next).toHaveLength(MAX_RECENT_ORDERS);
    expect(next[0]).toBe(A);
    expect(next).not.toContain(many.at(-1));
    // The longest list still fits one cookie easily.
    expect(
      signRecentOrders(
        next.map(() => A),
        KEY,
      ).length,
    ).toBeLessThan(1000);
  });
});
