// "Find my orders": a shopper types an e-mail address and the shop mails links to the orders
// placed with it, to that address only. The answer is the same whether or not there are any, so
// the page tells nobody whether an address has bought here. Rate-limited per client and per
// address; at most one e-mail per address per slot, however often it is asked for.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database';
import { stripControls } from './customer';
import { ordersOfAddress } from './orders-of-address';

/** One "find my orders" e-mail per address per this long; asking again within it sends nothing more. */
export const ORDERS_MAIL_SLOT_MS = 10 * 60_000;

export type LookupError = 'required' | 'invalid';

const emailSchema = z
  .string({ error: 'required' })
  .transform(stripControls)
  .pipe(
    z
      .string()
      .trim()
      .min(1, { error: 'required' })
      .max(254, { error: 'invalid' })
      .pipe(z.email({ error: 'invalid' })),
  );

export function parseLookupEmail(raw: unknown): { ok: true; email: string } | { ok: false; error: LookupError } {
  const parsed = emailSchema.safeParse(raw);
  if (parsed.success) return { ok: true, email: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.message === 'required' ? 'required' : 'invalid' };
}

/** The address as the limits and the outbox's key know it: a digest, any case (no address in either). */
export function addressKey(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
}

export type FindOrdersDeps = {
  db: Db;
  limits: { hit(client: string, address: string): Promise<{ allowed: boolean }> };
  clock: () => number;
};

export type FindOrdersRequest = { email: string; client: string; language: 'ru' | 'en' };

/**
 * Owes the address one e-mail listing its recent orders, if it has any: a row in the mail outbox
 * (sent by lib/mail/outbox-sender.ts), addressed through the newest order's stored e-mail.
 * 'accepted' says nothing about whether there were orders; 'rate-limited' is the only other answer.
 */
export async function requestOrdersMail(deps: FindOrdersDeps, request: FindOrdersRequest): Promise<'accepted' | 'rate-limited'> {
  const key = addressKey(request.email);
  const verdict = await deps.limits.hit(request.client, key);
  if (!verdict.allowed) return 'rate-limited';
  const [newest] = await ordersOfAddress(deps.db, request.email, 1);
  if (!newest) return 'accepted';
  const now = deps.clock();
  await deps.db
    .insertInto('mail_outbox')
    .values({
      event_key: `orders-list:${key}:${Math.floor(now / ORDERS_MAIL_SLOT_MS)}`,
      order_id: newest.id,
      kind: 'orders-list',
      language: request.language,
      created_at: now,
      next_at: now,
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .execute();
  return 'accepted';
}
