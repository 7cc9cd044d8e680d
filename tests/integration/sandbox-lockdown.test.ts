// The sandbox of a public demo is not an open door, over real HTTP: its test controls need the
// control token, register.do keeps shoppers on the merchant's site, and on a public APP_URL the API
// takes the deployment's generated credentials, never the README's well-known ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../lib/db/database';
import { parseEnv } from '../../lib/env';
import { createGatewayClient } from '../../lib/gateway/client';
import { resolveSecrets } from '../../lib/payments/secrets';
import {
  controlFetch,
  SANDBOX_AUTH,
  SANDBOX_CONTROL_TOKEN,
  SHOP_ORIGIN,
  startSandboxServer,
  type SandboxServer,
} from '../helpers/sandbox-server';
import { freshDatabaseUrl, testDialect } from '../helpers/test-database';

let server: SandboxServer;
let counter = 0;
const orderNumber = () => `LD-${Date.now().toString(36)}-${++counter}`;

beforeAll(async () => {
  server = await startSandboxServer({
    callbacks: { url: `${SHOP_ORIGIN}/api/payments/callback` },
    returnOrigins: [SHOP_ORIGIN, 'https://partner.example'],
  });
});
afterAll(async () => server.close());

/** A REST call with form parameters, answered with the bank's envelope. */
async function rest(method: string, params: Record<string, string | undefined>, auth: Record<string, string> = SANDBOX_AUTH) {
  const response = await fetch(`${server.restUrl}${method}.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries({ ...auth, ...params }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { errorCode?: string; errorMessage?: string; orderId?: string; formUrl?: string };
}

const register = (params: Record<string, string | undefined>) =>
  rest('register', { orderNumber: orderNumber(), amount: '10000', ...params });

describe('/sandbox/control/* without the control token', () => {
  const anonymous: [string, string, RequestInit][] = [
    ['GET', '/sandbox/control/requests', {}],
    ['GET', '/sandbox/control/faults', {}],
    [
      'POST',
      '/sandbox/control/faults',
      { body: JSON.stringify({ fault: 'http500', times: 0 }), headers: { 'content-type': 'application/json' } },
    ],
    ['DELETE', '/sandbox/control/faults', {}],
    ['POST', '/sandbox/control/faults/clear', {}],
    ['GET', '/sandbox/control/callbacks', {}],
    ['POST', '/sandbox/control/callbacks', { body: JSON.stringify({ enabled: false }), headers: { 'content-type': 'application/json' } }],
    ['POST', '/sandbox/control/callbacks/release', { body: '{}' }],
    ['POST', '/sandbox/control/clock', { body: 'advanceSeconds=100000' }],
    ['GET', '/sandbox/control/anything-else', {}],
  ];

  it.each(anonymous)('%s %s → 401 with { error } and no data', async (method, pathname, init) => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789abcdef',
      `Basic ${SANDBOX_CONTROL_TOKEN}`,
      `Bearer ${SANDBOX_CONTROL_TOKEN}x`,
    ]) {
      const response = await fetch(`${server.url}${pathname}`, {
        method,
        ...init,
        headers: { ...(init.headers as Record<string, string>), ...(authorization ? { authorization } : {}) },
      });
      expect(response.status, `${authorization}`).toBe(401);
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error']);
    }
  });

  it('changes nothing: a refused fault breaks no call, a refused clock moves no order, refused callback settings stay', async () => {
    const registered = await register({ returnUrl: `${server.url}/r` });
    expect(registered.errorCode).toBeUndefined();
    const status = await rest('getOrderStatusExtended', { orderId: registered.orderId! });
    // Not expired by a clock moved 100000 s, not failed by an http500 rule for every call.
    expect(status).toMatchObject({ errorCode: '0', orderStatus: 0 });
    const rules = (await (await controlFetch(`${server.url}/sandbox/control/faults`)).json()) as { rules: unknown[] };
    expect(rules.rules).toEqual([]);
    const callbacks = (await (await controlFetch(`${server.url}/sandbox/control/callbacks`)).json()) as { settings: { enabled: boolean } };
    expect(callbacks.settings.enabled).toBe(true);
  });

  it('with the token: every control works', async () => {
    const registered = await register({ returnUrl: `${server.url}/r` });
    const listed = await controlFetch(`${server.url}/sandbox/control/requests?orderId=${registered.orderId}`);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { requests: unknown[] }).requests).toHaveLength(1);
    const added = await controlFetch(`${server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: 'http500', method: 'refund.do' }),
    });
    expect(added.status).toBe(200);
    expect((await controlFetch(`${server.url}/sandbox/control/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await controlFetch(`${server.url}/sandbox/control/callbacks`, { method: 'POST', body: '{"enabled":true}' })).status).toBe(200);
    expect((await controlFetch(`${server.url}/sandbox/control/clock`, { method: 'POST', body: 'advanceSeconds=0' })).status).toBe(200);
  });
});

describe("register.do keeps the shopper on the merchant's site", () => {
  it.each(['register', 'registerPreAuth'])(
    "%s: a foreign returnUrl or failUrl is refused with errorCode 5, in the request's language",
    async (method) => {
      const foreign = [
        { returnUrl: 'https://evil.example/' },
        { returnUrl: `${server.url}/r`, failUrl: 'https://evil.example/fail' },
        // Same host, other port or scheme: another origin.
        { returnUrl: `${server.url.replace('http:', 'https:')}/r` },
        { returnUrl: `${SHOP_ORIGIN}:8443/r` },
      ];
      for (const params of foreign) {
        const ru = await rest(method, { orderNumber: orderNumber(), amount: '10000', ...params });
        expect(ru, JSON.stringify(params)).toEqual({ errorCode: '5', errorMessage: 'Адрес возврата должен вести на сайт магазина' });
        const en = await rest(method, { orderNumber: orderNumber(), amount: '10000', language: 'en', ...params });
        expect(en).toEqual({ errorCode: '5', errorMessage: "The return URL must lead to the merchant's site" });
      }
    },
  );

  it('a foreign dynamicCallbackUrl is refused too (the sandbox would request it from inside the deployment)', async () => {
    const refused = await register({ returnUrl: `${server.url}/r`, dynamicCallbackUrl: 'http://169.254.169.254/latest/meta-data' });
    expect(refused).toEqual({ errorCode: '5', errorMessage: 'Адрес для уведомлений должен вести на сайт магазина' });
    const own = await register({ returnUrl: `${server.url}/r`, dynamicCallbackUrl: `${SHOP_ORIGIN}/api/payments/callback?x=1` });
    expect(own.orderId).toBeTruthy();
  });

  it("the sandbox's own origin and the configured ones are accepted", async () => {
    for (const params of [
      { returnUrl: `${server.url}/checkout/return?order=1`, failUrl: `${server.url}/checkout/return?order=1&failed=1` },
      { returnUrl: `${SHOP_ORIGIN}/checkout/return` },
      { returnUrl: 'https://partner.example/back', failUrl: `${server.url}/fail` },
    ]) {
      const answer = await register(params);
      expect(answer.errorCode, JSON.stringify(answer)).toBeUndefined();
      expect(answer.formUrl).toContain('/sandbox/payment/merchants/');
    }
  });
});

describe(`generated sandbox credentials on a public APP_URL (${testDialect})`, () => {
  const PUBLIC_ENV = { APP_URL: 'https://demo.example', MERCHANT_PASSWORD: 'a-long-secret' };
  let databaseUrl: string;
  let directory: string | undefined;
  const opened: Db[] = [];
  const open = async () => {
    const db = await openDatabase(databaseUrl);
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    // SQLite: a file, so that two connections are two "instances"; PostgreSQL: a fresh schema.
    directory = testDialect === 'sqlite' ? mkdtempSync(path.join(tmpdir(), 'secrets-')) : undefined;
    databaseUrl = await freshDatabaseUrl(directory ? path.join(directory, 'shop.sqlite') : undefined);
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('two instances starting together, and a restart, end up with the same strong values', async () => {
    const env = parseEnv(PUBLIC_ENV);
    // Opened one after the other (each migrates under a write lock), then resolved together.
    const a = await open();
    const b = await open();
    const [first, second] = await Promise.all([resolveSecrets(env, a), resolveSecrets(env, b)]);
    expect(second).toEqual(first);
    expect(first.gatewayAuth).toEqual(first.sandboxCredentials);
    expect(first.callbackKey).toBe(first.sandboxCallbackKey);
    const credentials = first.gatewayAuth as { userName: string; password: string };
    expect(credentials.userName).toMatch(/^sandbox-[0-9a-f]{8}-api$/);
    expect(credentials.password).toMatch(/^[\w-]{22}$/);
    expect(credentials.password).not.toBe('sandbox-password');
    expect(first.callbackKey).toMatch(/^[0-9a-f]{64}$/);
    const restarted = await resolveSecrets(env, await open());
    expect(restarted).toEqual(first);
  });

  it('the sandbox refuses sandbox-api / sandbox-password and takes the stored credentials', async () => {
    const db = await open();
    const secrets = await resolveSecrets(parseEnv(PUBLIC_ENV), db);
    const publicServer = await startSandboxServer({ db, credentials: secrets.sandboxCredentials, publicUrl: PUBLIC_ENV.APP_URL });
    try {
      const request = { orderNumber: orderNumber(), amount: 10_000, returnUrl: `${PUBLIC_ENV.APP_URL}/checkout/return` };
      const wellKnown = createGatewayClient({ baseUrl: publicServer.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
      await expect(wellKnown.register(request)).rejects.toMatchObject({ errorCode: 5 });
      const stored = createGatewayClient({ baseUrl: publicServer.restUrl, auth: secrets.gatewayAuth, timeoutMs: 5000 });
      const registered = await stored.register(request);
      expect(registered.formUrl).toMatch(/^https:\/\/demo\.example\/sandbox\/payment\/merchants\//);
    } finally {
      await publicServer.close();
    }
  });

  it('a loopback APP_URL keeps the well-known demo values, configured values win everywhere', async () => {
    const db = await open();
    const local = await resolveSecrets(parseEnv({ APP_URL: 'http://127.0.0.1:3000' }), db);
    expect(local.gatewayAuth).toEqual(SANDBOX_AUTH);
    const configured = await resolveSecrets(
      parseEnv({ ...PUBLIC_ENV, GATEWAY_USERNAME: 'mine-api', GATEWAY_PASSWORD: 'mine-password', CALLBACK_KEY: 'c'.repeat(32) }),
      db,
    );
    expect(configured).toEqual({
      gatewayAuth: { userName: 'mine-api', password: 'mine-password' },
      sandboxCredentials: { userName: 'mine-api', password: 'mine-password' },
      callbackKey: 'c'.repeat(32),
      sandboxCallbackKey: 'c'.repeat(32),
    });
  });
});
