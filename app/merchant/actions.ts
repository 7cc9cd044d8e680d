'use server';
// The console's actions: plain form posts. Every one but login checks the session first, so a
// direct POST without one only gets a redirect to the login page.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getServices } from '@/app/_server/services';
import { getEnv } from '@/lib/env';
import { runMerchantAction, type MerchantAction } from '@/lib/shop/merchant-operations';
import { setCaptureMode } from '@/lib/shop/settings';
import { createLoginThrottle, issueSession, passwordMatches, SESSION_COOKIE, SESSION_TTL_MS } from '@/lib/web/merchant-session';
import { clientAddress, consolePassword, requireMerchant } from './_auth';

const throttle = createLoginThrottle();

export async function loginAction(formData: FormData): Promise<void> {
  const password = consolePassword();
  const client = await clientAddress();
  const delay = throttle.delayFor(client);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (!passwordMatches(String(formData.get('password') ?? ''), password)) {
    throttle.failed(client);
    redirect('/merchant/login?failed=1');
  }
  throttle.succeeded(client);
  (await cookies()).set(SESSION_COOKIE, issueSession(password, Date.now()), {
    httpOnly: true,
    sameSite: 'strict',
    secure: getEnv().appUrl.startsWith('https:'),
    path: '/merchant',
    maxAge: SESSION_TTL_MS / 1000,
  });
  redirect('/merchant');
}

export async function logoutAction(): Promise<void> {
  (await cookies()).delete({ name: SESSION_COOKIE, path: '/merchant' });
  redirect('/merchant/login');
}

export async function captureModeAction(formData: FormData): Promise<void> {
  await requireMerchant();
  const mode = z.enum(['on-return', 'manual']).safeParse(formData.get('mode'));
  if (mode.success) await setCaptureMode((await getServices()).db, mode.data);
  redirect('/merchant');
}

/** "500", "499,90", "1 234.5" → kopecks; anything else → NaN (refused as an invalid amount). */
function kopecksOf(value: FormDataEntryValue | null): number {
  const text = String(value ?? '').replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^\d{1,9}(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
}

const operationSchema = z.object({
  orderId: z.string().regex(/^[\w-]{1,64}$/),
  kind: z.enum(['capture', 'cancel', 'refund']),
  requestKey: z.string().regex(/^[\w-]{16,64}$/),
});

export async function orderAction(formData: FormData): Promise<void> {
  await requireMerchant();
  const input = operationSchema.safeParse(Object.fromEntries(['orderId', 'kind', 'requestKey'].map((k) => [k, formData.get(k)])));
  if (!input.success) redirect('/merchant');
  const { orderId, kind, requestKey } = input.data;
  const action: MerchantAction = kind === 'cancel' ? { kind } : { kind, amount: kopecksOf(formData.get('amount')) };
  const outcome = await runMerchantAction((await getServices()).checkout, orderId, action, requestKey);
  const result = outcome.ok ? `done=${kind}` : `refused=${outcome.reason}`;
  redirect(`/merchant/orders/${encodeURIComponent(orderId)}?${result}`);
}
