// Who or what caused a payment's state change, for the merchant's timeline. Set once where a
// trigger enters (checkout, return, polling, callback, reconciler, merchant) and read where the
// state changes (orders.ts moveAttempt), without threading it through every function between.
import { AsyncLocalStorage } from 'node:async_hooks';

export type Cause = 'checkout' | 'shopper return' | 'polling' | 'callback' | 'reconciler' | 'merchant' | 'duplicate payment' | 'system';

const current = new AsyncLocalStorage<Cause>();

export function withCause<T>(cause: Cause, work: () => Promise<T>): Promise<T> {
  return current.run(cause, work);
}

export function currentCause(): Cause {
  return current.getStore() ?? 'system';
}
