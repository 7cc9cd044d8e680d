// Requests no browser sends, over real HTTP against the e2e server: huge bodies (bounded while they
// stream: the server's memory must not follow them), malformed paths, server-action bodies and
// bodies of the checkout's "Pay" (a 4xx, never a 500 with a stack trace in the log), an unknown
// order (404), and a customer name full of control characters and bidi overrides (stored clean).
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { actionIdOf, readForm } from './form-post';
import { BASE_URL, dataFile, MAIN_SERVER, PORT } from './servers';
import { CUT_OFF, MB, pidListeningOn, postHuge, settledRss } from './server-memory';

const LOG = dataFile(`${MAIN_SERVER}.log`);
const DATABASE = dataFile(`${MAIN_SERVER}.sqlite`);
const UNKNOWN_ORDER = 'AAAAAAAAAAAAAAAAAAAAAA';
// A cart of its own: "Pay" is rate-limited per cart, and other specs post theirs.
const CART = 'cart=chocolate:3';

/** The checkout form's hidden fields (its idempotency key): posted to "Pay", a route of its own. */
const checkoutFields = async () => (await readForm(`${BASE_URL}/checkout`, 'checkout-form', { cookie: CART })).fields;

/**
 * A server action with a bound state, as the proxy guards every action: "find my orders" on
 * /orders (useActionState), its hidden fields as rendered and its action's id.
 */
async function actionForm(): Promise<{ fields: [string, string][]; actionId: string }> {
  const form = await readForm(`${BASE_URL}/orders`, 'find-orders-form');
  return { fields: form.fields, actionId: actionIdOf(form) };
}

function multipart(fields: [string, string][]): { body: Buffer; contentType: string } {
  const boundary = '----hostileBoundary7MA4YWxkTrZu0gW';
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** What the server logged after `offset`, once its writes have landed. */
async function logSince(offset: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return readFileSync(LOG, 'utf8').slice(offset);
}

/** Lines of a stack trace ("    at f (file:1:2)") or Next's error marker. */
function stackLines(log: string): string[] {
  return log.split('\n').filter((line) => /^\s+at\s/.test(line) || line.includes('⨯'));
}

/** RSS growth over `before` once settled; measured again until within `limit` or `waitMs` has passed. */
async function growthWithin(pid: number, before: number, limit: number, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  let growth = (await settledRss(pid)) - before;
  while (growth > limit && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    growth = (await settledRss(pid)) - before;
  }
  return growth;
}

/** A 4xx, or the connection cut by the server before its answer could be read (postHuge's CUT_OFF). */
function refused(status: number): boolean {
  return status === CUT_OFF || (status >= 400 && status < 500);
}

// What a body may leave behind: a kept 300 MB body shows as 300 MB or more. The server's own
// background work (the outbox and alert senders, the metrics' collectors) keeps garbage of a few
// tens of MB about that V8 returns when it pleases: 27–42 MB were seen after bodies that were not
// kept, so the bound is well above that and far below a body.
const KEPT_LIMIT = 64 * MB;

test.describe('hostile requests', () => {
  // Hundreds of megabytes over loopback per case; the server reads and drops what it refuses.
  test.describe.configure({ timeout: 240_000 });

  test('a 300 MB chunked POST to any route that reads a body: a 4xx, RSS before and after within 64 MB, the server answers afterwards', async ({
    request,
  }) => {
    const pid = pidListeningOn(PORT);
    const { actionId } = await actionForm();
    const own = { origin: BASE_URL };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cases: [string, Record<string, string>][] = [
      ['/api/payments/callback', form],
      ['/sandbox/payment/rest/register.do', form],
      ['/sandbox/control/faults', { 'content-type': 'application/json' }],
      ['/sandbox/payment/merchants/demo-shop/mobile_payment_ru.html?mdOrder=none', form],
      ['/cart', { ...own, ...form }],
      ['/', { ...own, 'content-type': 'text/plain' }],
      ['/merchant/login', { ...own, ...form }],
      ['/orders', { ...own, 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8' }],
      ['/checkout/pay', { ...own, ...form }],
    ];
    // The first large body a Node server ever reads grows its heap once, to where the garbage
    // collector keeps it (about +50 MB here, the same for 30 MB as for 1 GB); a body's own cost is
    // what each case below measures, so that one comes first.
    const warmUp = await postHuge(`${BASE_URL}/`, { bytes: 300 * MB, headers: { ...own, 'content-type': 'text/plain' }, pid });
    expect(refused(warmUp.status), String(warmUp.status)).toBe(true);
    const results: string[] = [`warm-up /: RSS ${Math.round(warmUp.rssBefore / MB)} → ${Math.round(warmUp.rssPeak / MB)} MB`];
    for (const [target, headers] of cases) {
      // Each route's own code path once (30 MB): what its first large body costs in heap growth
      // is the same for 30 MB as for 300 MB, and is not the body being kept.
      expect(refused((await postHuge(`${BASE_URL}${target}`, { bytes: 30 * MB, headers, pid })).status), `${target} warm-up`).toBe(true);
      await settledRss(pid);
      const result = await postHuge(`${BASE_URL}${target}`, { bytes: 300 * MB, headers, pid });
      // Before and after, as the server settles: what a body leaves behind. (The peak while Next
      // reads and drops a body that passed the proxy also holds garbage not yet collected; it is
      // reported beside, not bounded.)
      // On a busy machine the collector may not have run yet when RSS first settles: a body kept
      // stays 300 MB, garbage goes once V8's memory reducer runs (seconds of idle), so ask again.
      const growth = await growthWithin(pid, result.rssBefore, KEPT_LIMIT, 15_000);
      results.push(
        `${target}: ${result.status}, RSS ${Math.round(result.rssBefore / MB)} → ${Math.round(result.rssPeak / MB)} MB, left ${Math.round(growth / MB)} MB`,
      );
      expect(refused(result.status), `${target}: ${result.status}`).toBe(true);
      expect(growth, `${target}: RSS growth in MB`).toBeLessThanOrEqual(KEPT_LIMIT);
      expect((await request.get('/api/health')).status(), `health after ${target}`).toBe(200);
    }
    // Declared up front, the size is refused as well (Content-Length, not chunked).
    const declared = await postHuge(`${BASE_URL}/checkout/pay`, {
      bytes: 300 * MB,
      contentLength: true,
      headers: { ...own, ...form },
      pid,
    });
    results.push(
      `/checkout/pay (Content-Length): ${declared.status}, RSS ${Math.round(declared.rssBefore / MB)} → ${Math.round(declared.rssPeak / MB)} MB`,
    );
    expect(refused(declared.status), String(declared.status)).toBe(true);
    expect((await settledRss(pid)) - declared.rssBefore).toBeLessThanOrEqual(KEPT_LIMIT);
    test.info().annotations.push({ type: 'rss', description: results.join('; ') });
  });

  test('malformed paths, server-action bodies and "Pay" bodies get a 4xx, and no stack trace in the log', async ({ request }) => {
    const offset = statSync(LOG).size;
    const { fields, actionId } = await actionForm();
    const own = { origin: BASE_URL };
    const fetchAction = { ...own, 'next-action': actionId };
    const oversized = 'a'.repeat(2 * MB);
    const garbageRow = fields.map(([name, value]): [string, string] => [name, /^\$ACTION_\d+:1$/.test(name) ? '[garbage' : value]);
    const boundMissing = fields.filter(([name]) => !/^\$ACTION_\d+:1$/.test(name));
    const reply = (root: string) =>
      multipart([
        ['0', root],
        ['1_email', 'x'],
      ]);
    const key = await checkoutFields();
    const contact: [string, string][] = [
      ['name', 'Анна'],
      ['phone', '+79123456789'],
      ['email', 'anna@example.ru'],
    ];
    const post = (path: string, headers: Record<string, string>, data: string | Buffer) => () =>
      request.post(path, { headers, data, maxRedirects: 0 });
    const cases: [string, () => Promise<{ status(): number }>][] = [
      ['GET /orders/%E0%A4%A', () => request.get('/orders/%E0%A4%A')],
      ['GET /%E0%A4%A', () => request.get('/%E0%A4%A')],
      ['GET /merchant/orders/%E0%A4%A', () => request.get('/merchant/orders/%E0%A4%A')],
      ['GET /api/orders/%E0%A4%A', () => request.get('/api/orders/%E0%A4%A')],
      ['GET /checkout/pay%E0%A4%A', () => request.get('/checkout/pay%E0%A4%A')],
      ['action: garbage text', post('/orders', { ...fetchAction, 'content-type': 'text/plain;charset=UTF-8' }, 'garbage{{{')],
      ['action: garbage JSON', post('/orders', { ...fetchAction, 'content-type': 'application/json' }, '{"x":1')],
      [
        'action: garbage multipart',
        post('/orders', { ...fetchAction, 'content-type': 'multipart/form-data; boundary=XYZ' }, 'garbage\r\n--nope'),
      ],
      ['action: multipart without a boundary', post('/orders', { ...fetchAction, 'content-type': 'multipart/form-data' }, 'garbage')],
      ['action: JSON arguments, no form', post('/orders', { ...fetchAction, 'content-type': 'text/plain;charset=UTF-8' }, '[1,2,3]')],
      [
        'action: a reference to a missing row',
        post('/orders', { ...fetchAction, 'content-type': reply('["$@5","$K1"]').contentType }, reply('["$@5","$K1"]').body),
      ],
      [
        'action: the form where the state goes',
        post('/orders', { ...fetchAction, 'content-type': reply('["$K1"]').contentType }, reply('["$K1"]').body),
      ],
      ['action: oversized (2 MB)', post('/orders', { ...fetchAction, 'content-type': 'text/plain;charset=UTF-8' }, oversized)],
      [
        'form post: garbage multipart',
        post('/orders', { ...own, 'content-type': 'multipart/form-data; boundary=XYZ' }, 'garbage\r\n--nope'),
      ],
      [
        'form post: bound state not JSON',
        post('/orders', { ...own, 'content-type': multipart(garbageRow).contentType }, multipart(garbageRow).body),
      ],
      [
        'form post: bound state missing',
        post('/orders', { ...own, 'content-type': multipart(boundMissing).contentType }, multipart(boundMissing).body),
      ],
      [
        'form post: oversized (2 MB)',
        post(
          '/orders',
          { ...own, 'content-type': multipart([...fields, ['email', oversized]]).contentType },
          multipart([...fields, ['email', oversized]]).body,
        ),
      ],
      [
        'Pay: garbage multipart',
        post('/checkout/pay', { ...own, cookie: CART, 'content-type': 'multipart/form-data; boundary=XYZ' }, 'garbage\r\n--nope'),
      ],
      [
        'Pay: multipart without a boundary',
        post('/checkout/pay', { ...own, cookie: CART, 'content-type': 'multipart/form-data' }, 'garbage'),
      ],
      ['Pay: JSON', post('/checkout/pay', { ...own, cookie: CART, 'content-type': 'application/json' }, '{"checkoutKey":"x"}')],
      ['Pay: no content type', post('/checkout/pay', { ...own, cookie: CART }, 'name=x')],
      [
        'Pay: no idempotency key',
        post('/checkout/pay', { ...own, cookie: CART, 'content-type': multipart(contact).contentType }, multipart(contact).body),
      ],
      [
        'Pay: oversized (2 MB)',
        post(
          '/checkout/pay',
          { ...own, cookie: CART, 'content-type': multipart([...key, ['name', oversized]]).contentType },
          multipart([...key, ['name', oversized]]).body,
        ),
      ],
      ['Pay: GET', () => request.get('/checkout/pay')],
    ];
    const statuses: Record<string, number> = {};
    for (const [label, send] of cases) statuses[label] = (await send()).status();
    test.info().annotations.push({ type: 'statuses', description: JSON.stringify(statuses) });
    for (const [label, status] of Object.entries(statuses)) {
      expect(status, label).toBeGreaterThanOrEqual(400);
      expect(status, label).toBeLessThan(500);
    }
    expect(stackLines(await logSince(offset))).toEqual([]);
    // The real form still works after all that: "Pay" goes to the bank's page.
    const real = multipart([...key, ...contact, ['flow', 'one-stage']]);
    const placed = await request.post('/checkout/pay', {
      headers: { ...own, cookie: CART, 'content-type': real.contentType },
      data: real.body,
      maxRedirects: 0,
    });
    expect(placed.status()).toBe(303);
    expect(placed.headers()['location']).toContain('/sandbox/payment/merchants/');
  });

  test('a forged checkout_form cookie: the form shows what it says was typed, escaped, with errors of its own; garbage is ignored', async ({
    request,
  }) => {
    const kept = (state: unknown) => `checkout_form=${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
    const values = {
      name: '<b>Анна</b>',
      phone: '1',
      email: 'anna@example.ru',
      delivery: 'pickup',
      city: '',
      street: '',
      house: '',
      flat: '',
    };
    const forged = await request.get('/checkout', {
      headers: { cookie: `${CART}; ${kept({ key: 'k'.repeat(20), values, failure: 'rate-limited' })}` },
    });
    expect(forged.status()).toBe(200);
    const html = await forged.text();
    expect(html).toContain('value="&lt;b&gt;Анна&lt;/b&gt;"');
    expect(html).toContain('value="kkkkkkkkkkkkkkkkkkkk"');
    expect(html).toContain('Слишком много попыток оплаты');
    // The phone's error comes from the value, not from the cookie; the e-mail is fine.
    expect(html).toMatch(/data-testid="phone-error">[^<]+</);
    expect(html).toMatch(/data-testid="email-error"><\/p>/);
    for (const garbage of [
      'checkout_form=%%%',
      kept({ key: 'short', values }),
      kept({ key: 'k'.repeat(20), values, failure: 'paid-twice' }),
    ]) {
      const answer = await request.get('/checkout', { headers: { cookie: `${CART}; ${garbage}` } });
      expect(answer.status(), garbage).toBe(200);
      const page = await answer.text();
      expect(page, garbage).not.toContain('Анна');
      expect(page, garbage).toMatch(/data-testid="checkout-error"><\/p>/);
    }
  });

  test('an unknown order is a 404 with the friendly page, in both languages; the API too', async ({ request }) => {
    const ru = await request.get(`/orders/${UNKNOWN_ORDER}`);
    expect(ru.status()).toBe(404);
    expect(await ru.text()).toContain('Такого заказа нет');
    const en = await request.get(`/orders/${UNKNOWN_ORDER}`, { headers: { cookie: 'lang=en' } });
    expect(en.status()).toBe(404);
    expect(await en.text()).toContain('No such order');
    expect((await request.get(`/api/orders/${UNKNOWN_ORDER}`)).status()).toBe(404);
    // The bank's return to it skips the proxy: it is sent on to the plain address, that 404.
    const returned = await request.get(`/orders/${UNKNOWN_ORDER}?orderId=x`, { maxRedirects: 0 });
    expect(returned.status()).toBe(307);
    expect(returned.headers()['location']).toBe(`/orders/${UNKNOWN_ORDER}`);
  });

  test('a customer name with control characters and bidi overrides is stored clean', async ({ request }) => {
    const fields = await checkoutFields();
    const name = '\u202eАнна\u202c\r\nЗлая\u0000\u0007\u2066 Тестова\u2069\u0085';
    const body = multipart([...fields, ['name', name], ['phone', '+7 912 345-67-89'], ['email', 'evil@example.ru'], ['flow', 'one-stage']]);
    const placed = await request.post('/checkout/pay', {
      headers: { origin: BASE_URL, cookie: CART, 'content-type': body.contentType },
      data: body.body,
      maxRedirects: 0,
    });
    expect(placed.status()).toBe(303);
    const orderId = /(?:^|\n)checkout=([^;]+)/.exec(placed.headers()['set-cookie'] ?? '')?.[1];
    expect(orderId).toBeTruthy();
    const db = new Database(DATABASE, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('select customer_name, customer_phone, customer_email from orders where id = ?').get(orderId) as Record<
        string,
        string
      >;
      expect(row).toEqual({ customer_name: 'Анна Злая Тестова', customer_phone: '+79123456789', customer_email: 'evil@example.ru' });
    } finally {
      db.close();
    }
  });
});
