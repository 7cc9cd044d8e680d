// Secrets a deployment generates once and then keeps: the first instance to start writes its
// candidate, every later (or concurrent) one reads that row back. Kept in the shop's own
// shop_settings (lib/payments/secrets.ts), never in the sandbox's tables, which exist only while
// the sandbox is on.
import type { Db } from './database';

const PREFIX = 'secret.';

/**
 * The stored value of secret `name`, creating it from `candidate` if there is none yet. Race-safe:
 * an insert that loses to another instance's (same key, a primary key) does nothing, and both
 * then read the one row that won.
 */
export async function generatedSecret(db: Db, name: string, candidate: () => string): Promise<string> {
  const key = `${PREFIX}${name}`;
  await db
    .insertInto('shop_settings')
    .values({ key, value: candidate() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('shop_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
