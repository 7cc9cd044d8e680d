// The environment variables the server reads, each with its zod rule: the raw shape lib/env.ts
// checks the environment against before it turns it into the typed configuration.
import { z } from 'zod';
import { bankPresetNames } from './gateway/banks';

const absoluteHttpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL');

const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), 'expected true or false')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const positiveInt = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `expected a whole number from 1 to ${max}`);

const nonNegativeInt = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number from 0 to ${max}`)
    .transform(Number)
    .refine((n) => n <= max, `expected a whole number from 0 to ${max}`);

const originList = z
  .string()
  .trim()
  .transform((value, context) => {
    const origins: string[] = [];
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (
        !url ||
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.pathname !== '/' ||
        url.search ||
        url.hash ||
        url.username
      ) {
        context.addIssue({ code: 'custom', message: 'expected comma-separated origins such as https://shop.example' });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  });

export const rawSchema = z.object({
  PORT: positiveInt(65535).optional(),
  APP_URL: absoluteHttpUrl.optional(),
  GATEWAY_URL: absoluteHttpUrl.optional(),
  GATEWAY_BANK: z.enum(bankPresetNames, `expected one of ${bankPresetNames.join(', ')}`).optional(),
  GATEWAY_USERNAME: z.string().min(1).max(30, 'expected at most 30 characters').optional(),
  GATEWAY_PASSWORD: z.string().min(1).max(30, 'expected at most 30 characters').optional(),
  GATEWAY_TOKEN: z.string().min(1).max(256, 'expected at most 256 characters').optional(),
  GATEWAY_TIMEOUT_MS: positiveInt(120_000).optional(),
  GATEWAY_STATUS_RETRIES: nonNegativeInt(5).optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => !/^postgres(ql)?:/.test(value) || URL.canParse(value),
      'expected postgres://user:password@host:5432/database or a SQLite file path',
    )
    .optional(),
  DATABASE_POOL_MAX: positiveInt(200).optional(),
  SANDBOX_ENABLED: boolean.optional(),
  SANDBOX_MERCHANT: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'expected 1-40 lower-case letters, digits, "-" or "_"')
    .optional(),
  SANDBOX_MERCHANT_NAME: z.string().trim().min(1).max(80).optional(),
  PAYMENT_FLOW: z.enum(['one-stage', 'two-stage'], 'expected one-stage or two-stage').optional(),
  CALLBACK_KEY: z.string().trim().min(16, 'expected at least 16 characters').max(256).optional(),
  CALLBACK_CERT: z.string().trim().min(1).optional(),
  SANDBOX_CALLBACK_SIGNATURE: z.enum(['hmac', 'rsa'], 'expected hmac or rsa').optional(),
  SANDBOX_ERROR_CODE_TYPE: z.enum(['string', 'number'], 'expected string or number').optional(),
  RECONCILE_INTERVAL_MS: nonNegativeInt(86_400_000).optional(),
  HOLD_LIFETIME_DAYS: nonNegativeInt(30).optional(),
  MERCHANT_PASSWORD: z.string().min(10, 'expected at least 10 characters').max(200).optional(),
  CHECKOUT_RATE_LIMIT: positiveInt(100_000).optional(),
  CHECKOUT_CART_RATE_LIMIT: positiveInt(100_000).optional(),
  TRUSTED_PROXIES: nonNegativeInt(10).optional(),
  SANDBOX_CALLBACK_URL: absoluteHttpUrl.optional(),
  SANDBOX_CALLBACK_ATTEMPTS: nonNegativeInt(10).optional(),
  SANDBOX_CALLBACK_INTERVAL_MS: positiveInt(3_600_000).optional(),
  SANDBOX_CONTROL_TOKEN: z.string().trim().min(24, 'expected at least 24 characters').max(256).optional(),
  SANDBOX_RETURN_ORIGINS: originList.optional(),
  SANDBOX_LATENCY_MS: nonNegativeInt(60_000).optional(),
  SANDBOX_LATENCY_JITTER_MS: nonNegativeInt(60_000).optional(),
  SHUTDOWN_TIMEOUT_MS: positiveInt(600_000).optional(),
  METRICS_TOKEN: z.string().trim().min(24, 'expected at least 24 characters').max(256).optional(),
  SMTP_URL: z
    .string()
    .trim()
    .refine((value) => /^smtps?:\/\//.test(value) && URL.canParse(value), 'expected smtp://user:password@host:587 or smtps://…:465')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  SMTP_MAX_CONNECTIONS: positiveInt(20).optional(),
  ALERT_WEBHOOK_URL: absoluteHttpUrl.optional(),
  ALERT_WEBHOOK_FORMAT: z.enum(['json', 'telegram']).optional(),
  ALERT_TELEGRAM_CHAT_ID: z
    .string()
    .trim()
    .regex(/^(-?\d{1,20}|@\w{5,32})$/, 'expected a chat id (-1001234567890) or @channelname')
    .optional(),
});
