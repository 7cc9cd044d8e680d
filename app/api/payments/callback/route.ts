// The gateway's callback notifications (GET by default, POST form or JSON accepted). Checked and
// recorded before answering; the sync with the gateway runs after the answer is sent, so the bank
// gets its 200 at once (it retries on anything else), and is coalesced per payment (replays of one
// notification cost one status read every few seconds at most, lib/payments/callback-sync.ts).
import { after, NextResponse } from 'next/server';
import { withSecurityHeaders } from '@/app/_server/route-headers';
import { getServices } from '@/app/_server/services';
import { receiveCallback, syncAfterCallback } from '@/lib/payments/callbacks';
import { readBoundedText, statusOf } from '@/lib/web/bounded-body';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 16 * 1024;

export const GET = withSecurityHeaders((request: Request) => handle([...new URL(request.url).searchParams]));

export const POST = withSecurityHeaders(async (request: Request) => {
  const body = await readBoundedText(request, MAX_BODY_BYTES);
  if (!body.ok) return answer(statusOf(body), body.reason);
  return handle(entriesOf(body.text, request.headers.get('content-type') ?? ''));
});

async function handle(entries: [string, string][]) {
  const services = await getServices();
  const result = await receiveCallback(services.shop, entries, services.callbackKey);
  const attempt = result.attempt;
  if (result.verdict === 'accepted' && attempt) after(() => syncAfterCallback(services.shop, attempt));
  return answer(result.httpStatus, result.verdict);
}

function entriesOf(text: string, contentType: string): [string, string][] {
  if (!contentType.includes('application/json')) return [...new URLSearchParams(text)];
  try {
    const body: unknown = JSON.parse(text);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
    return Object.entries(body).map(([name, value]) => [name, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]);
  } catch {
    return [];
  }
}

function answer(status: number, verdict = 'too-large') {
  return NextResponse.json({ verdict }, { status, headers: { 'Cache-Control': 'no-store' } });
}
