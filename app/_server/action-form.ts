// The FormData a form's server action is called with. proxy.ts lets through only argument lists
// that end with a form (lib/web/request-shape.ts), but not their count: a hand-made request can
// send the form where an action expects its previous state, and nothing in its place. Such a call
// was not made by one of the shop's forms; it is answered as for an action that does not exist
// (404), instead of failing on `.get` with a 500 and a stack trace.
import 'server-only';
import { notFound } from 'next/navigation';

export function formOf(value: unknown): FormData {
  if (value instanceof FormData) return value;
  notFound();
}
