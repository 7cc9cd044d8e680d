// Who asks for a sync, and what that means for it: one table instead of flags at every call. The
// cause each trigger records on the events it writes (the merchant's timeline) comes from here.
// Every trigger runs the same idempotent sync (./sync.ts); they differ only in these rules.

export type Trigger = 'checkout' | 'return' | 'after-return' | 'poll' | 'callback' | 'reconciler' | 'merchant' | 'duplicate';

/** What the merchant's timeline says moved a payment. */
export type Cause = 'checkout' | 'shopper return' | 'polling' | 'callback' | 'reconciler' | 'merchant' | 'duplicate payment';

export type SyncPolicy = Readonly<{
  cause: Cause;
  /**
   * Two-stage: an approved hold is deposited as the merchant's capture setting says (on the
   * shopper's return, by default); after the response (the shopper's return answers as soon as the
   * bank has approved, and the deposit follows off their path); or never: the reads made around a
   * money operation must not start another one.
   */
  deposit: 'as-set' | 'after-response' | 'never';
  /**
   * How long the status read may take: a shopper waits on the return and the order page, so their
   * read has a deadline of its own (ShopContext.shopperReadMs, no retry) and a bank that hangs
   * leaves them with "we are checking your payment" and polling; the others wait patiently.
   */
  statusRead: 'quick' | 'patient';
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

const BACKGROUND = { deposit: 'as-set', statusRead: 'patient', reread: 'open', redeposit: false, settleDuplicates: true } as const;
const SHOPPER = { ...BACKGROUND, statusRead: 'quick' } as const;
const OPERATION = { deposit: 'never', statusRead: 'patient', reread: 'any', redeposit: false, settleDuplicates: false } as const;

export const SYNC_POLICY: Readonly<Record<Trigger, SyncPolicy>> = {
  checkout: { ...BACKGROUND, cause: 'checkout' },
  return: { ...SHOPPER, deposit: 'after-response', cause: 'shopper return' },
  // The return's deposit, sent once the shopper has their answer (the return route runs it after the response).
  'after-return': { ...BACKGROUND, cause: 'shopper return' },
  poll: { ...SHOPPER, cause: 'polling' },
  callback: { ...BACKGROUND, reread: 'open-or-paid', cause: 'callback' },
  reconciler: { ...BACKGROUND, redeposit: true, cause: 'reconciler' },
  // The merchant's console and money operations, and the shop's own give-back of a duplicate payment.
  merchant: { ...OPERATION, cause: 'merchant' },
  duplicate: { ...OPERATION, cause: 'duplicate payment' },
};
