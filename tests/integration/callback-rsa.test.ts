// The asymmetric callback checksum end to end: the sandbox signs its notifications with an RSA key
// (SHA512withRSA, hex), they travel over real HTTP, and the shop's receiveCallback accepts them with
// the matching public key or certificate and refuses them with any other key or the HMAC one.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db/database';
import { parseEnv } from '../../lib/env';
import { callbackPublicKey, verifyCallback } from '../../lib/gateway/checksum';
import { createGatewayClient } from '../../lib/gateway/client';
import { receiveCallback } from '../../lib/payments/callbacks';
import { callbackSecretOf, resolveSecrets } from '../../lib/payments/secrets';
import { VISA_OK } from '../helpers/sandbox-driver';
import { SANDBOX_AUTH, SANDBOX_CALLBACK_KEY, startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';
import { openTestDatabase } from '../helpers/test-database';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/callback-rsa/${name}`, import.meta.url), 'utf8');

let receiver: Server;
let receiverUrl: string;
let server: SandboxServer;
let shopDb: Db;
const received: Record<string, string>[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    received.push(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
    res.writeHead(200).end('OK');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startSandboxServer({ callbacks: { url: `${receiverUrl}/cb`, rsaPrivateKey: fixture('bank-private.pem') } });
  shopDb = await openTestDatabase();
});
afterAll(async () => {
  await server.close();
  await shopDb.destroy();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function paidOrderNotification(): Promise<Record<string, string>> {
  const client = createGatewayClient({ baseUrl: server.restUrl, auth: SANDBOX_AUTH, timeoutMs: 5000 });
  const { orderId, formUrl } = await client.register({
    orderNumber: `RSA-${Date.now().toString(36)}`,
    amount: 5000,
    returnUrl: `${server.url}/back`,
  });
  const paid = await fetch(formUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...VISA_OK }),
  });
  expect(paid.status).toBe(303);
  await server.sandbox.callbacks.flush();
  const deadline = Date.now() + 4000;
  for (;;) {
    const hit = received.find((params) => params.mdOrder === orderId);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('no notification arrived');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('asymmetric callback checksum', () => {
  it('the sandbox signs with its RSA key; the certificate and the public key verify it', async () => {
    const params = await paidOrderNotification();
    expect(params).toMatchObject({ operation: 'deposited', status: '1', sign_alias: 'sandbox' });
    expect(params.checksum).toMatch(/^[0-9A-F]{512}$/);
    expect(verifyCallback(params, callbackPublicKey(fixture('bank-cert.pem')))).toBe(true);
    expect(verifyCallback(params, callbackPublicKey(fixture('bank-public.pem')))).toBe(true);
    expect(verifyCallback(params, SANDBOX_CALLBACK_KEY)).toBe(false);
  });

  it("the shop's receiveCallback: genuine with the bank's key (unknown order → 200), forged with another", async () => {
    const params = await paidOrderNotification();
    const entries = Object.entries(params);
    const genuine = await receiveCallback(
      { db: shopDb, clock: Date.now, log: () => undefined },
      entries,
      callbackPublicKey(fixture('bank-cert.pem')),
    );
    expect(genuine.verdict).toBe('unknown-order');
    const otherKey = callbackPublicKey(
      (await import('node:crypto'))
        .generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    );
    expect((await receiveCallback({ db: shopDb, clock: Date.now, log: () => undefined }, entries, otherKey)).verdict).toBe('forged');
    expect((await receiveCallback({ db: shopDb, clock: Date.now, log: () => undefined }, entries, SANDBOX_CALLBACK_KEY)).verdict).toBe(
      'forged',
    );
  });

  it('SANDBOX_CALLBACK_SIGNATURE=rsa: the deployment generates one key pair, kept, and the shop checks with its public half', async () => {
    const env = parseEnv({ SANDBOX_CALLBACK_SIGNATURE: 'rsa' });
    const db = await openTestDatabase();
    try {
      const first = await resolveSecrets(env, db);
      const again = await resolveSecrets(env, db);
      expect(first.sandboxCallbackRsa?.privateKey).toMatch(/BEGIN PRIVATE KEY/);
      expect(again.sandboxCallbackRsa).toEqual(first.sandboxCallbackRsa);
      const secret = callbackSecretOf(first);
      expect(typeof secret).not.toBe('string');
      const { signCallbackRsa } = await import('../../lib/gateway/checksum');
      const params = { mdOrder: 'm', operation: 'deposited', orderNumber: 'n', status: '1' };
      expect(verifyCallback({ ...params, checksum: signCallbackRsa(params, first.sandboxCallbackRsa!.privateKey) }, secret!)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
