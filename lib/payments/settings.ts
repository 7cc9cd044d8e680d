// Shop settings the merchant changes in the console, stored in the database so that every server
// instance sees the same value at once.
import type { Db } from '../db/database';

/** Two-stage orders: capture when the shopper returns (default), or wait for the merchant. */
export type CaptureMode = 'on-return' | 'manual';

export async function captureMode(db: Db): Promise<CaptureMode> {
  const row = await db.selectFrom('shop_settings').select('value').where('key', '=', 'capture_mode').executeTakeFirst();
  return row?.value === 'manual' ? 'manual' : 'on-return';
}

export async function setCaptureMode(db: Db, mode: CaptureMode): Promise<void> {
  await db
    .insertInto('shop_settings')
    .values({ key: 'capture_mode', value: mode })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: mode }))
    .execute();
}
