// The sandbox's test controls under /sandbox/control/ (behind the merchant session or
// SANDBOX_CONTROL_TOKEN, see ../handler.ts): its clock, its callback outbox, and the requests it
// answered. Fault rules have their own module (../faults.ts).
import { callbackRelease, callbackSettingsPatch, issuesOf } from '../callbacks';
import { json, safeJson } from '../http';
import type { SandboxParts } from './parts';

export async function advanceClock(parts: SandboxParts, request: Request): Promise<Response> {
  const { store } = parts;
  const text = await request.text();
  const seconds = Number(new URLSearchParams(text).get('advanceSeconds') ?? safeJson(text)?.advanceSeconds);
  if (!Number.isFinite(seconds) || seconds < 0) return json({ error: 'advanceSeconds: expected a number ≥ 0' }, 400);
  await store.advanceClock(Math.round(seconds * 1000));
  return json({ now: await store.now() });
}

/** Callback test controls: GET lists the outbox, POST changes settings, POST …/release releases held ones. */
export async function callbackControl(parts: SandboxParts, request: Request, url: URL, method: string): Promise<Response> {
  const { options, callbacks } = parts;
  if (!options.callbacks) return json({ error: 'callbacks are off: the sandbox was built without a callback URL' }, 409);
  const releasing = url.pathname.endsWith('/release');
  if (method === 'GET' && !releasing) {
    const orderId = url.searchParams.get('orderId') ?? undefined;
    return json({ settings: await callbacks.settings(), callbacks: await callbacks.list(orderId) });
  }
  if (method !== 'POST') return new Response('Method Not Allowed', { status: 405 });
  const text = await request.text();
  const body = text.trim() === '' ? {} : safeJson(text);
  if (releasing) {
    const parsed = callbackRelease.safeParse(body);
    if (!parsed.success) return json({ error: issuesOf(parsed.error) }, 400);
    return json({ released: await callbacks.release(parsed.data.order) });
  }
  const parsed = callbackSettingsPatch.safeParse(body);
  if (!parsed.success) return json({ error: issuesOf(parsed.error) }, 400);
  return json({ settings: await callbacks.updateSettings(parsed.data) });
}

/** Every REST request the sandbox answered, by order and method: the tests' view of the wire. */
export async function answeredRequests(parts: SandboxParts, url: URL): Promise<Response> {
  const rows = await parts.store.requestsOf({
    orderId: url.searchParams.get('orderId') ?? undefined,
    method: url.searchParams.get('method') ?? undefined,
  });
  return json({ requests: rows });
}
