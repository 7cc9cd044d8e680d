// The checkout form's contact fields, validated with zod. Errors are codes, not sentences: the app
// turns them into Russian or English next to each field.
import { z } from 'zod';

export type Customer = { name: string; phone: string; email: string };
export type CustomerField = keyof Customer;
export type CustomerError = 'required' | 'too-long' | 'invalid';
export type CustomerErrors = Partial<Record<CustomerField, CustomerError>>;

/** Russian numbers in any usual spelling become +7XXXXXXXXXX; other countries need a leading +. */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s()\-.]/g, '');
  if (/^\+7\d{10}$/.test(compact)) return compact;
  if (/^[78]\d{10}$/.test(compact)) return `+7${compact.slice(1)}`;
  if (/^9\d{9}$/.test(compact)) return `+7${compact}`;
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return compact;
  return undefined;
}

// Line breaks of any kind (CR, LF, VT, FF, NEL, U+2028/2029) and tabs: a space, so "Ivan⏎Petrov"
// stays two words. Every other C0/C1 control (NUL among them, which PostgreSQL refuses in text)
// and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
// make a name read differently in the console, its CSV and the logs than it was typed: removed.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with its line breaks turned into single spaces and its controls and bidi overrides removed. */
export function stripControls(value: string): string {
  return value.replace(BREAKS, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ');
}

const text = (max: number) =>
  z
    .string({ error: 'required' })
    .transform(stripControls)
    .pipe(z.string().trim().min(1, { error: 'required' }).max(max, { error: 'too-long' }));

/** The longest value each field takes (a longer one is "too long"). */
export const CUSTOMER_MAX_LENGTH: Readonly<Record<CustomerField, number>> = { name: 100, phone: 30, email: 254 };

const customerSchema = z.object({
  name: text(CUSTOMER_MAX_LENGTH.name),
  phone: text(CUSTOMER_MAX_LENGTH.phone).transform((value, ctx) => {
    const phone = normalizePhone(value);
    if (!phone) ctx.addIssue({ code: 'custom', message: 'invalid' });
    return phone ?? value;
  }),
  email: text(CUSTOMER_MAX_LENGTH.email).pipe(z.email({ error: 'invalid' })),
});

export type CustomerParse = { ok: true; customer: Customer } | { ok: false; errors: CustomerErrors };

/** Validates the raw form values; the first problem of each field is reported. */
export function parseCustomer(input: Record<CustomerField, unknown>): CustomerParse {
  const parsed = customerSchema.safeParse(input);
  if (parsed.success) return { ok: true, customer: parsed.data };
  const errors: CustomerErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as CustomerField;
    errors[field] ??= (['required', 'too-long', 'invalid'] as const).find((code) => code === issue.message) ?? 'invalid';
  }
  return { ok: false, errors };
}
