// The only reader of process.env. Everything the server needs from its environment is parsed here
// once, with zod, into a typed, frozen object; a wrong value stops start-up with one line that names
// the variable and what was expected.
import { readFileSync } from 'node:fs';
import { bankPresets } from './gateway/banks';
import { rawSchema } from './env-schema';
import { callbackPublicKey } from './gateway/checksum';

const SANDBOX_USERNAME = 'sandbox-api';
const SANDBOX_PASSWORD = 'sandbox-password';

const SANDBOX_CALLBACK_KEY = 'sandbox-callback-key-change-me';

/**
 * The name the sandbox's payment page and Mir Pay app show when SANDBOX_MERCHANT_NAME is unset:
 * the shop's own (app/_i18n/texts.ts shopName; a unit test keeps the two equal).
 */
export const DEFAULT_SANDBOX_MERCHANT_NAME = 'Кофе и чай';
/** E-mails sent at once, each over an SMTP connection of its own, unless SMTP_MAX_CONNECTIONS says (nodemailer's own pool size). */
export const DEFAULT_SMTP_CONNECTIONS = 5;

/** The console's password while the sandbox is on and MERCHANT_PASSWORD is unset (README). */
export const DEMO_MERCHANT_PASSWORD = 'demo-merchant';

const SECRET_VARIABLES = new Set([
  'CALLBACK_CERT',
  'GATEWAY_USERNAME',
  'GATEWAY_PASSWORD',
  'GATEWAY_TOKEN',
  'CALLBACK_KEY',
  'MERCHANT_PASSWORD',
  'DATABASE_URL',
  'SANDBOX_CONTROL_TOKEN',
  // A Telegram bot's URL holds its token.
  'ALERT_WEBHOOK_URL',
]);

/**
 * A secret the deployment generates at its first start and keeps in its database
 * (lib/payments/secrets.ts): the sandbox is the shop's gateway on a public APP_URL and none was
 * configured, so the well-known demo values would let anyone in.
 */
export const STORED = Object.freeze({ stored: true } as const);
export type Stored = typeof STORED;

type Credentials = Readonly<{ userName: string; password: string } | { token: string }>;

/** The REST base of a sandbox (this shop's or another instance's), as opposed to a bank's. */
const SANDBOX_REST_PATH = /\/sandbox\/payment\/rest\/?$/;

export type Env = Readonly<{
  port: number;
  appUrl: string;
  /** The bearer token GET /api/metrics asks for; unset, the endpoint does not exist. */
  metricsToken: string | undefined;
  /** Where alerts are delivered (lib/alerts/webhook.ts); unset = listed in the console only. */
  alertWebhook: Readonly<{ url: string; format: 'json' | 'telegram'; chatId: string | undefined }> | undefined;
  /** SIGTERM's wait for accepted requests, and then for background work and the database (lib/web/graceful-shutdown.ts). */
  shutdownTimeoutMs: number;
  gateway: Readonly<{
    baseUrl: string;
    /** A gateway set by GATEWAY_URL or GATEWAY_BANK (a bank, or another instance's sandbox), not this server's own sandbox. */
    configured: boolean;
    auth: Credentials | Stored;
    timeoutMs: number;
    statusRetries: number;
  }>;
  /** A SQLite file path (the default, one instance) or postgres://… (several instances). */
  databaseUrl: string;
  /** PostgreSQL connections per instance. */
  databasePoolMax: number;
  /** one-stage: register.do (paid at once); two-stage: registerPreAuth.do, then deposit.do. */
  paymentFlow: 'one-stage' | 'two-stage';
  /** Shared key of the callback checksum; unset = callbacks are refused (the reconciler still syncs). */
  callbackKey: string | Stored | undefined;
  /**
   * The bank's certificate or RSA public key (PEM) for the asymmetric checksum; set, it replaces
   * callbackKey. STORED: the sandbox signs with RSA (SANDBOX_CALLBACK_SIGNATURE=rsa) with a key
   * pair the deployment generated.
   */
  callbackCert: string | Stored | undefined;
  /** How often the server's reconciler runs; 0 = never (then run `npm run reconcile` from cron). */
  reconcileIntervalMs: number;
  /** Days the bank keeps an uncaptured hold before reversing it by itself (Mir: 7): the hold policy's deadline. */
  holdLifetimeDays: number;
  /** The merchant console's password; unset = the console is off (with the sandbox: the demo one). */
  merchantPassword: string | undefined;
  /** "Pay" submissions per minute: per client address, and per client and cart. */
  checkoutRateLimit: Readonly<{ perClient: number; perCart: number }>;
  /**
   * Reverse proxies in front of the server whose X-Forwarded-For entries are believed: 0 (the
   * default) takes the client's address from the socket, so no header can choose it.
   */
  trustedProxies: number;
  /** The shopper's order e-mails (lib/mail): sent over SMTP_URL; unset = owed in the outbox, not sent. */
  /** `maxConnections`: e-mails sent at once, each over a pooled connection of its own (SMTP_MAX_CONNECTIONS). */
  mail: Readonly<{ smtpUrl: string | undefined; from: string; maxConnections: number }>;
  sandbox: Readonly<{
    enabled: boolean;
    merchant: string;
    merchantName: string;
    /** What the sandbox accepts: the shop's own credentials when the shop talks to the sandbox. */
    credentials: Credentials | Stored;
    /** Where and how the sandbox sends callback notifications (signed with callbackKey, or RSA). */
    callback: Readonly<{ url: string; key: string | Stored; signature: 'hmac' | 'rsa'; attempts: number; intervalMs: number }>;
    /** errorCode as a JSON number, as several banks send it; default a string (gateway-api.md §1.4). */
    numericErrorCodes: boolean;
    /** Bearer token of /sandbox/control/* besides the merchant session; unset = the session only. */
    controlToken: string | undefined;
    /** Origins besides APP_URL's that register.do's returnUrl/failUrl may point at. */
    returnOrigins: readonly string[];
    /** Delay of each REST call, as a bank's network latency: `ms` ± up to `jitterMs`. */
    latency: Readonly<{ ms: number; jitterMs: number }>;
  }>;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads an environment record (process.env by default). Throws ConfigError with a one-line message. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key in rawSchema.shape && value !== undefined && value !== ''),
  );
  const parsed = rawSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    // Never echo a secret back into the start-up log.
    const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(cleaned[name])})`;
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid value'}${shown}`);
  }
  // An explicit GATEWAY_URL wins over GATEWAY_BANK's preset.
  const raw = {
    ...parsed.data,
    GATEWAY_URL: parsed.data.GATEWAY_URL ?? (parsed.data.GATEWAY_BANK && bankPresets[parsed.data.GATEWAY_BANK].url),
  };
  const port = raw.PORT ?? 3000;
  const appUrl = withoutTrailingSlash(raw.APP_URL ?? `http://localhost:${port}`);
  const sandboxEnabled = raw.SANDBOX_ENABLED ?? raw.GATEWAY_URL === undefined;
  const callbackCert = raw.CALLBACK_CERT === undefined ? undefined : readCallbackCert(raw.CALLBACK_CERT);
  if (callbackCert !== undefined && raw.CALLBACK_KEY !== undefined) {
    throw new ConfigError(
      'CALLBACK_CERT, CALLBACK_KEY: set the one for the checksum the bank sends (CALLBACK_CERT: asymmetric, CALLBACK_KEY: symmetric), not both',
    );
  }

  if (raw.ALERT_WEBHOOK_FORMAT === 'telegram' && raw.ALERT_WEBHOOK_URL && !raw.ALERT_TELEGRAM_CHAT_ID) {
    throw new ConfigError('ALERT_TELEGRAM_CHAT_ID: required with ALERT_WEBHOOK_FORMAT=telegram (the chat the bot writes to)');
  }
  if (!raw.GATEWAY_URL && !sandboxEnabled) {
    throw new ConfigError('GATEWAY_URL: required when SANDBOX_ENABLED is false (e.g. https://3dsec.sberbank.ru/payment/rest/)');
  }
  if (raw.GATEWAY_TOKEN && (raw.GATEWAY_USERNAME || raw.GATEWAY_PASSWORD)) {
    throw new ConfigError('GATEWAY_TOKEN: set either GATEWAY_TOKEN or GATEWAY_USERNAME/GATEWAY_PASSWORD, not both');
  }
  if (Boolean(raw.GATEWAY_USERNAME) !== Boolean(raw.GATEWAY_PASSWORD)) {
    const missing = raw.GATEWAY_USERNAME ? 'GATEWAY_PASSWORD' : 'GATEWAY_USERNAME';
    throw new ConfigError(`${missing}: required together with ${missing === 'GATEWAY_PASSWORD' ? 'GATEWAY_USERNAME' : 'GATEWAY_PASSWORD'}`);
  }
  const usesSandboxGateway = raw.GATEWAY_URL === undefined;
  if (!usesSandboxGateway && !raw.GATEWAY_TOKEN && !raw.GATEWAY_USERNAME) {
    throw new ConfigError('GATEWAY_USERNAME: the bank gateway needs GATEWAY_USERNAME/GATEWAY_PASSWORD or GATEWAY_TOKEN');
  }
  // A bank's REST base is never under /sandbox/: next to one, the sandbox would serve a card form
  // on the real shop's origin, accept its well-known credentials and sign callbacks with the
  // bank's CALLBACK_KEY. Pointing at another instance's sandbox (scale-out) stays allowed.
  if (sandboxEnabled && raw.GATEWAY_URL !== undefined && !SANDBOX_REST_PATH.test(new URL(raw.GATEWAY_URL).pathname)) {
    throw new ConfigError(
      'SANDBOX_ENABLED, GATEWAY_URL: the sandbox cannot run next to a bank gateway; unset SANDBOX_ENABLED or point GATEWAY_URL at a sandbox (…/sandbox/payment/rest/)',
    );
  }
  const loopback = isLoopback(appUrl);
  if (sandboxEnabled && !loopback && raw.MERCHANT_PASSWORD === undefined) {
    throw new ConfigError(
      `MERCHANT_PASSWORD, APP_URL: the demo console password "${DEMO_MERCHANT_PASSWORD}" is only for a loopback APP_URL; set MERCHANT_PASSWORD (at least 10 characters)`,
    );
  }

  // With the sandbox as the gateway, unset credentials are the README's well-known ones on a
  // loopback APP_URL (the local demo, the tests) and generated ones anywhere else.
  const wellKnown = usesSandboxGateway && loopback;
  const auth: Credentials | Stored = raw.GATEWAY_TOKEN
    ? { token: raw.GATEWAY_TOKEN }
    : raw.GATEWAY_USERNAME
      ? { userName: raw.GATEWAY_USERNAME, password: raw.GATEWAY_PASSWORD ?? '' }
      : wellKnown
        ? { userName: SANDBOX_USERNAME, password: SANDBOX_PASSWORD }
        : STORED;
  const sandboxCallbackKey = raw.CALLBACK_KEY ?? (wellKnown ? SANDBOX_CALLBACK_KEY : STORED);
  const sandboxSignature = raw.SANDBOX_CALLBACK_SIGNATURE ?? 'hmac';
  const shopChecksSandbox = sandboxEnabled && usesSandboxGateway;
  // With the sandbox as the gateway, the shop checks what the sandbox sends: its generated RSA key
  // (unless a CALLBACK_CERT is given), or the HMAC key.
  const shopCert = callbackCert ?? (shopChecksSandbox && sandboxSignature === 'rsa' ? STORED : undefined);

  return Object.freeze({
    port,
    appUrl,
    gateway: Object.freeze({
      baseUrl: withTrailingSlash(raw.GATEWAY_URL ?? `${appUrl}/sandbox/payment/rest/`),
      configured: raw.GATEWAY_URL !== undefined,
      auth: Object.freeze(auth),
      timeoutMs: raw.GATEWAY_TIMEOUT_MS ?? 15_000,
      statusRetries: raw.GATEWAY_STATUS_RETRIES ?? 2,
    }),
    databaseUrl: raw.DATABASE_URL ?? '.data/shop.sqlite',
    databasePoolMax: raw.DATABASE_POOL_MAX ?? 10,
    paymentFlow: raw.PAYMENT_FLOW ?? 'one-stage',
    callbackKey: shopCert !== undefined ? undefined : shopChecksSandbox ? sandboxCallbackKey : raw.CALLBACK_KEY,
    callbackCert: shopCert,
    reconcileIntervalMs: raw.RECONCILE_INTERVAL_MS ?? 60_000,
    holdLifetimeDays: raw.HOLD_LIFETIME_DAYS || 7,
    merchantPassword: raw.MERCHANT_PASSWORD ?? (sandboxEnabled ? DEMO_MERCHANT_PASSWORD : undefined),
    checkoutRateLimit: Object.freeze({ perClient: raw.CHECKOUT_RATE_LIMIT ?? 30, perCart: raw.CHECKOUT_CART_RATE_LIMIT ?? 10 }),
    trustedProxies: raw.TRUSTED_PROXIES ?? 0,
    metricsToken: raw.METRICS_TOKEN,
    alertWebhook: raw.ALERT_WEBHOOK_URL
      ? { url: raw.ALERT_WEBHOOK_URL, format: raw.ALERT_WEBHOOK_FORMAT ?? 'json', chatId: raw.ALERT_TELEGRAM_CHAT_ID }
      : undefined,
    // By default no gateway call in flight is cut short: two timeouts and a margin (inFlightMs).
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS ?? 2 * (raw.GATEWAY_TIMEOUT_MS ?? 15_000) + 1000,
    mail: {
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM ?? `shop@${new URL(appUrl).hostname}`,
      maxConnections: raw.SMTP_MAX_CONNECTIONS ?? DEFAULT_SMTP_CONNECTIONS,
    },
    sandbox: Object.freeze({
      enabled: sandboxEnabled,
      merchant: raw.SANDBOX_MERCHANT ?? 'demo-shop',
      merchantName: raw.SANDBOX_MERCHANT_NAME ?? DEFAULT_SANDBOX_MERCHANT_NAME,
      // Next to another instance's sandbox (GATEWAY_URL at it) this one takes the same credentials;
      // with the sandbox off the value is unused, and never the bank's.
      credentials: Object.freeze(sandboxEnabled ? auth : { userName: SANDBOX_USERNAME, password: SANDBOX_PASSWORD }),
      callback: Object.freeze({
        url: raw.SANDBOX_CALLBACK_URL ?? `${appUrl}/api/payments/callback`,
        key: sandboxCallbackKey,
        signature: sandboxSignature,
        attempts: raw.SANDBOX_CALLBACK_ATTEMPTS ?? 3,
        intervalMs: raw.SANDBOX_CALLBACK_INTERVAL_MS ?? 30_000,
      }),
      controlToken: raw.SANDBOX_CONTROL_TOKEN,
      returnOrigins: Object.freeze(raw.SANDBOX_RETURN_ORIGINS ?? []),
      numericErrorCodes: raw.SANDBOX_ERROR_CODE_TYPE === 'number',
      latency: Object.freeze({ ms: raw.SANDBOX_LATENCY_MS ?? 0, jitterMs: raw.SANDBOX_LATENCY_JITTER_MS ?? 0 }),
    }),
  });
}

let cached: Env | undefined;

/** The server's configuration, parsed from process.env on first use. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * The logger's two settings, read apart from the rest and never validated: the logger must work
 * before and without the shop's configuration (scripts, tests, and the line that reports a
 * configuration error). LOG_LEVEL: the least level written; development: lines go through
 * pino-pretty (`npm run dev`).
 */
export function logSettings(): { level: string | undefined; development: boolean } {
  return { level: process.env.LOG_LEVEL, development: process.env.NODE_ENV === 'development' };
}

/** The gateway's origin: where the checkout's form post is redirected (the CSP's form-action names it). */
export function gatewayOrigin(env: Env = getEnv()): string {
  return new URL(env.gateway.baseUrl).origin;
}

/** localhost, 127.0.0.0/8 or [::1]: a server only this machine reaches. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * CALLBACK_CERT: the PEM itself (line breaks may be written as \n, as .env files need), or the
 * path of a PEM file. Checked here, so a wrong one stops start-up instead of refusing every callback.
 */
function readCallbackCert(value: string): string {
  let pem = value.replace(/\\n/g, '\n');
  if (!pem.includes('-----BEGIN')) {
    try {
      pem = readFileSync(value, 'utf8');
    } catch {
      throw new ConfigError(
        "CALLBACK_CERT: expected the bank's certificate or public key in PEM (-----BEGIN …), or the path of a PEM file",
      );
    }
  }
  try {
    callbackPublicKey(pem);
  } catch (error) {
    throw new ConfigError(
      `CALLBACK_CERT: not a usable RSA certificate or public key (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return pem;
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
