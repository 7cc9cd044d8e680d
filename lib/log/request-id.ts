// The request id: taken from the reverse proxy's X-Request-Id when it looks like one (so that the
// proxy's access log and ours share it), otherwise made here; carried through an action or route
// and everything it awaits (gateway calls, payment events) by AsyncLocalStorage, so that every log
// line of one request can be found together without passing the id by hand.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

// One store per process, on globalThis: Next bundles this module once per layer (server actions
// apart from route handlers and pages), and an action's id must reach the logger the services use.
const KEY = Symbol.for('mirpay.request-id');
const holder = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<string> };
const storage = (holder[KEY] ??= new AsyncLocalStorage<string>());
// Short and plain: an id from outside must not carry a line break or a secret-sized blob into logs.
const ACCEPTED = /^[A-Za-z0-9._-]{8,64}$/;

/** The id to use for a request that arrived with `sent` in its X-Request-Id header. */
export function requestIdOf(sent: string | null | undefined): string {
  return sent && ACCEPTED.test(sent) ? sent : randomUUID();
}

/** Runs `work` with `id` as the current request id (for the logger's every line inside). */
export function withRequestId<T>(id: string, work: () => T): T {
  return storage.run(id, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore();
}
