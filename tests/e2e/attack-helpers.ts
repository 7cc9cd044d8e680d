// Attacks over plain HTTP, as a script sends them: many "Pay" posts, many password guesses.
import Database from 'better-sqlite3';
import { actionIdOf, callAction, postForm, readForm, type PostResult } from './form-post';
import { dataFile } from './servers';

export const ATTACKER = { name: 'Бот Ботов', phone: '+79120000000', flow: 'one-stage' };

/**
 * "Pay" `times` times as a script calls the checkout's server action (lib: callAction), each with
 * a fresh idempotency key (a new order each) and the e-mail `email`, to the path and shop
 * `target(i)` names. Returns how many the shop refused as over its limit; the orders made are
 * counted in the database by the caller (the e-mail marks them).
 */
export async function pay(
  base: string,
  cart: string,
  email: string,
  times: number,
  target: (i: number) => { path: string; shop?: string; headers?: Record<string, string> },
) {
  const cookie = { cookie: `cart=${cart}`, 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' };
  const actionId = actionIdOf(await readForm(`${base}/checkout`, 'checkout-form', cookie));
  const results: PostResult[] = [];
  for (let i = 0; i < times; i++) {
    const { path, shop = base, headers } = target(i);
    const checkoutKey = `attack-key-${Date.now()}-${i}-xxxxxxxx`;
    const state = { checkoutKey, values: { name: '', phone: '', email: '' }, errors: {} };
    results.push(await callAction(`${shop}${path}`, actionId, state, { ...ATTACKER, email, checkoutKey }, { ...cookie, ...headers }));
  }
  return { refused: results.filter((r) => r.text.includes('"failure":"rate-limited"')).length, results };
}

/** Orders with this e-mail in an e2e server's SQLite database (`.data/<name>.sqlite`; MAIN_SERVER or RECONCILER_SERVER). */
export function ordersInSqlite(server: string, email: string): number {
  const db = new Database(dataFile(`${server}.sqlite`), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from orders where customer_email = ?').get(email) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Wrong passwords, all at once, from the given client addresses (so the shops must trust one proxy), spread over the shops in turn. */
export async function guessAll(shops: string[], addresses: string[]) {
  const forms = await Promise.all(shops.map((shop) => readForm(`${shop}/merchant/login`, 'login-form')));
  const results = await Promise.all(
    addresses.map((address, i) =>
      postForm(
        `${shops[i % shops.length]}/merchant/login`,
        forms[i % shops.length]!,
        { password: `guess-${i}-wrong` },
        { 'x-forwarded-for': address },
      ),
    ),
  );
  return {
    checked: results.filter((r) => r.status === 303 && r.location?.includes('failed=1')),
    refused: results.filter((r) => r.status === 303 && /wait=\d+/.test(r.location ?? '')),
    results,
  };
}
