// Who asks for a sync, and what that means for it: one table instead of flags at every call. The
// cause each trigger records on the events it writes (the merchant's timeline) comes from here.
// Every trigger runs the same idempotent sync (./sync.ts); they differ only in these rules.

export type Trigger = 'checkout' | 'return' | 'poll' | 'callback' | 'reconciler' | 'merchant' | 'duplicate';

/** What the merchant's timeline says moved a payment. */
export type Cause = 'checkout' | 'shopper return' | 'polling' | 'callback' | 'reconciler' | 'merchant' | 'duplicate payment';

export type SyncPolicy = Readonly<{
  cause: Cause;
  /**
   * Two-stage: an approved hold is deposited as the merchant's capture setting says (on the
   * shopper's return, by default), or never: the reads made around a money operation must not
   * start another one.
   */
  deposit: 'as-set' | 'never';
  /**
   * Which attempts are read at all: open ones; open ones and paid ones (a callback may announce a
   * refund or reversal); any, final ones included (the merchant acts on the bank's current truth).
   */
  reread: 'open' | 'open-or-paid' | 'any';
  /**
   * A "depositing" claim older than the longest a gateway call can be in flight, whose hold the
   * bank still shows approved, never reached the bank (a crash between claim and call, a refused
   * call): claimed again and sent once more. Only the reconciler, which comes back on its own.
   */
  redeposit: boolean;
  /** A second secured payment of the same order is given back (not within a money operation's own reads). */
  settleDuplicates: boolean;
}>;

const SHOPPER = { deposit: 'as-set', reread: 'open', redeposit: false, settleDuplicates: true } as const;
const OPERATION = { deposit: 'never', reread: 'any', redeposit: false, settleDuplicates: false } as const;

export const SYNC_POLICY: Readonly<Record<Trigger, SyncPolicy>> = {
  checkout: { ...SHOPPER, cause: 'checkout' },
  return: { ...SHOPPER, cause: 'shopper return' },
  poll: { ...SHOPPER, cause: 'polling' },
  callback: { ...SHOPPER, reread: 'open-or-paid', cause: 'callback' },
  reconciler: { ...SHOPPER, redeposit: true, cause: 'reconciler' },
  // The merchant's console and money operations, and the shop's own give-back of a duplicate payment.
  merchant: { ...OPERATION, cause: 'merchant' },
  duplicate: { ...OPERATION, cause: 'duplicate payment' },
};
