'use server';
// The console's actions: plain form posts. Every one but login finds the signed-in user first (a
// direct POST without a session only gets a redirect to the login page); what the user's role
// allows is checked again in lib/console/console-actions.ts, which also writes the audit log.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getServices } from '@/app/_server/services';
import { COOKIE_SECURITY } from '@/app/_server/cookie-security';
import type { MerchantAction } from '@/lib/payments/merchant-operations';
import { recordAudit } from '@/lib/console/audit';
import { acknowledgeAlertAs, captureModeAs, disableUserAs, holdPolicyAs, moneyActionAs, saveUserAs } from '@/lib/console/console-actions';
import { ROLES } from '@/lib/console/roles';
import { authenticate, BOOTSTRAP_LOGIN } from '@/lib/console/users';
import { endSession, SESSION_COOKIE, SESSION_TTL_MS, startSession } from '@/lib/web/merchant-session';
import { formOf } from '@/app/_server/action-form';
import { parseRubInput } from '@/lib/money';
import { clientAddress } from '@/app/_server/client-address';
import { consolePassword, currentUser, requireMerchant } from './_auth';
import { inRequest } from '@/app/_server/request-id';

export async function loginAction(formData: FormData): Promise<void> {
  const form = formOf(formData);
  const password = consolePassword();
  const { db, limits } = await getServices();
  const address = await clientAddress();
  const login =
    String(form.get('login') ?? '')
      .trim()
      .toLowerCase()
      .slice(0, 64) || BOOTSTRAP_LOGIN;
  // Counted before the password is looked at (lib/web/abuse-limits.ts): over the budget, it never is.
  const gate = await limits.login.begin(address);
  if (!gate.allowed) {
    await recordAudit(db, { actor: login, address, action: 'login', outcome: 'throttled' }, Date.now());
    redirect(`/merchant/login?wait=${gate.retryAfterSeconds}`);
  }
  if (gate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.delayMs));
  const user = await authenticate(db, login, String(form.get('password') ?? ''), password, Date.now());
  await gate.finish(user !== undefined);
  await recordAudit(db, { actor: login, address, action: 'login', outcome: user ? 'ok' : 'failed' }, Date.now());
  if (!user) redirect('/merchant/login?failed=1');
  // Path "/": the sandbox's test controls (/sandbox/control/…) also accept the merchant's session.
  (await cookies()).set(SESSION_COOKIE, await startSession(db, password, Date.now(), user.id), {
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
  const user = await currentUser();
  const { db } = await getServices();
  await endSession(db, jar.get(SESSION_COOKIE)?.value, consolePassword(), Date.now());
  if (user) await recordAudit(db, { actor: user.login, address: await clientAddress(), action: 'logout', outcome: 'ok' }, Date.now());
  jar.delete({ name: SESSION_COOKIE, path: '/' });
  redirect('/merchant/login');
}

async function actor() {
  return { user: await requireMerchant(), address: await clientAddress() };
}

export async function captureModeAction(formData: FormData): Promise<void> {
  const who = await actor();
  const mode = z.enum(['on-return', 'manual']).safeParse(formOf(formData).get('mode'));
  if (!mode.success) redirect('/merchant');
  const outcome = await captureModeAs((await getServices()).db, who, mode.data, Date.now());
  redirect(outcome.ok ? '/merchant' : '/merchant?refused=forbidden');
}

const holdPolicySchema = z.object({ action: z.enum(['alert', 'capture', 'cancel']), daysBefore: z.coerce.number().int().min(0).max(30) });

export async function holdPolicyAction(formData: FormData): Promise<void> {
  const who = await actor();
  const form = formOf(formData);
  const policy = holdPolicySchema.safeParse({ action: form.get('holdAction'), daysBefore: form.get('daysBefore') });
  if (!policy.success) redirect('/merchant');
  const outcome = await holdPolicyAs((await getServices()).db, who, policy.data, Date.now());
  redirect(outcome.ok ? '/merchant' : '/merchant?refused=forbidden');
}

const userSchema = z.object({ login: z.string().max(64), role: z.enum(ROLES), password: z.string().max(200) });

export async function saveUserAction(formData: FormData): Promise<void> {
  const who = await actor();
  const form = formOf(formData);
  const input = userSchema.safeParse({ login: form.get('login'), role: form.get('role'), password: form.get('password') });
  if (!input.success) redirect('/merchant/users?refused=invalid');
  const outcome = await saveUserAs((await getServices()).db, who, input.data, Date.now());
  redirect(outcome.ok ? '/merchant/users?done=saved' : `/merchant/users?refused=${outcome.reason}`);
}

export async function disableUserAction(formData: FormData): Promise<void> {
  const who = await actor();
  const login = String(formOf(formData).get('login') ?? '').slice(0, 64);
  const outcome = await disableUserAs((await getServices()).db, who, login, Date.now());
  redirect(outcome.ok ? '/merchant/users?done=disabled' : `/merchant/users?refused=${outcome.reason}`);
}

export async function acknowledgeAlertAction(formData: FormData): Promise<void> {
  const who = await actor();
  const id = z.coerce.number().int().positive().safeParse(formOf(formData).get('alertId'));
  if (!id.success) redirect('/merchant/alerts');
  const outcome = await acknowledgeAlertAs((await getServices()).db, who, id.data, Date.now());
  redirect(outcome.ok ? '/merchant/alerts' : '/merchant/alerts?refused=forbidden');
}

/** The amount field as typed ("3 147,00", "499,90", "3,147.00"): lib/money.ts. */
function kopecksOf(value: FormDataEntryValue | null): number {
  return parseRubInput(String(value ?? ''));
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
  const who = await actor();
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
  const outcome = await moneyActionAs((await getServices()).shop, who, orderId, action, requestKey);
  const result = outcome.ok ? `done=${kind === 'refund-lines' ? 'refund' : kind}` : `refused=${outcome.reason}`;
  redirect(`/merchant/orders/${encodeURIComponent(orderId)}?${result}`);
}
