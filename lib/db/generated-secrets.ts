// Secrets a deployment generates once and then keeps: the first instance to start writes its
// candidate, every later (or concurrent) one reads that row back. Kept in sandbox_settings, as the
// only such secrets are the sandbox's own (lib/payments/secrets.ts), so no migration is needed.
import type { Db } from './database';

const PREFIX = 'secret.';

/**
 * The stored value of secret `name`, creating it from `candidate` if there is none yet. Race-safe:
 * an insert that loses to another instance's (same key, a primary key) does nothing, and both
 * then read the one row that won.
 */
export async function generatedSecret(db: Db, name: string, candidate: () => string): Promise<string> {
  const key = `${PREFIX}${name}`;
  await db.insertInto('sandbox_settings').values({ key, value: candidate() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('sandbox_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
