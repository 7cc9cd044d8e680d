// A server action's request id: the one proxy.ts gave the request (or a new one when the proxy did
// not run), current for everything the action awaits, so its gateway calls and payment events
// log with it.
import 'server-only';
import { headers } from 'next/headers';
import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from '@/lib/log/request-id';

export async function inRequest<T>(work: () => Promise<T>): Promise<T> {
  const id = requestIdOf((await headers()).get(REQUEST_ID_HEADER));
  return withRequestId(id, work);
}
