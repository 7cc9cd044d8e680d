// "Find my orders" as lib/shop/find-orders.ts does it, on the real database (SQLite, and
// PostgreSQL in its run): an address with orders is owed one e-mail per slot, in the page's
// language, addressed through its newest order; an unknown address is owed nothing, with the same
// answer; the limits refuse per client and per address; and the e-mail the outbox sends lists the
// address's orders, newest first, and no one else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { drainOutbox } from '../../lib/mail/outbox-sender';
import { FIND_ORDERS_LIMITS, createFindOrdersLimits } from '../../lib/web/abuse-limits';
import { ORDERS_MAIL_SLOT_MS, addressKey, parseLookupEmail, requestOrdersMail, type FindOrdersDeps } from '../../lib/shop/find-orders';
import { openTestDatabase } from '../helpers/test-database';

let db: Db;
let now = Date.UTC(2026, 2, 2, 9, 0);
const clock = () => now;
beforeAll(async () => {
  db = await openTestDatabase();
  await addOrder('ord-old-ivan-00000000000', 'SHOP-1001', 'Ivan@Example.ru', now - 3 * 86_400_000, 150_000);
  await addOrder('ord-new-ivan-00000000000', 'SHOP-1002', 'ivan@example.ru', now - 86_400_000, 99_050);
  await addOrder('ord-other-person-0000000', 'SHOP-1003', 'olga@example.ru', now - 3_600_000, 1_000);
});
afterAll(() => db.destroy());

async function addOrder(id: string, number: string, email: string, createdAt: number, amount: number) {
  await db
    .insertInto('orders')
    .values({
      id,
      number,
      flow: 'one-stage',
      amount,
      currency: '643',
      language: 'ru',
      items_json: '[]',
      customer_name: 'Иван',
      customer_phone: '+79120000001',
      customer_email: email,
      created_at: createdAt,
    })
    .execute();
}

const generous = (): FindOrdersDeps['limits'] => ({ hit: async () => ({ allowed: true }) });
const owed = () => db.selectFrom('mail_outbox').selectAll().where('kind', '=', 'orders-list').orderBy('id').execute();
const ask = (email: string, limits: FindOrdersDeps['limits'] = generous(), client = '192.0.2.1', language: 'ru' | 'en' = 'ru') =>
  requestOrdersMail({ db, limits, clock }, { email, client, language });

describe('find my orders', () => {
  it('validates the address', () => {
    expect(parseLookupEmail('')).toEqual({ ok: false, error: 'required' });
    expect(parseLookupEmail('   ')).toEqual({ ok: false, error: 'required' });
    expect(parseLookupEmail('not-an-address')).toEqual({ ok: false, error: 'invalid' });
    expect(parseLookupEmail(`${'a'.repeat(250)}@example.ru`)).toEqual({ ok: false, error: 'invalid' });
    expect(parseLookupEmail(' ivan@example.ru ')).toEqual({ ok: true, email: 'ivan@example.ru' });
  });

  it('an unknown address gets the same answer and is owed nothing', async () => {
    expect(await ask('nobody@example.ru')).toBe('accepted');
    expect(await owed()).toHaveLength(0);
  });

  it('an address with orders, in any case, is owed one e-mail per slot, through its newest order, in the page’s language', async () => {
    expect(await ask('IVAN@example.RU', generous(), '192.0.2.1', 'en')).toBe('accepted');
    expect(await ask('ivan@example.ru')).toBe('accepted');
    const rows = await owed();
    expect(rows.map((row) => [row.order_id, row.language, row.status])).toEqual([['ord-new-ivan-00000000000', 'en', 'pending']]);
    // The key names the address by a digest only.
    expect(rows[0]!.event_key).toContain(addressKey('ivan@example.ru'));
    expect(rows[0]!.event_key).not.toContain('ivan');
    now += ORDERS_MAIL_SLOT_MS;
    expect(await ask('ivan@example.ru')).toBe('accepted');
    expect(await owed()).toHaveLength(2);
  });

  it('the e-mail links to the address’s orders, newest first, and to no one else’s', async () => {
    const sent: { to: string; subject: string; text: string; html: string; headers: Record<string, string> }[] = [];
    const transport = { sendMail: async (mail: never) => void sent.push(mail) } as never;
    expect(await drainOutbox({ db, transport, from: 'shop@example.ru', appUrl: 'http://shop.test', clock })).toBe(2);
    const [english, russian] = sent;
    expect(english!.to).toBe('ivan@example.ru');
    expect(english!.subject).toBe('Your orders');
    expect(english!.text).toContain('Order SHOP-1002 of');
    const newer = english!.text.indexOf('http://shop.test/orders/ord-new-ivan-00000000000');
    const older = english!.text.indexOf('http://shop.test/orders/ord-old-ivan-00000000000');
    expect(newer).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(newer);
    expect(english!.text).toMatch(/RUB\s990\.50/);
    expect(english!.html).toContain('<a href="http://shop.test/orders/ord-old-ivan-00000000000">');
    for (const mail of sent) {
      expect(mail.text).not.toContain('ord-other-person');
      expect(mail.html).not.toContain('ord-other-person');
      expect(mail.text).not.toContain('+7912');
    }
    expect(russian!.subject).toBe('Ваши заказы');
    expect(russian!.text).toMatch(/Заказ SHOP-1001 от .*: 1\s500\s₽/);
  });

  it('the limits refuse per address from any client, and per client whatever the address', async () => {
    const limits = createFindOrdersLimits({ kind: 'memory' });
    for (let i = 0; i < FIND_ORDERS_LIMITS.perAddress; i++)
      expect(await ask('olga@example.ru', limits, `198.51.100.${i}`)).toBe('accepted');
    expect(await ask('OLGA@example.ru', limits, '198.51.100.99')).toBe('rate-limited');
    for (let i = 0; i < FIND_ORDERS_LIMITS.perClient; i++)
      expect(await ask(`someone${i}@example.ru`, limits, '203.0.113.5')).toBe('accepted');
    expect(await ask('fresh@example.ru', limits, '203.0.113.5')).toBe('rate-limited');
    // Olga's requests owed her one e-mail, not three.
    const olga = (await owed()).filter((row) => row.order_id === 'ord-other-person-0000000');
    expect(olga).toHaveLength(1);
  });
});
