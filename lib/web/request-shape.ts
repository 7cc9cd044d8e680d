// What proxy.ts refuses before Next.js sees a request, because Next would answer it with a 500
// and a stack trace in the log: a path that does not decode (a bad percent escape such as
// /orders/%E0%A4%A), a body over the size any of the shop's forms can have, and a server-action
// body that Next's decoder would throw on (not JSON where it parses JSON, not multipart where it
// parses multipart). Plain web Request in, verdict out, so it is unit-tested without Next.
import { readBoundedText } from './bounded-body';

/**
 * The largest body a page, form or server action of the shop takes. The biggest real ones, the
 * checkout form ("Pay") and "find my orders" with its bound action state, are under 2 KiB; the
 * sandbox's card form less.
 */
export const MAX_FORM_BODY_BYTES = 64 * 1024;

export type ShapeVerdict = { ok: true } | { ok: false; status: 400 | 413 };

/**
 * Whether a URL path decodes as UTF-8 (Next answers 500 to one that does not) to text without
 * control characters: no page or order id has one, and PostgreSQL refuses a NUL in any text
 * parameter (a lookup by such an id would fail with a 500 there, not answer "no such order").
 */
export function decodablePath(pathname: string): boolean {
  try {
    return !CONTROL.test(decodeURIComponent(pathname));
  } catch {
    return false;
  }
}

/** Whether a query string is free of NULs once decoded (the merchant console's search goes to the database). */
export function queryWithoutNul(search: string): boolean {
  if (!search.includes('%00') && !search.includes('\0')) return true;
  return ![...new URLSearchParams(search)].some(([name, value]) => name.includes('\0') || value.includes('\0'));
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A POST Next hands to its server-action decoder: with a Next-Action header, or any multipart one. */
export function isActionPost(request: Request): boolean {
  return request.method === 'POST' && (request.headers.has('next-action') || contentTypeOf(request).startsWith('multipart/form-data'));
}

/**
 * A body already read (./bounded-body.ts) as the form its content type says it is, urlencoded or
 * multipart; undefined for any other type, or a body that does not parse as one.
 */
export async function formOfBody(contentType: string, text: string): Promise<FormData | undefined> {
  try {
    return await new Response(text, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

/**
 * Checks a request's body: its size against `maxBytes` (by Content-Length, and while it streams
 * when there is none), and, for a server-action post, that it parses the way Next will parse it.
 * Bodies of other requests with a Content-Length within the limit are not read.
 */
export async function checkBody(request: Request, maxBytes = MAX_FORM_BODY_BYTES): Promise<ShapeVerdict> {
  if (request.method === 'GET' || request.method === 'HEAD') return { ok: true };
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) return { ok: false, status: 413 };
  const action = isActionPost(request);
  if (declared !== null && !action) return { ok: true };
  const body = await readBoundedText(request, maxBytes);
  if (!body.ok) return { ok: false, status: body.reason === 'too-large' ? 413 : 400 };
  if (action && !(await actionBodyParses(request, body.text))) return { ok: false, status: 400 };
  return { ok: true };
}

/**
 * What React's server-action decoders parse before any of the shop's code runs, and what makes
 * them (or the action they call) throw. Every action of the shop is a form's action, so its last
 * argument is the form's FormData, and the rest is plain data (the checkout's previous state):
 * - a fetch action (Next-Action header) is multipart (a FormData argument cannot be sent
 *   otherwise): its row "0" is the JSON array of the arguments, ending with the form ("$K<n>");
 * - a form post without JavaScript is multipart; its `$ACTION_<n>:<m>` fields are JSON rows, a
 *   `$ACTION_REF_<n>` needs its row 0 (an object naming the action's id), and the bound
 *   arguments that row points to (`"bound": "$@<m>"`) must be there, a JSON array.
 * In the plain data no string may be a reference to another row, a stream, a promise or a server
 * function (React writes a literal "$…" as "$$…"): one to a row that is not there leaves the
 * decoder waiting until the body ends, then it throws, and a form's FormData where the action
 * expects data, or the reverse, makes the action throw. An unknown action id Next answers with a
 * 4xx itself.
 */
async function actionBodyParses(request: Request, text: string): Promise<boolean> {
  const contentType = contentTypeOf(request);
  const fetchAction = request.headers.has('next-action');
  if (!contentType.startsWith('multipart/form-data')) {
    // Next ignores url-encoded posts (no action); it answers a url-encoded fetch action 404 itself.
    if (!fetchAction || contentType.startsWith('application/x-www-form-urlencoded')) return true;
    // An action without arguments (the console's log-out) is sent as plain JSON: "[]". Plain data
    // only; the action that expects a form gets none and answers 404 (app/_server/action-form.ts).
    const args = jsonOf(text);
    return contentType.startsWith('text/plain') && Array.isArray(args) && plainData(args);
  }
  const form = await formOfBody(request.headers.get('content-type') ?? '', text);
  if (!form) return false;
  const rows = new Map<string, unknown>();
  for (const [name, value] of form) {
    const row = fetchAction ? /^\d+$/.test(name) : /^\$ACTION_\d+:\d+$/.test(name);
    if (!row) continue;
    const parsed = typeof value === 'string' ? jsonOf(value) : INVALID;
    if (parsed === INVALID) return false;
    rows.set(name, parsed);
  }
  if (fetchAction) {
    const args = rows.get('0');
    if (!Array.isArray(args) || args.length === 0) return false;
    const last = args[args.length - 1] as unknown;
    return rows.size === 1 && typeof last === 'string' && /^\$K[0-9a-f]+$/.test(last) && plainData(args.slice(0, -1));
  }
  for (const [name] of form) {
    const ref = /^\$ACTION_REF_(\d+)$/.exec(name);
    if (!ref) continue;
    const metadata = rows.get(`$ACTION_${ref[1]}:0`) as { id?: unknown; bound?: unknown } | undefined;
    if (!metadata || typeof metadata !== 'object' || typeof metadata.id !== 'string') return false;
    if (metadata.bound === null || metadata.bound === undefined) continue;
    const bound = typeof metadata.bound === 'string' ? /^\$@([0-9a-f]+)$/.exec(metadata.bound) : null;
    const args = bound ? rows.get(`$ACTION_${ref[1]}:${parseInt(bound[1]!, 16)}`) : undefined;
    if (!Array.isArray(args) || !plainData(args)) return false;
  }
  return true;
}

// The values React writes as "$…" strings that stand for themselves, not for another row.
const PLAIN_MARKERS = /^\$(\$|undefined$|NaN$|-?Infinity$|-0$|D|n-?\d+$)/;

/** JSON with no reference in it: every "$…" string is an escaped literal or a plain value. */
function plainData(value: unknown): boolean {
  if (typeof value === 'string') return !value.startsWith('$') || PLAIN_MARKERS.test(value);
  if (Array.isArray(value)) return value.every(plainData);
  if (value && typeof value === 'object') return Object.values(value).every(plainData);
  return true;
}

const INVALID = Symbol('invalid JSON');

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

function contentTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').toLowerCase();
}
