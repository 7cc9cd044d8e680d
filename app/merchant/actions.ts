'use server';
// The console's actions: plain form posts. Every one but login checks the session first, so a
// direct POST without one only gets a redirect to the login page.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getServices } from '@/app/_server/services';
import { COOKIE_SECURITY } from '@/app/_server/cookie-security';
import { runMerchantAction, type MerchantAction } from '@/lib/payments/merchant-operations';
import { setCaptureMode } from '@/lib/payments/settings';
import { endSession, passwordMatches, SESSION_COOKIE, SESSION_TTL_MS, startSession } from '@/lib/web/merchant-session';
import { formOf } from '@/app/_server/action-form';
import { clientAddress } from '@/app/_server/client-address';
import { consolePassword, requireMerchant } from './_auth';
import { inRequest } from '@/app/_server/request-id';

export async function loginAction(formData: FormData): Promise<void> {
  const form = formOf(formData);
  const password = consolePassword();
  const { db, limits } = await getServices();
  // Counted before the password is looked at (lib/web/abuse-limits.ts): over the budget, it never is.
  const gate = await limits.login.begin(await clientAddress());
  if (!gate.allowed) redirect(`/merchant/login?wait=${gate.retryAfterSeconds}`);
  if (gate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.delayMs));
  const matches = passwordMatches(String(form.get('password') ?? ''), password);
  await gate.finish(matches);
  if (!matches) redirect('/merchant/login?failed=1');
  // Path "/": the sandbox's test controls (/sandbox/control/…) also accept the merchant's session.
  (await cookies()).set(SESSION_COOKIE, await startSession(db, password, Date.now()), {
    httpOnly: true,
    sameSite: 'strict',
    ...COOKIE_SECURITY,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  redirect('/merchant');
}

/** Ends the session on the server too: a copy of the cookie stops working with it. */
export async function logoutAction(): Promise<void> {
  const jar = await cookies();
  await endSession((await getServices()).db, jar.get(SESSION_COOKIE)?.value, consolePassword(), Date.now());
  jar.delete({ name: SESSION_COOKIE, path: '/' });
  redirect('/merchant/login');
}

export async function captureModeAction(formData: FormData): Promise<void> {
  await requireMerchant();
  const mode = z.enum(['on-return', 'manual']).safeParse(formOf(formData).get('mode'));
  if (mode.success) await setCaptureMode((await getServices()).db, mode.data);
  redirect('/merchant');
}

/** "500", "499,90", "1 234.5" → kopecks; anything else → NaN (refused as an invalid amount). */
function kopecksOf(value: FormDataEntryValue | null): number {
  const text = String(value ?? '')
    .replace(/[\s\u00a0]/g, '')
    .replace(',', '.');
  return /^\d{1,9}(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
}

/** Fields `line-<positionId>` = units to refund; anything but a whole number is refused as an invalid choice. */
function lineChoicesOf(form: FormData | URLSearchParams): { positionId: number; quantity: number }[] {
  const choices: { positionId: number; quantity: number }[] = [];
  for (const [name, value] of form.entries()) {
    const position = /^line-(\d{1,3})$/.exec(name);
    if (!position) continue;
    const text = String(value).trim();
    choices.push({ positionId: Number(position[1]), quantity: text === '' ? 0 : /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN });
  }
  return choices;
}

const operationSchema = z.object({
  orderId: z.string().regex(/^[\w-]{1,64}$/),
  kind: z.enum(['capture', 'cancel', 'refund', 'refund-lines']),
  requestKey: z.string().regex(/^[\w-]{16,64}$/),
});

export async function orderAction(formData: FormData): Promise<void> {
  return inRequest(() => orderActionInRequest(formData));
}

async function orderActionInRequest(formData: FormData): Promise<void> {
  await requireMerchant();
  const form = formOf(formData);
  const input = operationSchema.safeParse(Object.fromEntries(['orderId', 'kind', 'requestKey'].map((k) => [k, form.get(k)])));
  if (!input.success) redirect('/merchant');
  const { orderId, kind, requestKey } = input.data;
  const action: MerchantAction =
    kind === 'cancel'
      ? { kind }
      : kind === 'refund-lines'
        ? { kind, lines: lineChoicesOf(form) }
        : { kind, amount: kopecksOf(form.get('amount')) };
  const outcome = await runMerchantAction((await getServices()).shop, orderId, action, requestKey);
  const result = outcome.ok ? `done=${kind === 'refund-lines' ? 'refund' : kind}` : `refused=${outcome.reason}`;
  redirect(`/merchant/orders/${encodeURIComponent(orderId)}?${result}`);
}
