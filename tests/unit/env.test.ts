import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { texts } from '../../app/_i18n/texts';
import { ConfigError, parseEnv, STORED } from '../../lib/env';

const BANK = {
  GATEWAY_URL: 'https://3dsec.sberbank.ru/payment/rest',
  GATEWAY_USERNAME: 'shop-api',
  GATEWAY_PASSWORD: 'shop-password',
};

function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected parseEnv to throw');
}

describe('parseEnv defaults (no variables: the embedded sandbox)', () => {
  it('turns the sandbox on and points the gateway at it', () => {
    const env = parseEnv({});
    expect(env.port).toBe(3000);
    expect(env.appUrl).toBe('http://localhost:3000');
    expect(env.sandbox.enabled).toBe(true);
    expect(env.gateway.baseUrl).toBe('http://localhost:3000/sandbox/payment/rest/');
    expect(env.gateway.auth).toEqual({ userName: 'sandbox-api', password: 'sandbox-password' });
    expect(env.sandbox.credentials).toEqual({ userName: 'sandbox-api', password: 'sandbox-password' });
    expect(env.gateway.timeoutMs).toBe(15_000);
    expect(env.gateway.statusRetries).toBe(2);
  });

  it('returns a frozen object', () => {
    const env = parseEnv({});
    expect(Object.isFrozen(env)).toBe(true);
    expect(Object.isFrozen(env.gateway)).toBe(true);
    expect(Object.isFrozen(env.sandbox)).toBe(true);
  });

  it('PORT=3100 changes appUrl and the sandbox base URL', () => {
    const env = parseEnv({ PORT: '3100' });
    expect(env.port).toBe(3100);
    expect(env.appUrl).toBe('http://localhost:3100');
    expect(env.gateway.baseUrl).toBe('http://localhost:3100/sandbox/payment/rest/');
  });

  it('APP_URL wins over PORT and loses its trailing slash', () => {
    const env = parseEnv({ PORT: '3100', APP_URL: 'https://shop.example/', MERCHANT_PASSWORD: 'a-long-secret' });
    expect(env.appUrl).toBe('https://shop.example');
    expect(env.gateway.baseUrl).toBe('https://shop.example/sandbox/payment/rest/');
  });

  it('empty strings count as unset; unknown variables are ignored', () => {
    const env = parseEnv({ PORT: '', GATEWAY_URL: '', SANDBOX_ENABLED: '', HOME: '/root' });
    expect(env.port).toBe(3000);
    expect(env.sandbox.enabled).toBe(true);
  });

  it('sandbox credentials follow the configured sandbox-gateway credentials', () => {
    const env = parseEnv({ GATEWAY_USERNAME: 'my-api', GATEWAY_PASSWORD: 'my-pass' });
    expect(env.gateway.auth).toEqual({ userName: 'my-api', password: 'my-pass' });
    expect(env.sandbox.credentials).toEqual({ userName: 'my-api', password: 'my-pass' });
  });
});

describe('parseEnv with a bank gateway', () => {
  it('GATEWAY_URL turns the sandbox off by default and gets a trailing slash', () => {
    const env = parseEnv(BANK);
    expect(env.sandbox.enabled).toBe(false);
    expect(env.gateway.baseUrl).toBe('https://3dsec.sberbank.ru/payment/rest/');
    expect(env.gateway.auth).toEqual({ userName: 'shop-api', password: 'shop-password' });
    // The sandbox keeps its own test credentials, never the bank's.
    expect(env.sandbox.credentials).toEqual({ userName: 'sandbox-api', password: 'sandbox-password' });
  });

  it('keeps an existing trailing slash', () => {
    expect(parseEnv({ ...BANK, GATEWAY_URL: 'https://pay.alfabank.ru/payment/rest/' }).gateway.baseUrl).toBe(
      'https://pay.alfabank.ru/payment/rest/',
    );
  });

  it('SANDBOX_ENABLED=true next to a bank gateway is refused, naming both variables', () => {
    const error = configError({ ...BANK, SANDBOX_ENABLED: 'true' });
    expect(error.message).toMatch(/^SANDBOX_ENABLED, GATEWAY_URL: /);
    expect(error.message).not.toContain('\n');
    // With a bank's key set, the sandbox would sign its callbacks with it.
    expect(
      configError({ ...BANK, SANDBOX_ENABLED: 'true', CALLBACK_KEY: 'k'.repeat(32), MERCHANT_PASSWORD: 'a-long-secret' }).message,
    ).toMatch(/^SANDBOX_ENABLED, GATEWAY_URL: /);
  });

  it("SANDBOX_ENABLED=true next to another instance's sandbox (scale-out) is allowed, with the same credentials", () => {
    const env = parseEnv({
      GATEWAY_URL: 'http://localhost:3102/sandbox/payment/rest/',
      GATEWAY_USERNAME: 'shop-api',
      GATEWAY_PASSWORD: 'shop-password',
      SANDBOX_ENABLED: 'true',
    });
    expect(env.sandbox.enabled).toBe(true);
    expect(env.sandbox.credentials).toEqual({ userName: 'shop-api', password: 'shop-password' });
  });

  it('token auth', () => {
    const env = parseEnv({ GATEWAY_URL: BANK.GATEWAY_URL, GATEWAY_TOKEN: 'tok-123' });
    expect(env.gateway.auth).toEqual({ token: 'tok-123' });
  });

  it('timeout and retries are parsed as numbers', () => {
    const env = parseEnv({ GATEWAY_TIMEOUT_MS: '5000', GATEWAY_STATUS_RETRIES: '0' });
    expect(env.gateway.timeoutMs).toBe(5000);
    expect(env.gateway.statusRetries).toBe(0);
  });

  it('callbacks: a demo key with the sandbox, none against a bank unless CALLBACK_KEY is set', () => {
    const demo = parseEnv({});
    expect(demo.callbackKey).toBe(demo.sandbox.callback.key);
    expect(demo.sandbox.callback).toMatchObject({ url: 'http://localhost:3000/api/payments/callback', attempts: 3, intervalMs: 30_000 });
    expect(parseEnv(BANK).callbackKey).toBeUndefined();
    expect(parseEnv({ ...BANK, CALLBACK_KEY: 'k'.repeat(32) }).callbackKey).toBe('k'.repeat(32));
    expect(parseEnv({ RECONCILE_INTERVAL_MS: '0' }).reconcileIntervalMs).toBe(0);
  });

  it('the merchant console: the demo password with the sandbox, off against a bank unless MERCHANT_PASSWORD is set', () => {
    expect(parseEnv({}).merchantPassword).toBe('demo-merchant');
    expect(parseEnv(BANK).merchantPassword).toBeUndefined();
    expect(parseEnv({ ...BANK, MERCHANT_PASSWORD: 'a-long-secret' }).merchantPassword).toBe('a-long-secret');
    expect(configError({ MERCHANT_PASSWORD: 'short' }).message).toBe('MERCHANT_PASSWORD: expected at least 10 characters');
  });

  it('the database: a SQLite file by default, or PostgreSQL with a pool of DATABASE_POOL_MAX connections', () => {
    expect(parseEnv({})).toMatchObject({ databaseUrl: '.data/shop.sqlite', databasePoolMax: 10 });
    const postgres = parseEnv({ DATABASE_URL: 'postgres://shop:pw@db.internal:5432/shop', DATABASE_POOL_MAX: '4' });
    expect(postgres).toMatchObject({ databaseUrl: 'postgres://shop:pw@db.internal:5432/shop', databasePoolMax: 4 });
  });

  it('the e-mails: five at once over SMTP unless SMTP_MAX_CONNECTIONS says (1 to 20)', () => {
    expect(parseEnv({}).mail).toMatchObject({ smtpUrl: undefined, maxConnections: 5 });
    expect(parseEnv({ SMTP_URL: 'smtp://u:p@mail.example:587', SMTP_MAX_CONNECTIONS: '2' }).mail.maxConnections).toBe(2);
    expect(configError({ SMTP_MAX_CONNECTIONS: '0' }).message).toMatch(/^SMTP_MAX_CONNECTIONS: /);
    expect(configError({ SMTP_MAX_CONNECTIONS: '21' }).message).toMatch(/^SMTP_MAX_CONNECTIONS: /);
  });

  it('PAYMENT_FLOW defaults to one-stage and accepts two-stage', () => {
    expect(parseEnv({}).paymentFlow).toBe('one-stage');
    expect(parseEnv({ PAYMENT_FLOW: 'two-stage' }).paymentFlow).toBe('two-stage');
  });
});

describe('the sandbox on a public APP_URL', () => {
  const PUBLIC = { APP_URL: 'https://demo.example', MERCHANT_PASSWORD: 'a-long-secret' };

  it('the demo console password with a non-loopback APP_URL is refused, naming the variables', () => {
    for (const appUrl of ['https://demo.example', 'http://192.168.1.10:3000', 'http://localhost.example']) {
      const error = configError({ APP_URL: appUrl });
      expect(error.message, appUrl).toMatch(/^MERCHANT_PASSWORD, APP_URL: /);
      expect(error.message).not.toContain('\n');
    }
    for (const appUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://127.1.2.3', 'http://[::1]:3000']) {
      expect(parseEnv({ APP_URL: appUrl }).merchantPassword, appUrl).toBe('demo-merchant');
    }
  });

  it('unset credentials and callback key are generated and stored, not the well-known ones', () => {
    const env = parseEnv(PUBLIC);
    expect(env.gateway.auth).toBe(STORED);
    expect(env.sandbox.credentials).toBe(STORED);
    expect(env.callbackKey).toBe(STORED);
    expect(env.sandbox.callback.key).toBe(STORED);
  });

  it('configured ones are used as they are', () => {
    const env = parseEnv({ ...PUBLIC, GATEWAY_USERNAME: 'my-api', GATEWAY_PASSWORD: 'my-pass', CALLBACK_KEY: 'k'.repeat(32) });
    expect(env.gateway.auth).toEqual({ userName: 'my-api', password: 'my-pass' });
    expect(env.sandbox.credentials).toEqual({ userName: 'my-api', password: 'my-pass' });
    expect(env.callbackKey).toBe('k'.repeat(32));
    expect(env.sandbox.callback.key).toBe('k'.repeat(32));
  });

  it('SANDBOX_CONTROL_TOKEN needs 24 characters and is not echoed; SANDBOX_RETURN_ORIGINS are origins', () => {
    expect(configError({ SANDBOX_CONTROL_TOKEN: 'short-token' }).message).toBe('SANDBOX_CONTROL_TOKEN: expected at least 24 characters');
    expect(parseEnv({ SANDBOX_CONTROL_TOKEN: 't'.repeat(24) }).sandbox.controlToken).toBe('t'.repeat(24));
    expect(parseEnv({}).sandbox.controlToken).toBeUndefined();
    expect(parseEnv({ SANDBOX_RETURN_ORIGINS: 'https://a.example, http://b.example:8080/' }).sandbox.returnOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(parseEnv({}).sandbox.returnOrigins).toEqual([]);
    for (const bad of ['https://a.example/path', 'not a url', 'ftp://a.example']) {
      expect(configError({ SANDBOX_RETURN_ORIGINS: bad }).message, bad).toMatch(
        /^SANDBOX_RETURN_ORIGINS: expected comma-separated origins/,
      );
    }
  });
});

describe('parseEnv errors: one line, starting with the variable name', () => {
  it('GATEWAY_URL without credentials', () => {
    const error = configError({ GATEWAY_URL: BANK.GATEWAY_URL });
    expect(error.message).toMatch(/^GATEWAY_USERNAME: /);
    expect(error.message).toContain('GATEWAY_TOKEN');
    expect(error.message).not.toContain('\n');
  });

  it('GATEWAY_TOKEN together with GATEWAY_USERNAME', () => {
    expect(configError({ ...BANK, GATEWAY_TOKEN: 'tok' }).message).toMatch(/^GATEWAY_TOKEN: /);
    expect(configError({ GATEWAY_TOKEN: 'tok', GATEWAY_USERNAME: 'u' }).message).toMatch(/^GATEWAY_TOKEN: /);
  });

  it('GATEWAY_USERNAME without GATEWAY_PASSWORD', () => {
    expect(configError({ ...BANK, GATEWAY_PASSWORD: undefined }).message).toMatch(/^GATEWAY_PASSWORD: /);
  });

  it('APP_URL=not-a-url', () => {
    const error = configError({ APP_URL: 'not-a-url' });
    expect(error.message).toMatch(/^APP_URL: /);
    expect(error.message).toContain('not-a-url');
  });

  it('SANDBOX_ENABLED=maybe', () => {
    expect(configError({ SANDBOX_ENABLED: 'maybe' }).message).toMatch(/^SANDBOX_ENABLED: /);
  });

  it('CALLBACK_KEY too short, without echoing it', () => {
    const error = configError({ CALLBACK_KEY: 'short-secret' });
    expect(error.message).toMatch(/^CALLBACK_KEY: expected at least 16 characters$/);
  });

  it('PAYMENT_FLOW=three-stage', () => {
    expect(configError({ PAYMENT_FLOW: 'three-stage' }).message).toMatch(/^PAYMENT_FLOW: expected one-stage or two-stage/);
  });

  it('SANDBOX_ENABLED=false without GATEWAY_URL', () => {
    expect(configError({ SANDBOX_ENABLED: 'false' }).message).toMatch(/^GATEWAY_URL: /);
  });

  it.each([
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: 'abc' }],
    ['GATEWAY_URL', { GATEWAY_URL: 'ftp://bank.example/rest/' }],
    ['GATEWAY_TIMEOUT_MS', { GATEWAY_TIMEOUT_MS: '0' }],
    ['GATEWAY_STATUS_RETRIES', { GATEWAY_STATUS_RETRIES: '6' }],
    ['SANDBOX_MERCHANT', { SANDBOX_MERCHANT: 'Demo Shop' }],
    ['APP_URL', { APP_URL: 'line1\nline2' }],
    ['DATABASE_POOL_MAX', { DATABASE_POOL_MAX: '0' }],
  ] as const)('%s: %j', (name, source) => {
    const error = configError(source);
    expect(error.message.startsWith(`${name}: `)).toBe(true);
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it('a DATABASE_URL that is not a URL, without echoing it (it may hold a password)', () => {
    const error = configError({ DATABASE_URL: 'postgres://shop:pw@[broken' });
    expect(error.message).toMatch(/^DATABASE_URL: expected postgres:\/\/user:password@host:5432\/database or a SQLite file path$/);
  });

  it('does not echo a secret value in the message', () => {
    const password = 'x'.repeat(25) + '-SECRET';
    const error = configError({ ...BANK, GATEWAY_PASSWORD: password });
    expect(error.message).toMatch(/^GATEWAY_PASSWORD: /);
    expect(error.message).not.toContain(password);
  });
});

describe('GATEWAY_BANK presets', () => {
  const creds = { GATEWAY_USERNAME: 'shop-api', GATEWAY_PASSWORD: 'shop-password' };
  it.each([
    ['sber-test', 'https://3dsec.sberbank.ru/payment/rest/'],
    ['sber', 'https://securepayments.sberbank.ru/payment/rest/'],
    ['alfa-test', 'https://alfa.rbsuat.com/payment/rest/'],
    ['alfa', 'https://pay.alfabank.ru/payment/rest/'],
  ])('%s fills GATEWAY_URL with %s and turns the sandbox off', (bank, url) => {
    const env = parseEnv({ GATEWAY_BANK: bank, ...creds });
    expect(env.gateway.baseUrl).toBe(url);
    expect(env.gateway.configured).toBe(true);
    expect(env.sandbox.enabled).toBe(false);
  });

  it('an explicit GATEWAY_URL wins', () => {
    expect(parseEnv({ GATEWAY_BANK: 'sber', ...BANK }).gateway.baseUrl).toBe('https://3dsec.sberbank.ru/payment/rest/');
  });

  it('an unknown bank is refused with the list of known ones; a preset needs credentials like a URL', () => {
    expect(configError({ GATEWAY_BANK: 'tinkoff', ...creds }).message).toMatch(
      /^GATEWAY_BANK: expected one of sber-test, sber, alfa-test, alfa/,
    );
    expect(configError({ GATEWAY_BANK: 'sber' }).message).toMatch(/^GATEWAY_USERNAME/);
  });

  it('the embedded sandbox is not "configured"', () => {
    expect(parseEnv({}).gateway.configured).toBe(false);
  });
});

describe('CALLBACK_CERT (asymmetric checksum)', () => {
  const pem = readFileSync(new URL('../fixtures/callback-rsa/bank-cert.pem', import.meta.url), 'utf8');
  it('takes a PEM certificate, with real or \\n-escaped line breaks, or a file path, and replaces the key', () => {
    for (const value of [
      pem,
      pem.replace(/\n/g, '\\n'),
      fileURLToPath(new URL('../fixtures/callback-rsa/bank-public.pem', import.meta.url)),
    ]) {
      const env = parseEnv({ ...BANK, CALLBACK_CERT: value });
      expect(env.callbackCert).toMatch(/^-----BEGIN/);
      expect(env.callbackKey).toBeUndefined();
    }
  });

  it('refuses a wrong value without echoing it, and both CALLBACK_CERT and CALLBACK_KEY', () => {
    const error = configError({ ...BANK, CALLBACK_CERT: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' });
    expect(error.message).toMatch(/^CALLBACK_CERT: not a usable RSA certificate/);
    expect(configError({ ...BANK, CALLBACK_CERT: '/no/such/file.pem' }).message).toMatch(/^CALLBACK_CERT: expected/);
    expect(configError({ ...BANK, CALLBACK_CERT: pem, CALLBACK_KEY: 'k'.repeat(20) }).message).toMatch(/^CALLBACK_CERT, CALLBACK_KEY/);
  });

  it('with the sandbox signing by RSA, the shop checks with the stored key pair', () => {
    const env = parseEnv({ SANDBOX_CALLBACK_SIGNATURE: 'rsa' });
    expect(env.callbackCert).toBe(STORED);
    expect(env.callbackKey).toBeUndefined();
    expect(env.sandbox.callback.signature).toBe('rsa');
    expect(parseEnv({}).sandbox.callback.signature).toBe('hmac');
  });
});

describe('the sandbox as the bank', () => {
  it("shows the shop's name by default", () => {
    expect(parseEnv({}).sandbox.merchantName).toBe(texts.ru.shopName);
    expect(parseEnv({ SANDBOX_MERCHANT_NAME: 'Другой' }).sandbox.merchantName).toBe('Другой');
  });

  it('SANDBOX_ERROR_CODE_TYPE: string by default, number on request', () => {
    expect(parseEnv({}).sandbox.numericErrorCodes).toBe(false);
    expect(parseEnv({ SANDBOX_ERROR_CODE_TYPE: 'number' }).sandbox.numericErrorCodes).toBe(true);
    expect(configError({ SANDBOX_ERROR_CODE_TYPE: 'int' }).message).toMatch(/^SANDBOX_ERROR_CODE_TYPE: expected string or number/);
  });
});

describe('alert webhook settings', () => {
  it('unset: no webhook; a URL alone: JSON', () => {
    expect(parseEnv({}).alertWebhook).toBeUndefined();
    expect(parseEnv({ ALERT_WEBHOOK_URL: 'https://hooks.example/alerts' }).alertWebhook).toEqual({
      url: 'https://hooks.example/alerts',
      format: 'json',
      chatId: undefined,
    });
  });

  it('Telegram needs its chat; the URL (it holds the bot token) is never echoed', () => {
    const url = 'https://api.telegram.org/bot123456:SECRET-token/sendMessage';
    expect(() => parseEnv({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: 'telegram' })).toThrow(/ALERT_TELEGRAM_CHAT_ID: required/);
    expect(
      parseEnv({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: 'telegram', ALERT_TELEGRAM_CHAT_ID: '-1001234567890' }).alertWebhook,
    ).toMatchObject({
      format: 'telegram',
      chatId: '-1001234567890',
    });
    expect(() => parseEnv({ ALERT_WEBHOOK_URL: 'ftp://x SECRET' })).toThrow(/^ALERT_WEBHOOK_URL: [^S]*$/);
    expect(() => parseEnv({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_FORMAT: 'telegram', ALERT_TELEGRAM_CHAT_ID: 'not a chat' })).toThrow(
      /ALERT_TELEGRAM_CHAT_ID/,
    );
  });
});
