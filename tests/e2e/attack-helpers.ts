// Attacks over plain HTTP, as a script sends them: many "Pay" posts, many password guesses.
import Database from 'better-sqlite3';
import { postForm, readForm, type PostResult } from './form-post';
import { dataFile } from './servers';

export const ATTACKER = { name: 'Бот Ботов', phone: '+79120000000', flow: 'one-stage' };

/** Where the checkout form posts ("Pay"). */
export const PAY = '/checkout/pay';

/**
 * "Pay" `times` times as a script posts the checkout form, each with a fresh idempotency key (a new
 * order each) and the e-mail `email`, to the path and shop `target(i)` names. Returns how many the
 * shop refused as over its limit (sent back to the form saying so); the orders made are counted in
 * the database by the caller (the e-mail marks them).
 */
export async function pay(
  base: string,
  cart: string,
  email: string,
  times: number,
  target: (i: number) => { path?: string; shop?: string; headers?: Record<string, string> },
) {
  const cookie = { cookie: `cart=${cart}`, 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' };
  const form = await readForm(`${base}/checkout`, 'checkout-form', cookie);
  const results: PostResult[] = [];
  for (let i = 0; i < times; i++) {
    const { path = PAY, shop = base, headers } = target(i);
    const checkoutKey = `attack-key-${Date.now()}-${i}-xxxxxxxx`;
    results.push(await postForm(`${shop}${path}`, form, { ...ATTACKER, email, checkoutKey }, { ...cookie, ...headers }));
  }
  return { refused: results.filter((r) => keptForm(r)?.failure === 'rate-limited').length, results };
}

/** The form state a "Pay" sent back to the form with (its `checkout_form` cookie), if it did. */
export function keptForm(result: PostResult): { failure?: string } | undefined {
  const value = /(?:^|[\s,])checkout_form=([^;]+)/.exec(result.setCookie ?? '')?.[1];
  return value ? (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { failure?: string }) : undefined;
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
