// The one mapping from the gateway's status to an attempt state, the allowed moves, and the
// fiscal bundle whose items must sum to the amount.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statusResponseSchema } from '../../lib/gateway/schemas';
import { bundleOf } from '../../lib/payments/register';
import { stateFromStatus } from '../../lib/gateway/status-mapping';
import { canMove, orderStateOf, type AttemptState } from '../../lib/payments/states';

const fixture = (name: string) =>
  statusResponseSchema.parse(JSON.parse(readFileSync(new URL(`../fixtures/gateway/${name}.json`, import.meta.url), 'utf8')));

describe('stateFromStatus', () => {
  it('maps the real captures of docs/gateway-api.md §3.5', () => {
    expect(stateFromStatus(fixture('status-created'), { amount: 100, currency: '643' }).state).toBe('awaiting');
    expect(stateFromStatus(fixture('status-approved'), { amount: 100, currency: '643' }).state).toBe('approved');
    expect(stateFromStatus(fixture('status-deposited'), { amount: 550_000, currency: '643' }).state).toBe('paid');
    expect(stateFromStatus(fixture('status-declined-timeout'), { amount: 35_000, currency: '643' }).state).toBe('expired');
    expect(stateFromStatus(fixture('status-declined-issuer'), { amount: 550_000, currency: '643' }).state).toBe('declined');
  });

  it('never calls paid or approved what differs in amount or currency', () => {
    expect(stateFromStatus(fixture('status-deposited'), { amount: 550_001, currency: '643' }).state).toBe('mismatch');
    expect(stateFromStatus(fixture('status-approved'), { amount: 99, currency: '643' }).state).toBe('mismatch');
    expect(stateFromStatus({ ...fixture('status-deposited'), currency: '840' }, { amount: 550_000, currency: '643' }).state).toBe(
      'mismatch',
    );
  });

  it('maps every other orderStatus, and an unknown one to "unknown"', () => {
    const base = fixture('status-created');
    const at = (orderStatus: number, actionCode = 0) =>
      stateFromStatus({ ...base, orderStatus, actionCode }, { amount: 100, currency: '643' }).state;
    expect(at(0, 116)).toBe('declined');
    expect(at(3)).toBe('reversed');
    expect(at(4)).toBe('refunded');
    expect(at(5)).toBe('awaiting');
    expect(at(6, -2013)).toBe('declined');
    expect(at(9)).toBe('unknown');
  });
});

describe('canMove: state never goes backwards', () => {
  const cases: [AttemptState, AttemptState, boolean][] = [
    ['awaiting', 'approved', true],
    ['approved', 'depositing', true],
    ['awaiting', 'depositing', false],
    ['depositing', 'paid', true],
    ['depositing', 'approved', true],
    ['approved', 'awaiting', false],
    ['depositing', 'awaiting', false],
    ['registering', 'depositing', false],
    ['paid', 'approved', false],
    ['paid', 'refunded', true],
    ['refunded', 'paid', false],
    ['expired', 'paid', false],
    ['declined', 'paid', true],
    ['awaiting', 'registering', false],
  ];
  it.each(cases)('%s → %s: %s', (from, to, allowed) => expect(canMove(from, to)).toBe(allowed));

  it('tells the shopper the truth in a few words', () => {
    expect(orderStateOf('paid')).toBe('paid');
    expect(orderStateOf('depositing')).toBe('held');
    expect(orderStateOf('declined')).toBe('failed');
    expect(orderStateOf('mismatch')).toBe('failed');
    expect(orderStateOf('reversed')).toBe('cancelled');
  });
});

describe('bundleOf', () => {
  it('lists the items with positions, and their sum equals the amount', () => {
    const items = [
      { slug: 'mug', name: 'Кружка', price: 79_000, quantity: 2, total: 158_000 },
      { slug: 'honey', name: 'Мёд', price: 65_000, quantity: 1, total: 65_000 },
    ];
    const bundle = bundleOf(items);
    expect(bundle.cartItems.items.map((i) => i.positionId)).toEqual([1, 2]);
    expect(bundle.cartItems.items.reduce((sum, i) => sum + i.itemAmount, 0)).toBe(223_000);
    expect(bundle.cartItems.items[0]).toMatchObject({ itemCode: 'mug', itemPrice: 79_000, quantity: { value: 2, measure: 'шт' } });
  });

  it('adds a paid delivery as a service line after the goods, in the order language; a free one not at all', () => {
    const items = [{ slug: 'mug', name: 'Mug', price: 79_000, quantity: 1, total: 79_000 }];
    const address = { city: 'Moscow', street: 'Tverskaya', house: '7', flat: '' };
    const paid = bundleOf(items, { method: 'courier', address, price: 30_000 }, 'en').cartItems.items;
    expect(paid.map((i) => [i.positionId, i.name, i.itemAmount])).toEqual([
      [1, 'Mug', 79_000],
      [2, 'Courier delivery', 30_000],
    ]);
    expect(paid[1]!.itemAttributes?.attributes).toContainEqual({ name: 'paymentObject', value: '4' });
    expect(bundleOf(items, { method: 'courier', address, price: 0 }).cartItems.items).toHaveLength(1);
    expect(bundleOf(items, { method: 'pickup', price: 0 }).cartItems.items).toHaveLength(1);
  });
});
